#pragma once

#include <Poco/URI.h>

#include <cstdint>
#include <string>
#include <vector>

namespace valet::bench {

struct LatencyResult {
  std::vector<double> client_ms;  // POST sent → COMPLETED first seen by GET, client clocks
  std::vector<double> server_ms;  // the job's completed_at − created_at
  std::int64_t polls = 0;         // GET /api/jobs/{id} calls in all
};

// Runs `jobs` jobs one after another on one keep-alive connection: POST /api/jobs, then GET the
// job in a tight loop until it is COMPLETED. Throws std::runtime_error when a job is refused or
// ends in another status.
LatencyResult MeasureLatency(const Poco::URI& server, std::int64_t jobs, const std::string& body);

}  // namespace valet::bench
