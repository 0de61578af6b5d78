#include "job_census.hpp"

#include <stdexcept>
#include <string_view>
#include <thread>

namespace valet::bench {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds{10};

// Job views are dumped without spaces, and `"id":` matches no other key (pipeline_id and
// next_job_id end in `_id":`), so counting it counts jobs without parsing a large body.
std::int64_t CountIds(std::string_view body) {
  constexpr std::string_view kKey = "\"id\":";
  std::int64_t count = 0;
  for (auto at = body.find(kKey); at != std::string_view::npos; at = body.find(kKey, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

std::int64_t CountJobs(ApiClient& client, const std::string& status) {
  Reply reply = client.Call("GET", "/api/jobs?status=" + status);
  if (reply.status != 200) {
    throw std::runtime_error("GET /api/jobs?status=" + status + " answered " +
                             std::to_string(reply.status) + ": " + reply.body);
  }
  return CountIds(reply.body);
}

std::optional<SteadyClock::time_point> WaitUntilAllTerminal(ApiClient& client,
                                                            std::chrono::seconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    if (CountJobs(client, "pending") + CountJobs(client, "scheduled") +
            CountJobs(client, "in_progress") ==
        0) {
      return SteadyClock::now();
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return std::nullopt;
}

}  // namespace valet::bench
