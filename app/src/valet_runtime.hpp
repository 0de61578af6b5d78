#pragma once

// What Valet::Start() builds and Valet::Shutdown() takes down, for the sources of valet::Valet.

#include <memory>
#include <optional>
#include <vector>

#include "valet/app/stream_logger.hpp"
#include "valet/core/access_policy.hpp"
#include "valet/core/adapter_registry.hpp"
#include "valet/core/engine.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/valet.hpp"

namespace valet {

// Members are destroyed in reverse order: the servers first, the backends last.
struct Valet::Runtime {
  explicit Runtime(app::LogFormat format) : logger(format) {}

  app::StreamLogger logger;
  core::SystemClock clock;
  core::UuidGenerator ids;
  core::AdapterRegistry registry;
  std::unique_ptr<JobRepository> repository;
  std::unique_ptr<JobQueue> queue;
  std::unique_ptr<core::Engine> engine;
  std::optional<core::AccessPolicy> access;
  std::unique_ptr<core::ApiContext> api;
  std::vector<std::unique_ptr<ApiServer>> servers;
};

}  // namespace valet
