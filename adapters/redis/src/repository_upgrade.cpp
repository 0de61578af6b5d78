#include "repository_upgrade.hpp"

#include <algorithm>
#include <charconv>

#include "record_codec.hpp"
#include "repository_scripts.hpp"

namespace valet::adapters::redis {

namespace {

const Script kFileJobsScript{std::string(scripts::kFileJob) + scripts::kFileJobs};
const Script kFileFinishedScript{scripts::kFileFinished};

// Records filed per script call, so that no call holds the server for long.
constexpr std::size_t kBatch = 500;

Status CheckReply(const Result<Reply>& reply) {
  if (!reply.ok()) return reply.status();
  return reply->ErrorStatus();
}

// Runs `script` over the records of `index` in batches, each batch's keys after `first_keys`.
Status FileEach(RedisConnection& connection, const std::string& index,
                const std::vector<std::string>& first_keys,
                std::string (RepositoryKeys::*record)(const std::string&) const,
                const RepositoryKeys& keys, const Script& script) {
  // The whole index in one read: paging by rank would skip records when others leave it meanwhile.
  auto members = connection.Run({"ZRANGE", index, "0", "-1"});
  if (Status read = CheckReply(members); !read.ok()) return read;
  for (std::size_t start = 0; start < members->size(); start += kBatch) {
    std::vector<std::string> script_keys = first_keys;
    for (std::size_t i = start; i < std::min(start + kBatch, members->size()); ++i) {
      script_keys.push_back((keys.*record)(IdOfMember(TextOf(members->at(i)))));
    }
    auto filed = connection.Eval(script, script_keys, {});
    if (!filed.ok()) return filed.status();
  }
  return Status::Ok();
}

}  // namespace

Status UpgradeKeys(RedisPool& pool, const RepositoryKeys& keys) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  RedisConnection& connection = **lease;
  auto version = connection.Run({"GET", keys.SchemaVersion()});
  if (Status read = CheckReply(version); !read.ok()) return read;
  int stored = 0;
  if (!version->IsNil()) {
    std::string_view text = version->text();
    std::from_chars(text.data(), text.data() + text.size(), stored);
  }
  if (stored >= kSchemaVersion) return Status::Ok();
  // Layout 1: the unfinished jobs in the due, lease and queued indexes.
  for (JobStatus status : {JobStatus::kPending, JobStatus::kScheduled, JobStatus::kInProgress}) {
    if (stored >= 1) break;
    Status filed =
        FileEach(connection, keys.JobsIn(status), {keys.Due(), keys.Leases(), keys.Queued()},
                 &RepositoryKeys::Job, keys, kFileJobsScript);
    if (!filed.ok()) return filed;
  }
  // Layout 2: the finished jobs and pipelines in their finished indexes.
  for (JobStatus status : {JobStatus::kCompleted, JobStatus::kFailed, JobStatus::kCancelled}) {
    Status jobs = FileEach(connection, keys.JobsIn(status), {keys.JobsFinished()},
                           &RepositoryKeys::Job, keys, kFileFinishedScript);
    if (!jobs.ok()) return jobs;
    Status pipelines = FileEach(connection, keys.PipelinesIn(status), {keys.PipelinesFinished()},
                                &RepositoryKeys::Pipeline, keys, kFileFinishedScript);
    if (!pipelines.ok()) return pipelines;
  }
  return CheckReply(connection.Run({"SET", keys.SchemaVersion(), std::to_string(kSchemaVersion)}));
}

}  // namespace valet::adapters::redis
