#include "repository_upgrade.hpp"

#include <algorithm>
#include <charconv>

#include "record_codec.hpp"
#include "repository_scripts.hpp"

namespace valet::adapters::redis {

namespace {

const Script kFileJobsScript{std::string(scripts::kFileJob) + scripts::kFileJobs};

// Jobs filed per script call, so that no call holds the server for long.
constexpr std::size_t kBatch = 500;

Status CheckReply(const Result<Reply>& reply) {
  if (!reply.ok()) return reply.status();
  return reply->ErrorStatus();
}

}  // namespace

Status UpgradeKeys(RedisPool& pool, const RepositoryKeys& keys) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  auto version = (*lease)->Run({"GET", keys.SchemaVersion()});
  if (Status read = CheckReply(version); !read.ok()) return read;
  int stored = 0;
  if (!version->IsNil()) {
    std::string_view text = version->text();
    std::from_chars(text.data(), text.data() + text.size(), stored);
  }
  if (stored >= kSchemaVersion) return Status::Ok();
  for (JobStatus status : {JobStatus::kPending, JobStatus::kScheduled, JobStatus::kInProgress}) {
    // The whole index in one read: paging by rank would skip jobs when others leave it meanwhile.
    auto members = (*lease)->Run({"ZRANGE", keys.JobsIn(status), "0", "-1"});
    if (Status read = CheckReply(members); !read.ok()) return read;
    for (std::size_t start = 0; start < members->size(); start += kBatch) {
      std::vector<std::string> job_keys{keys.Due(), keys.Leases(), keys.Queued()};
      for (std::size_t i = start; i < std::min(start + kBatch, members->size()); ++i) {
        job_keys.push_back(keys.Job(IdOfMember(TextOf(members->at(i)))));
      }
      auto filed = (*lease)->Eval(kFileJobsScript, job_keys, {});
      if (!filed.ok()) return filed.status();
    }
  }
  return CheckReply((*lease)->Run({"SET", keys.SchemaVersion(), std::to_string(kSchemaVersion)}));
}

}  // namespace valet::adapters::redis
