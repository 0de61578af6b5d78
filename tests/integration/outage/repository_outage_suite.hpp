#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "valet/ports/job_repository.hpp"
#include "valet/testing/server_control.hpp"

namespace valet::testing {

// A SQL repository whose server is stopped and started again under it.
struct OutageTarget {
  std::string name;
  TestServer server;
  // A repository on a fresh schema (database, on MySQL); nullptr after a recorded failure.
  std::function<std::unique_ptr<JobRepository>()> open;
};

inline void PrintTo(const OutageTarget& target, std::ostream* out) { *out << target.name; }

inline std::string OutageTargetName(const ::testing::TestParamInfo<OutageTarget>& info) {
  return info.param.name;
}

// While the server is down, calls answer kUnavailable; when it is back, the same repository
// works again with its data kept. Stops a server other tests use: run alone (RUN_SERIAL).
class RepositoryOutageTest : public ::testing::TestWithParam<OutageTarget> {
 protected:
  void TearDown() override;  // starts the server again if a test left it stopped
};

}  // namespace valet::testing
