#include "valet/core/attempts.hpp"

#include "valet/core/time_format.hpp"

namespace valet::core {

namespace {

int Count(const Json& attempts, bool lost) {
  if (!attempts.is_array()) return 0;
  int count = 0;
  for (const Json& attempt : attempts) {
    bool was_lost = attempt.is_object() && attempt.value("lost", false);
    count += was_lost == lost ? 1 : 0;
  }
  return count;
}

}  // namespace

Json WithAttempt(const Job& job, TimePoint ended_at, const std::string& error, bool lost) {
  Json attempts = job.attempts.is_array() ? job.attempts : Json::array();
  Json attempt{{"attempt", job.attempt}};
  if (job.started_at) attempt["started_at"] = FormatTime(*job.started_at);
  attempt["ended_at"] = FormatTime(ended_at);
  attempt["error"] = error;
  if (lost) attempt["lost"] = true;
  attempts.push_back(std::move(attempt));
  return attempts;
}

int FailedAttempts(const Json& attempts) { return Count(attempts, /*lost=*/false); }

int LostAttempts(const Json& attempts) { return Count(attempts, /*lost=*/true); }

}  // namespace valet::core
