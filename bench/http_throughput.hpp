#pragma once

#include <Poco/URI.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "support/figures.hpp"

namespace valet::bench {

// One request sent over and over on every connection until the duration is up.
struct LoadOptions {
  Poco::URI server;
  int connections = 32;
  int threads = 2;  // each keeps one request outstanding on each of its connections
  std::chrono::seconds duration{10};
  std::string method = "POST";
  std::string path = "/api/jobs";
  std::string body;
  int expected_status = 202;
};

struct LoadResult {
  std::int64_t expected = 0;  // replies with the expected status
  std::int64_t errors = 0;    // connections that failed (refused, reset, timed out)
  std::map<int, std::int64_t> other_statuses;
  SteadyClock::time_point start;
  SteadyClock::time_point end;  // when the last reply came in

  std::int64_t others() const;
  double seconds() const { return SecondsBetween(start, end); }
};

LoadResult RunLoad(const LoadOptions& options);

}  // namespace valet::bench
