// Retention's reads from the finished indexes, {p}:jobs:finished and {p}:pipelines:finished,
// scored by completed_at.
#include <charconv>
#include <cstdint>

#include "record_codec.hpp"
#include "repository_keys.hpp"
#include "repository_support.hpp"
#include "valet/adapters/redis/redis_job_repository.hpp"

namespace valet::adapters::redis {

Result<std::vector<std::string>> RedisJobRepository::ListFinished(FinishedKind kind,
                                                                  TimePoint before,
                                                                  std::size_t limit) {
  // Records finished before layout 2 enter the indexes with the upgrade.
  if (Status upgraded = EnsureUpgraded(); !upgraded.ok()) return upgraded;
  std::string index =
      kind == FinishedKind::kJobs ? keys_->JobsFinished() : keys_->PipelinesFinished();
  auto members = RunOn(*pool_, {"ZRANGEBYSCORE", index, "-inf", "(" + Micros(before), "LIMIT", "0",
                                std::to_string(limit)});
  if (!members.ok()) return members.status();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < members->size(); ++i)
    ids.push_back(IdOfMember(TextOf(members->at(i))));
  return ids;
}

Result<OptionalTime> RedisJobRepository::NthLatestFinish(FinishedKind kind, std::size_t n) {
  if (n == 0) return OptionalTime{};
  if (Status upgraded = EnsureUpgraded(); !upgraded.ok()) return upgraded;
  std::string index =
      kind == FinishedKind::kJobs ? keys_->JobsFinished() : keys_->PipelinesFinished();
  std::string rank = std::to_string(n - 1);
  auto entry = RunOn(*pool_, {"ZREVRANGE", index, rank, rank, "WITHSCORES"});
  if (!entry.ok()) return entry.status();
  if (entry->size() < 2) return OptionalTime{};
  std::string_view score = TextOf(entry->at(1));
  std::int64_t micros = 0;
  auto [end, error] = std::from_chars(score.data(), score.data() + score.size(), micros);
  if (error != std::errc() || end != score.data() + score.size()) {
    return Garbled("the finished index");
  }
  return OptionalTime{TimePoint{std::chrono::microseconds{micros}}};
}

}  // namespace valet::adapters::redis
