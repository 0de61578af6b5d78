// Pages of jobs for FindJobs(): a walk of the all-jobs or per-status index by creation time, the
// created range taken from the scores, the other filters applied to the records read.
#include <charconv>
#include <cstdint>

#include "record_codec.hpp"
#include "repository_keys.hpp"
#include "repository_support.hpp"
#include "valet/adapters/redis/redis_job_repository.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::redis {

namespace {

// Index entries read per round trip, and the most a page looks at before it hands back a cursor
// with what it found so far, so that a rare task or label never walks the whole index at once.
constexpr std::size_t kChunk = 200;
constexpr std::size_t kScanBudget = 2000;

bool ParseMicros(std::string_view text, std::int64_t& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<JobPage> RedisJobRepository::FindJobs(const JobQuery& query) {
  // Where the walk starts: after the cursor's entry (same score, later member) or at the first
  // entry created at or after created_after.
  std::int64_t min = query.created_after ? core::MicrosOf(*query.created_after) : 0;
  std::string after_member;
  if (!query.cursor.empty()) {
    auto cursor = core::DecodeCursor(query.cursor);
    if (!cursor.ok()) return cursor.status();
    if (cursor->tie.find(':') == std::string::npos || !core::IsUuid(IdOfMember(cursor->tie))) {
      return core::InvalidCursor();
    }
    if (cursor->created_micros >= min) {
      min = cursor->created_micros;
      after_member = cursor->tie;
    }
  }
  std::string max = query.created_before ? std::to_string(core::MicrosOf(*query.created_before))
                                         : std::string("+inf");
  std::string index = query.status ? keys_->JobsIn(*query.status) : keys_->Jobs();

  JobPage page;
  core::PageCursor taken;     // the entry of the last job in the page
  core::PageCursor examined;  // the last entry looked at, matched or not
  std::size_t looked_at = 0;
  for (std::size_t offset = 0;; offset += kChunk) {
    auto entries = RunOn(*pool_, {"ZRANGEBYSCORE", index, std::to_string(min), max, "WITHSCORES",
                                  "LIMIT", std::to_string(offset), std::to_string(kChunk)});
    if (!entries.ok()) return entries.status();
    std::vector<core::PageCursor> positions;
    std::vector<Command> reads;
    for (std::size_t i = 0; i + 1 < entries->size(); i += 2) {
      core::PageCursor position{0, std::string(TextOf(entries->at(i)))};
      if (!ParseMicros(TextOf(entries->at(i + 1)), position.created_micros)) {
        return Garbled("the job index");
      }
      if (position.created_micros == min && !after_member.empty() && position.tie <= after_member) {
        continue;
      }
      reads.push_back({"HGETALL", keys_->Job(IdOfMember(position.tie))});
      positions.push_back(std::move(position));
    }
    auto lease = pool_->Acquire();
    if (!lease.ok()) return lease.status();
    auto records = (*lease)->Pipeline(reads);
    if (!records.ok()) return records.status();
    for (std::size_t i = 0; i < records->size(); ++i) {
      const Reply& record = (*records)[i];
      if (Status error = record.ErrorStatus(); !error.ok()) return error;
      Job job;
      bool matches = record.size() != 0;  // empty: deleted since the index was read
      if (matches && !DecodeJob(record.raw(), job)) {
        return Garbled("job " + IdOfMember(positions[i].tie));
      }
      if (matches && core::Matches(job, query)) {
        if (query.limit != 0 && page.jobs.size() == query.limit) {
          page.next_cursor = core::EncodeCursor(taken);
          return page;
        }
        page.jobs.push_back(std::move(job));
        taken = positions[i];
      }
      examined = positions[i];
      ++looked_at;
    }
    if (entries->size() / 2 < kChunk) return page;
    if (query.limit != 0 && looked_at >= kScanBudget) {
      page.next_cursor = core::EncodeCursor(examined);
      return page;
    }
  }
}

}  // namespace valet::adapters::redis
