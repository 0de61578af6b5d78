// RedisJobRepository: a job's status changes, its lease, and the claims of due and stranded
// jobs.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "job_lifecycle_scripts.hpp"
#include "record_codec.hpp"
#include "redis_connection.hpp"
#include "repository_keys.hpp"
#include "repository_scripts.hpp"
#include "repository_support.hpp"
#include "valet/adapters/redis/redis_job_repository.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::redis {

namespace {

Script WithFileJob(const char* body) { return Script{std::string(scripts::kFileJob) + body}; }
Script WithFunction(const char* function, const char* body) {
  return WithFileJob((std::string(function) + body).c_str());
}

const Script kTransitionJobScript =
    WithFunction(scripts::kTransitionJobFunction, scripts::kTransitionJob);
const Script kTransitionJobsScript =
    WithFunction(scripts::kTransitionJobFunction, scripts::kTransitionJobs);
const Script kStartScript = WithFunction(scripts::kStartJobFunction, scripts::kStart);
const Script kStartJobsScript = WithFunction(scripts::kStartJobFunction, scripts::kStartJobs);
const Script kRenewLeaseScript{scripts::kRenewLease};
const Script kSetProgressScript{scripts::kSetProgress};
const Script kClaimDueScript = WithFileJob(scripts::kClaimDue);
const Script kClaimStrandedScript = WithFileJob(scripts::kClaimStranded);

// A claim reads up to this many rounds of candidates when other instances take some of them,
// and at most kClaimBatch candidates a round.
constexpr int kClaimRounds = 8;
constexpr std::size_t kClaimBatch = 1000;

// A claim of the jobs whose score in `index` lies in [min, max]: the script (`keys`, then the
// candidates' job keys; `args`, then their members) takes those that are still candidates.
struct ClaimQuery {
  std::string index;
  std::string min;
  std::string max;
  const Script& script;
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

Result<std::vector<Job>> ClaimInRounds(RedisPool& pool, const RepositoryKeys& names,
                                       const ClaimQuery& query, std::size_t limit) {
  std::vector<Job> claimed;
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  for (int round = 0; round < kClaimRounds && claimed.size() < limit; ++round) {
    std::size_t wanted = std::min(limit - claimed.size(), kClaimBatch);
    auto candidates = (*lease)->Run({"ZRANGE", query.index, query.min, query.max, "BYSCORE",
                                     "LIMIT", "0", std::to_string(wanted)});
    if (!candidates.ok()) return candidates.status();
    if (Status error = candidates->ErrorStatus(); !error.ok()) return error;
    if (candidates->size() == 0) break;
    std::vector<std::string> keys = query.keys;
    std::vector<std::string> args = query.args;
    for (std::size_t i = 0; i < candidates->size(); ++i) {
      std::string member(TextOf(candidates->at(i)));
      keys.push_back(names.Job(IdOfMember(member)));
      args.push_back(std::move(member));
    }
    auto moved = (*lease)->Eval(query.script, keys, args);
    if (!moved.ok()) return moved.status();
    for (std::size_t i = 0; i < moved->size(); ++i) {
      Job job;
      if (!DecodeJob(moved->at(i), job)) return Garbled("a claimed job");
      claimed.push_back(std::move(job));
    }
    // Every candidate was ours and there were fewer than wanted: there are no more.
    if (moved->size() == candidates->size() && candidates->size() < wanted) break;
  }
  return claimed;
}

// A status change's arguments to transition_job() (kTransitionJobFunction), but the ttl.
std::vector<std::string> TransitionArgs(const Transition& transition) {
  const bool has_attempts = transition.attempts.has_value();
  return {StatusArg(transition.from),
          StatusArg(transition.to),
          TimeFieldFor(transition.to),
          Micros(transition.at),
          transition.failure_reason,
          transition.lease_token ? "1" : "0",
          transition.lease_token.value_or(""),
          transition.run_at ? Micros(*transition.run_at) : "",
          has_attempts ? "1" : "0",
          has_attempts && !transition.attempts->is_null() ? JsonText(*transition.attempts) : "",
          transition.result ? "1" : "0"};
}

}  // namespace

Status RedisJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to)) return Illegal(transition);
  std::vector<std::string> keys{keys_->Job(id),
                                keys_->JobsIn(transition.from),
                                keys_->JobsIn(transition.to),
                                keys_->Due(),
                                keys_->Leases(),
                                keys_->Queued(),
                                keys_->Result(id),
                                keys_->JobsFinished()};
  if (!transition.schedule_next_job_id.empty()) {
    keys.push_back(keys_->Job(transition.schedule_next_job_id));
    keys.push_back(keys_->JobsIn(JobStatus::kPending));
    keys.push_back(keys_->JobsIn(JobStatus::kScheduled));
  }
  std::vector<std::string> args = TransitionArgs(transition);
  args.push_back(std::to_string(result_ttl_.count()));
  if (transition.result) {
    for (auto& field : ResultFields(*transition.result)) args.push_back(std::move(field));
  }
  VALET_EVAL(moved, kTransitionJobScript, keys, args);
  if (moved->integer() == 0) return Status::Ok();
  if (moved->integer() == -1) return core::JobNotFound(id);
  if (moved->integer() == -2) return Status::Conflict("the job's lease is held by another attempt");
  return StatusMismatch(moved->integer(), transition.from);
}

Result<Job> RedisJobRepository::StartJob(const std::string& id, const Lease& lease) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  std::vector<std::string> keys{keys_->Job(id),
                                keys_->JobsIn(JobStatus::kPending),
                                keys_->JobsIn(JobStatus::kScheduled),
                                keys_->JobsIn(JobStatus::kInProgress),
                                keys_->Due(),
                                keys_->Leases(),
                                keys_->Queued()};
  std::vector<std::string> args{Micros(lease.at), lease.token, Micros(lease.expires_at)};
  VALET_EVAL(started, kStartScript, keys, args);
  if (started->type() == REDIS_REPLY_ARRAY) {
    Job job;
    if (!DecodeJob(started->raw(), job)) return Garbled("job " + id);
    return job;
  }
  if (started->integer() < 0) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " cannot start: status is " +
                          std::string(JobStatusName(static_cast<JobStatus>(started->integer()))));
}

Result<std::vector<bool>> RedisJobRepository::TransitionJobs(
    const std::vector<JobTransition>& changes) {
  std::vector<bool> applied(changes.size(), false);
  std::vector<std::string> keys = keys_->JobsInEachStatus();
  keys.push_back(keys_->Due());
  keys.push_back(keys_->Leases());
  keys.push_back(keys_->Queued());
  keys.push_back(keys_->JobsFinished());
  std::vector<std::string> args{std::to_string(result_ttl_.count())};
  std::vector<std::size_t> sent;  // the index in `changes` of each change in the script
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& [id, transition] = changes[i];
    if (!core::IsUuid(id) || !IsLegalTransition(transition.from, transition.to)) continue;
    const std::string& next = transition.schedule_next_job_id;
    keys.push_back(keys_->Job(id));
    keys.push_back(keys_->Result(id));
    keys.push_back(keys_->Job(next.empty() ? id : next));
    for (auto& arg : TransitionArgs(transition)) args.push_back(std::move(arg));
    args.push_back(next.empty() ? "0" : "1");
    std::vector<std::string> fields;
    if (transition.result) fields = ResultFields(*transition.result);
    args.push_back(std::to_string(fields.size()));
    for (auto& field : fields) args.push_back(std::move(field));
    sent.push_back(i);
  }
  if (sent.empty()) return applied;
  VALET_EVAL(moved, kTransitionJobsScript, keys, args);
  if (moved->size() != sent.size()) return Garbled("the outcome of a batch of status changes");
  for (std::size_t i = 0; i < sent.size(); ++i) {
    applied[sent[i]] = moved->at(i)->integer == 1;
  }
  return applied;
}

Result<std::vector<Job>> RedisJobRepository::StartJobs(const std::vector<std::string>& ids,
                                                       const Lease& lease) {
  std::vector<std::string> keys{keys_->JobsIn(JobStatus::kPending),
                                keys_->JobsIn(JobStatus::kScheduled),
                                keys_->JobsIn(JobStatus::kInProgress),
                                keys_->Due(),
                                keys_->Leases(),
                                keys_->Queued()};
  for (const std::string& id : ids) {
    if (core::IsUuid(id)) keys.push_back(keys_->Job(id));
  }
  std::vector<Job> started;
  if (keys.size() == 6) return started;
  std::vector<std::string> args{Micros(lease.at), lease.token, Micros(lease.expires_at)};
  VALET_EVAL(claimed, kStartJobsScript, keys, args);
  for (std::size_t i = 0; i < claimed->size(); ++i) {
    Job job;
    if (!DecodeJob(claimed->at(i), job)) return Garbled("a started job");
    started.push_back(std::move(job));
  }
  return started;
}

Status RedisJobRepository::RenewLease(const std::string& id, const std::string& token,
                                      TimePoint expires_at) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  std::vector<std::string> keys{keys_->Job(id), keys_->Leases()};
  std::vector<std::string> args{token, Micros(expires_at)};
  VALET_EVAL(renewed, kRenewLeaseScript, keys, args);
  if (renewed->integer() == 1) return Status::Ok();
  if (renewed->integer() < 0) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " is no longer held under this lease");
}

Status RedisJobRepository::SetProgress(const std::string& id, const std::string& token,
                                       const Json& progress) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  std::vector<std::string> keys{keys_->Job(id)};
  std::vector<std::string> args{token, JsonText(progress)};
  VALET_EVAL(set, kSetProgressScript, keys, args);
  if (set->integer() == 1) return Status::Ok();
  if (set->integer() < 0) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " is no longer held under this lease");
}

Result<std::vector<Job>> RedisJobRepository::ListExpiredLeases(TimePoint now, std::size_t limit) {
  if (Status upgraded = EnsureUpgraded(); !upgraded.ok()) return upgraded;
  if (limit == 0) return std::vector<Job>{};
  auto members = RunOn(*pool_, {"ZRANGE", keys_->Leases(), "-inf", Micros(now), "BYSCORE", "LIMIT",
                                "0", std::to_string(std::min(limit, kClaimBatch))});
  if (!members.ok()) return members.status();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < members->size(); ++i) {
    ids.push_back(IdOfMember(TextOf(members->at(i))));
  }
  auto jobs = ReadJobs(ids);
  if (!jobs.ok()) return jobs;
  // A job may have finished, or its lease been renewed, since the index was read.
  std::erase_if(*jobs, [now](const Job& job) {
    return job.status != JobStatus::kInProgress ||
           (job.lease_expires_at && *job.lease_expires_at > now);
  });
  return jobs;
}

Result<std::vector<Job>> RedisJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  std::string now_micros = Micros(now);
  ClaimQuery query{keys_->Due(),
                   "-inf",
                   now_micros,
                   kClaimDueScript,
                   {keys_->Due(), keys_->JobsIn(JobStatus::kPending),
                    keys_->JobsIn(JobStatus::kScheduled), keys_->Leases(), keys_->Queued()},
                   {now_micros}};
  return ClaimInRounds(*pool_, *keys_, query, limit);
}

Result<OptionalTime> RedisJobRepository::NextDueTime() {
  auto first = RunOn(*pool_, {"ZRANGE", keys_->Due(), "0", "0", "WITHSCORES"});
  if (!first.ok()) return first.status();
  if (first->size() < 2) return OptionalTime{};
  std::string score(TextOf(first->at(1)));
  // Scores are whole microseconds, exact in a double until the year 2255.
  double micros = std::strtod(score.c_str(), nullptr);
  return OptionalTime{TimePoint{std::chrono::microseconds{std::llround(micros)}}};
}

Result<std::vector<Job>> RedisJobRepository::ClaimStrandedJobs(TimePoint queued_before,
                                                               TimePoint now, std::size_t limit) {
  if (Status upgraded = EnsureUpgraded(); !upgraded.ok()) return upgraded;
  // Every job in the queued index is a candidate once its score is before queued_before, so a
  // claim reads no job that it then leaves, however many jobs wait for others.
  std::string before = Micros(queued_before);
  ClaimQuery query{keys_->Queued(),
                   "-inf",
                   "(" + before,
                   kClaimStrandedScript,
                   {keys_->Queued(), keys_->JobsIn(JobStatus::kPending),
                    keys_->JobsIn(JobStatus::kScheduled), keys_->Due(), keys_->Leases()},
                   {before, Micros(now)}};
  auto claimed = ClaimInRounds(*pool_, *keys_, query, limit);
  if (!claimed.ok()) return claimed;
  std::stable_sort(claimed->begin(), claimed->end(),
                   [](const Job& a, const Job& b) { return a.created_at < b.created_at; });
  return claimed;
}

}  // namespace valet::adapters::redis
