#include "http_latency.hpp"

#include <stdexcept>

#include "api_client.hpp"
#include "support/figures.hpp"
#include "valet/core/time_format.hpp"
#include "valet/ports/json.hpp"

namespace valet::bench {

namespace {

double MillisecondsBetween(const Json& job, const char* from, const char* to) {
  auto start = core::ParseTime(job.at(from).get<std::string>());
  auto end = core::ParseTime(job.at(to).get<std::string>());
  if (!start || !end) throw std::runtime_error("job has unreadable times: " + job.dump());
  return std::chrono::duration<double, std::milli>(*end - *start).count();
}

}  // namespace

LatencyResult MeasureLatency(const Poco::URI& server, std::int64_t jobs, const std::string& body) {
  ApiClient client(server);
  LatencyResult result;
  result.client_ms.reserve(static_cast<std::size_t>(jobs));
  result.server_ms.reserve(static_cast<std::size_t>(jobs));
  for (std::int64_t i = 0; i < jobs; ++i) {
    auto sent = SteadyClock::now();
    Reply created = client.Call("POST", "/api/jobs", body);
    if (created.status != 202) {
      throw std::runtime_error("POST /api/jobs answered " + std::to_string(created.status) + ": " +
                               created.body);
    }
    std::string path = "/api/jobs/" + Json::parse(created.body).at("id").get<std::string>();
    while (true) {
      Reply polled = client.Call("GET", path);
      ++result.polls;
      // A cheap look first: only the final reply is worth parsing.
      if (polled.body.find("\"status\":\"PENDING\"") != std::string::npos ||
          polled.body.find("\"status\":\"IN_PROGRESS\"") != std::string::npos) {
        continue;
      }
      auto done = SteadyClock::now();
      Json job = Json::parse(polled.body);
      if (polled.status != 200 || job.value("status", "") != "COMPLETED") {
        throw std::runtime_error("GET " + path + " answered " + std::to_string(polled.status) +
                                 ": " + polled.body);
      }
      result.client_ms.push_back(std::chrono::duration<double, std::milli>(done - sent).count());
      result.server_ms.push_back(MillisecondsBetween(job, "created_at", "completed_at"));
      break;
    }
  }
  return result;
}

}  // namespace valet::bench
