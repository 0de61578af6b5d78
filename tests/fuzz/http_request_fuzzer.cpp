// Fuzzes the HTTP API behind the transport: the first byte picks a route and method, the rest is
// the request body. Every request must get a well-formed JSON reply (or 204) and never crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "valet/adapters/http/api_router.hpp"
#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/engine.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/core/uuid_generator.hpp"

namespace {

class SilentLogger final : public valet::Logger {
 public:
  void Write(valet::LogLevel, std::string_view, std::string_view,
             std::span<const valet::LogField>) override {}
};

struct Routes {
  const char* method;
  const char* path;
};
constexpr Routes kRoutes[] = {
    {"POST", "/api/jobs"},
    {"POST", "/api/pipelines"},
    {"PATCH", "/api/jobs/00000000-0000-4000-8000-000000000001"},
    {"PATCH", "/api/pipelines/00000000-0000-4000-8000-000000000001"},
    {"GET", "/api/jobs"},
    {"DELETE", "/api/jobs/00000000-0000-4000-8000-000000000001"},
    {"POST", "/api/schedules"},
    {"POST", "/api/groups"},
    {"PATCH", "/api/schedules/00000000-0000-4000-8000-000000000001"},
};

// One engine for the whole run, never started: submitted jobs stay queued (the queue is large).
struct Harness {
  Harness() {
    tasks.Register("noop", [](valet::TaskContext&) { return valet::TaskResult(); }).IgnoreError();
  }
  valet::adapters::memory::MemoryJobRepository repository;
  valet::adapters::memory::MemoryJobQueue queue{1u << 30};
  valet::core::TaskRegistry tasks;
  valet::core::SystemClock clock;
  valet::core::UuidGenerator ids;
  SilentLogger logger;
  valet::core::Engine engine{{}, repository, queue, tasks, clock, ids, logger};
  valet::core::AccessPolicy open_access;
  valet::core::ApiContext context{engine.jobs(),
                                  engine.pipelines(),
                                  engine.results(),
                                  engine.schedules(),
                                  engine.groups(),
                                  tasks,
                                  repository,
                                  queue,
                                  clock,
                                  logger,
                                  "fuzz",
                                  open_access,
                                  engine.metrics()};
  valet::adapters::http::ApiRouter router{context};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  if (size == 0) return 0;
  const Routes& route = kRoutes[data[0] % std::size(kRoutes)];
  valet::adapters::http::ApiRequest request{
      route.method, route.path, "status=pending", "application/json",
      std::string(reinterpret_cast<const char*>(data + 1), size - 1)};
  valet::adapters::http::ApiResponse response = harness.router.Handle(request);
  if (response.status == 204) return 0;
  auto body = valet::Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || response.status < 200 || response.status >= 600) std::abort();
  if (response.status >= 400 && (!body.contains("message") || body["code"] != response.status)) {
    std::abort();
  }
  return 0;
}
