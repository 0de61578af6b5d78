#include "valet/adapters/redis/redis_job_repository.hpp"

#include <cmath>
#include <cstdlib>

#include "record_codec.hpp"
#include "redis_connection.hpp"
#include "repository_keys.hpp"
#include "repository_scripts.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::redis {

namespace {

const Script kCreateScript{scripts::kCreate};
const Script kPatchScript{scripts::kPatch};
const Script kTransitionScript{scripts::kTransition};
const Script kStartScript{scripts::kStart};
const Script kDeleteJobScript{scripts::kDeleteJob};
const Script kClaimDueScript{scripts::kClaimDue};
const Script kDeletePipelineScript{scripts::kDeletePipeline};

// A claim reads up to this many rounds of candidates when other instances take some of them.
constexpr int kClaimRounds = 8;

std::string StatusArg(JobStatus status) { return std::to_string(static_cast<int>(status)); }

const char* TimeFieldFor(JobStatus to) {
  switch (to) {
    case JobStatus::kScheduled:
      return "scheduled_at";
    case JobStatus::kInProgress:
      return "started_at";
    default:
      return "completed_at";
  }
}

Status Illegal(const Transition& transition) {
  return Status::Conflict("illegal transition from " + std::string(JobStatusName(transition.from)) +
                          " to " + std::string(JobStatusName(transition.to)));
}

Status StatusMismatch(long long current, JobStatus expected) {
  return Status::Conflict("status is " +
                          std::string(JobStatusName(static_cast<JobStatus>(current))) + ", not " +
                          std::string(JobStatusName(expected)));
}

Status Garbled(const std::string& what) {
  return Status::Internal("redis: unexpected data in " + what);
}

std::vector<std::string> AllStatusKeys(const RepositoryKeys& keys, bool pipelines) {
  std::vector<std::string> names;
  for (JobStatus status : kAllJobStatuses) {
    names.push_back(pipelines ? keys.PipelinesIn(status) : keys.JobsIn(status));
  }
  return names;
}

std::vector<std::string> PatchArgs(const JobInfoPatch& patch) {
  std::vector<std::string> args;
  if (patch.name) {
    args.emplace_back("name");
    args.push_back(*patch.name);
  }
  if (patch.description) {
    args.emplace_back("description");
    args.push_back(*patch.description);
  }
  return args;
}

}  // namespace

Status CheckKeyPrefix(const std::string& prefix) {
  if (prefix.empty() || prefix.size() > 200 || prefix.find_first_of("{}") != std::string::npos) {
    return Status::InvalidArgument("redis key_prefix \"" + prefix +
                                   "\" must be 1 to 200 characters without '{' or '}'");
  }
  return Status::Ok();
}

Result<std::unique_ptr<RedisJobRepository>> RedisJobRepository::Open(
    const RedisRepositoryOptions& options) {
  if (Status prefix = CheckKeyPrefix(options.key_prefix); !prefix.ok()) return prefix;
  core::ConnectionPoolOptions pool_options;
  pool_options.max_open = std::max(1, options.pool_size);
  pool_options.max_idle = std::max(pool_options.max_open, options.min_idle_conns);
  pool_options.max_lifetime = std::chrono::milliseconds{0};
  pool_options.acquire_timeout = options.timeout;
  auto pool = std::make_unique<RedisPool>(options.endpoint, pool_options, options.timeout);
  int warm_count = std::min(options.min_idle_conns, pool_options.max_open);
  if (Status warmed = WarmUp(*pool, warm_count); !warmed.ok()) return warmed;
  return std::unique_ptr<RedisJobRepository>(new RedisJobRepository(
      std::move(pool), std::make_unique<RepositoryKeys>(options.key_prefix), options.result_ttl));
}

RedisJobRepository::RedisJobRepository(std::unique_ptr<RedisPool> pool,
                                       std::unique_ptr<RepositoryKeys> keys,
                                       std::chrono::milliseconds result_ttl)
    : pool_(std::move(pool)), keys_(std::move(keys)), result_ttl_(result_ttl) {}

RedisJobRepository::~RedisJobRepository() = default;

// Runs one script on a pooled connection.
#define VALET_EVAL(reply, script, keys, args)              \
  auto lease_##reply = pool_->Acquire();                   \
  if (!lease_##reply.ok()) return lease_##reply.status();  \
  auto reply = (*lease_##reply)->Eval(script, keys, args); \
  if (!reply.ok()) return reply.status()

Status RedisJobRepository::Create(const Pipeline* pipeline, const std::vector<Job>& jobs) {
  std::vector<std::string> keys{keys_->Seq(), keys_->Jobs(), keys_->Due()};
  for (auto& name : AllStatusKeys(*keys_, false)) keys.push_back(std::move(name));
  keys.push_back(keys_->Pipelines());
  for (auto& name : AllStatusKeys(*keys_, true)) keys.push_back(std::move(name));
  std::vector<std::string> args{pipeline ? "1" : "0", std::to_string(jobs.size())};
  auto add_record = [&](const std::string& id, TimePoint created, JobStatus status,
                        const OptionalTime* run_at, std::vector<std::string> fields) {
    args.push_back(id);
    args.push_back(Micros(created));
    args.push_back(StatusArg(status));
    if (run_at) args.push_back(*run_at ? Micros(**run_at) : std::string());
    args.push_back(std::to_string(fields.size() / 2));
    for (auto& field : fields) args.push_back(std::move(field));
  };
  if (pipeline) {
    keys.push_back(keys_->Pipeline(pipeline->id));
    add_record(pipeline->id, pipeline->created_at, pipeline->status, nullptr,
               PipelineFields(*pipeline));
  }
  for (const Job& job : jobs) {
    keys.push_back(keys_->Job(job.id));
    add_record(job.id, job.created_at, job.status, &job.run_at, JobFields(job));
  }
  VALET_EVAL(created, kCreateScript, keys, args);
  if (created->integer() == 1) return Status::Ok();
  if (pipeline) {
    return Status::Conflict("pipeline with ID: " + pipeline->id + " or one of its jobs exists");
  }
  return Status::Conflict("job with ID: " + jobs.front().id + " already exists");
}

Status RedisJobRepository::CreateJob(const Job& job) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  return Create(nullptr, {job});
}

Result<Job> RedisJobRepository::GetJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  auto found = RunOn(*pool_, {"HGETALL", keys_->Job(id)});
  if (!found.ok()) return found.status();
  if (found->size() == 0) return core::JobNotFound(id);
  Job job;
  if (!DecodeJob(found->raw(), job)) return Garbled("job " + id);
  return job;
}

Result<std::vector<Job>> RedisJobRepository::ReadJobs(const std::vector<std::string>& ids) {
  std::vector<Job> jobs;
  if (ids.empty()) return jobs;
  std::vector<Command> reads;
  reads.reserve(ids.size());
  for (const std::string& id : ids) reads.push_back({"HGETALL", keys_->Job(id)});
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline(reads);
  if (!replies.ok()) return replies.status();
  jobs.reserve(ids.size());
  for (std::size_t i = 0; i < replies->size(); ++i) {
    const Reply& reply = (*replies)[i];
    if (Status error = reply.ErrorStatus(); !error.ok()) return error;
    if (reply.size() == 0) continue;  // deleted since the index was read
    Job job;
    if (!DecodeJob(reply.raw(), job)) return Garbled("job " + ids[i]);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Result<std::vector<Job>> RedisJobRepository::ListJobs(std::optional<JobStatus> status) {
  auto members =
      RunOn(*pool_, {"ZRANGE", status ? keys_->JobsIn(*status) : keys_->Jobs(), "0", "-1"});
  if (!members.ok()) return members.status();
  std::vector<std::string> ids;
  ids.reserve(members->size());
  for (std::size_t i = 0; i < members->size(); ++i)
    ids.push_back(IdOfMember(TextOf(members->at(i))));
  return ReadJobs(ids);
}

Status RedisJobRepository::PatchJob(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  VALET_EVAL(patched, kPatchScript, {keys_->Job(id)}, PatchArgs(patch));
  return patched->integer() == 1 ? Status::Ok() : core::JobNotFound(id);
}

Status RedisJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to)) return Illegal(transition);
  std::vector<std::string> keys{keys_->Job(id), keys_->JobsIn(transition.from),
                                keys_->JobsIn(transition.to), keys_->Due(), keys_->Result(id)};
  std::vector<std::string> args{StatusArg(transition.from),         StatusArg(transition.to),
                                TimeFieldFor(transition.to),        Micros(transition.at),
                                transition.failure_reason,          transition.result ? "1" : "0",
                                std::to_string(result_ttl_.count())};
  if (transition.result) {
    for (auto& field : ResultFields(*transition.result)) args.push_back(std::move(field));
  }
  VALET_EVAL(moved, kTransitionScript, keys, args);
  if (moved->integer() == 0) return Status::Ok();
  if (moved->integer() < 0) return core::JobNotFound(id);
  return StatusMismatch(moved->integer(), transition.from);
}

Result<Job> RedisJobRepository::StartJob(const std::string& id, TimePoint at) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  std::vector<std::string> keys{keys_->Job(id), keys_->JobsIn(JobStatus::kPending),
                                keys_->JobsIn(JobStatus::kScheduled),
                                keys_->JobsIn(JobStatus::kInProgress), keys_->Due()};
  VALET_EVAL(started, kStartScript, keys, {Micros(at)});
  if (started->type() == REDIS_REPLY_ARRAY) {
    Job job;
    if (!DecodeJob(started->raw(), job)) return Garbled("job " + id);
    return job;
  }
  if (started->integer() < 0) return core::JobNotFound(id);
  return Status::Conflict("job with ID: " + id + " cannot start: " +
                          StatusMismatch(started->integer(), JobStatus::kPending).message());
}

Status RedisJobRepository::DeleteJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  std::vector<std::string> keys{keys_->Job(id), keys_->Result(id), keys_->Jobs(), keys_->Due()};
  for (auto& name : AllStatusKeys(*keys_, false)) keys.push_back(std::move(name));
  VALET_EVAL(deleted, kDeleteJobScript, keys, {});
  return deleted->integer() == 1 ? Status::Ok() : core::JobNotFound(id);
}

Result<std::vector<Job>> RedisJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  std::vector<Job> claimed;
  std::string now_micros = Micros(now);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  for (int round = 0; round < kClaimRounds && claimed.size() < limit; ++round) {
    std::size_t wanted = limit - claimed.size();
    auto due = (*lease)->Run({"ZRANGE", keys_->Due(), "-inf", now_micros, "BYSCORE", "LIMIT", "0",
                              std::to_string(wanted)});
    if (!due.ok()) return due.status();
    if (Status error = due->ErrorStatus(); !error.ok()) return error;
    if (due->size() == 0) break;
    std::vector<std::string> keys{keys_->Due(), keys_->JobsIn(JobStatus::kPending),
                                  keys_->JobsIn(JobStatus::kScheduled)};
    std::vector<std::string> args{now_micros};
    for (std::size_t i = 0; i < due->size(); ++i) {
      std::string member(TextOf(due->at(i)));
      keys.push_back(keys_->Job(IdOfMember(member)));
      args.push_back(std::move(member));
    }
    auto moved = (*lease)->Eval(kClaimDueScript, keys, args);
    if (!moved.ok()) return moved.status();
    for (std::size_t i = 0; i < moved->size(); ++i) {
      Job job;
      if (!DecodeJob(moved->at(i), job)) return Garbled("a claimed job");
      claimed.push_back(std::move(job));
    }
    // Every candidate was ours and there were fewer than wanted: nothing else is due.
    if (moved->size() == due->size() && due->size() < wanted) break;
  }
  return claimed;
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

Status RedisJobRepository::CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  if (!core::IsUuid(pipeline.id)) {
    return Status::InvalidArgument("pipeline id must be a UUID: " + pipeline.id);
  }
  for (const Job& job : jobs) {
    if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  }
  return Create(&pipeline, jobs);
}

Result<Pipeline> RedisJobRepository::GetPipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  auto found = RunOn(*pool_, {"HGETALL", keys_->Pipeline(id)});
  if (!found.ok()) return found.status();
  if (found->size() == 0) return core::PipelineNotFound(id);
  Pipeline pipeline;
  if (!DecodePipeline(found->raw(), pipeline)) return Garbled("pipeline " + id);
  return pipeline;
}

Result<std::vector<Pipeline>> RedisJobRepository::ListPipelines(std::optional<JobStatus> status) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto members = (*lease)->Run(
      {"ZRANGE", status ? keys_->PipelinesIn(*status) : keys_->Pipelines(), "0", "-1"});
  if (!members.ok()) return members.status();
  if (Status error = members->ErrorStatus(); !error.ok()) return error;
  std::vector<Pipeline> pipelines;
  if (members->size() == 0) return pipelines;
  std::vector<Command> reads;
  for (std::size_t i = 0; i < members->size(); ++i) {
    reads.push_back({"HGETALL", keys_->Pipeline(IdOfMember(TextOf(members->at(i))))});
  }
  auto replies = (*lease)->Pipeline(reads);
  if (!replies.ok()) return replies.status();
  for (const Reply& reply : *replies) {
    if (Status error = reply.ErrorStatus(); !error.ok()) return error;
    if (reply.size() == 0) continue;
    Pipeline pipeline;
    if (!DecodePipeline(reply.raw(), pipeline)) return Garbled("a pipeline");
    pipelines.push_back(std::move(pipeline));
  }
  return pipelines;
}

Result<std::vector<Job>> RedisJobRepository::ListPipelineJobs(const std::string& pipeline_id) {
  auto pipeline = GetPipeline(pipeline_id);
  if (!pipeline.ok()) return pipeline.status();
  return ReadJobs(pipeline->job_ids);
}

Status RedisJobRepository::PatchPipeline(const std::string& id, const JobInfoPatch& patch) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  VALET_EVAL(patched, kPatchScript, {keys_->Pipeline(id)}, PatchArgs(patch));
  return patched->integer() == 1 ? Status::Ok() : core::PipelineNotFound(id);
}

Status RedisJobRepository::TransitionPipeline(const std::string& id, const Transition& transition) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  if (!IsLegalTransition(transition.from, transition.to) ||
      transition.to == JobStatus::kScheduled) {
    return Illegal(transition);
  }
  std::vector<std::string> keys{keys_->Pipeline(id), keys_->PipelinesIn(transition.from),
                                keys_->PipelinesIn(transition.to)};
  std::vector<std::string> args{StatusArg(transition.from),
                                StatusArg(transition.to),
                                TimeFieldFor(transition.to),
                                Micros(transition.at),
                                "",
                                "0",
                                "0"};
  VALET_EVAL(moved, kTransitionScript, keys, args);
  if (moved->integer() == 0) return Status::Ok();
  if (moved->integer() < 0) return core::PipelineNotFound(id);
  return StatusMismatch(moved->integer(), transition.from);
}

Status RedisJobRepository::DeletePipeline(const std::string& id) {
  if (!core::IsUuid(id)) return core::PipelineNotFound(id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto ids = (*lease)->Run({"HGET", keys_->Pipeline(id), "job_ids"});
  if (!ids.ok()) return ids.status();
  if (Status error = ids->ErrorStatus(); !error.ok()) return error;
  if (ids->IsNil()) return core::PipelineNotFound(id);
  std::string job_ids(ids->text());
  std::vector<std::string> keys{keys_->Pipeline(id), keys_->Pipelines()};
  for (auto& name : AllStatusKeys(*keys_, true)) keys.push_back(std::move(name));
  keys.push_back(keys_->Jobs());
  keys.push_back(keys_->Due());
  for (auto& name : AllStatusKeys(*keys_, false)) keys.push_back(std::move(name));
  for (std::size_t start = 0; start < job_ids.size();) {
    std::size_t end = std::min(job_ids.find(',', start), job_ids.size());
    std::string job_id = job_ids.substr(start, end - start);
    keys.push_back(keys_->Job(job_id));
    keys.push_back(keys_->Result(job_id));
    start = end + 1;
  }
  auto deleted = (*lease)->Eval(kDeletePipelineScript, keys, {job_ids});
  if (!deleted.ok()) return deleted.status();
  if (deleted->integer() == 1) return Status::Ok();
  if (deleted->integer() == 0) return core::PipelineNotFound(id);
  return Status::Internal("redis: pipeline " + id + " changed its jobs while being deleted");
}

Result<JobResult> RedisJobRepository::GetResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  auto found = RunOn(*pool_, {"HGETALL", keys_->Result(job_id)});
  if (!found.ok()) return found.status();
  if (found->size() == 0) return core::ResultNotFound(job_id);
  JobResult result;
  if (!DecodeResult(found->raw(), job_id, result)) return Garbled("result " + job_id);
  return result;
}

Status RedisJobRepository::DeleteResult(const std::string& job_id) {
  if (!core::IsUuid(job_id)) return core::ResultNotFound(job_id);
  auto deleted = RunOn(*pool_, {"DEL", keys_->Result(job_id)});
  if (!deleted.ok()) return deleted.status();
  return deleted->integer() == 1 ? Status::Ok() : core::ResultNotFound(job_id);
}

Status RedisJobRepository::CheckHealth() { return RunOn(*pool_, {"PING"}).status(); }

}  // namespace valet::adapters::redis
