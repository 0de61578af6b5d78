#include "valet/adapters/redis/redis_job_repository.hpp"

#include <algorithm>
#include <set>

#include "record_codec.hpp"
#include "redis_connection.hpp"
#include "repository_keys.hpp"
#include "repository_scripts.hpp"
#include "repository_support.hpp"
#include "repository_upgrade.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::redis {

namespace {

const Script kCreateScript{std::string(scripts::kFileJob) + scripts::kCreate};
const Script kPatchScript{scripts::kPatch};
const Script kTransitionPipelineScript{scripts::kTransitionPipeline};
const Script kDeleteJobScript{scripts::kDeleteJob};
const Script kDeletePipelineScript{scripts::kDeletePipeline};

// A create under an Idempotency-Key reads the key's holder again at most this many times when
// concurrent creates change it in between.
constexpr int kKeyRounds = 8;

Status CheckIds(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  if (!core::IsUuid(pipeline.id)) {
    return Status::InvalidArgument("pipeline id must be a UUID: " + pipeline.id);
  }
  for (const Job& job : jobs) {
    if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  }
  return Status::Ok();
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
  std::unique_ptr<RedisJobRepository> repository(new RedisJobRepository(
      std::move(pool), std::make_unique<RepositoryKeys>(options.key_prefix), options.result_ttl));
  if (Status upgraded = repository->EnsureUpgraded();
      !upgraded.ok() && upgraded.code() != StatusCode::kUnavailable) {
    return upgraded;
  }
  return repository;
}

RedisJobRepository::RedisJobRepository(std::unique_ptr<RedisPool> pool,
                                       std::unique_ptr<RepositoryKeys> keys,
                                       std::chrono::milliseconds result_ttl)
    : pool_(std::move(pool)),
      keys_(std::move(keys)),
      result_ttl_(result_ttl),
      schedules_(*pool_, *keys_),
      groups_(*pool_, *keys_) {}

RedisJobRepository::~RedisJobRepository() = default;

Status RedisJobRepository::EnsureUpgraded() {
  if (upgraded_.load()) return Status::Ok();
  std::lock_guard lock(upgrade_mutex_);
  if (upgraded_.load()) return Status::Ok();
  Status upgraded = UpgradeKeys(*pool_, *keys_);
  if (upgraded.ok()) upgraded_.store(true);
  return upgraded;
}

Result<std::string> RedisJobRepository::Create(const Pipeline* pipeline,
                                               const std::vector<Job>& jobs,
                                               const IdempotencyKey* key) {
  std::vector<std::string> keys{keys_->Seq(), keys_->Jobs(), keys_->Due(), keys_->Leases(),
                                keys_->Queued()};
  for (auto& name : keys_->JobsInEachStatus()) keys.push_back(std::move(name));
  keys.push_back(keys_->Pipelines());
  for (auto& name : keys_->PipelinesInEachStatus()) keys.push_back(std::move(name));
  std::vector<std::string> args{pipeline ? "1" : "0", key ? "1" : "0"};
  const std::string& id = pipeline ? pipeline->id : jobs.front().id;
  std::string key_name;
  const std::size_t holder_key = keys.size() + 1;
  const std::size_t holder_arg = args.size();
  if (key) {
    key_name = pipeline ? keys_->PipelineKey(key->key) : keys_->JobKey(key->key);
    keys.push_back(key_name);
    keys.push_back(key_name);  // the holder's record, once read
    args.emplace_back();       // the holder's id, once read
    args.push_back(Micros(key->expires_at));
    args.push_back(Micros(pipeline ? pipeline->created_at : jobs.front().created_at));
  }
  auto add_record = [&](const std::string& record_id, TimePoint created, JobStatus status,
                        std::vector<std::string> fields) {
    args.push_back(record_id);
    args.push_back(Micros(created));
    args.push_back(StatusArg(status));
    args.push_back(std::to_string(fields.size() / 2));
    for (auto& field : fields) args.push_back(std::move(field));
  };
  if (pipeline) {
    keys.push_back(keys_->Pipeline(pipeline->id));
    add_record(pipeline->id, pipeline->created_at, pipeline->status, PipelineFields(*pipeline));
  }
  for (const Job& job : jobs) {
    keys.push_back(keys_->Job(job.id));
    add_record(job.id, job.created_at, job.status, JobFields(job));
  }
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  for (int round = 0; round < kKeyRounds; ++round) {
    if (key) {
      auto holder = (*lease)->Run({"HGET", key_name, "id"});
      if (!holder.ok()) return holder.status();
      if (Status error = holder->ErrorStatus(); !error.ok()) return error;
      std::string holder_id(holder->text());
      keys[holder_key] = holder_id.empty() ? key_name
                         : pipeline        ? keys_->Pipeline(holder_id)
                                           : keys_->Job(holder_id);
      args[holder_arg] = holder_id;
    }
    auto created = (*lease)->Eval(kCreateScript, keys, args);
    if (!created.ok()) return created.status();
    if (created->type() == REDIS_REPLY_STRING) return std::string(created->text());
    if (created->integer() == 1) return id;
    if (created->integer() == 0) {
      if (pipeline) {
        return Status::Conflict("pipeline with ID: " + id + " or one of its jobs exists");
      }
      return Status::Conflict("job with ID: " + id + " already exists");
    }
    if (!key) return Garbled("the reply to a create");
  }
  return Status::Conflict("idempotency key \"" + key->key +
                          "\" kept changing hands; the create may be tried again");
}

Status RedisJobRepository::CreateJob(const Job& job) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  return Create(nullptr, {job}, nullptr).status();
}

Status RedisJobRepository::CreateJobs(const std::vector<Job>& jobs) {
  std::set<std::string> ids;
  for (const Job& job : jobs) {
    if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
    if (!ids.insert(job.id).second) {
      return Status::Conflict("job with ID: " + job.id + " is given twice");
    }
  }
  if (jobs.empty()) return Status::Ok();
  return Create(nullptr, jobs, nullptr).status();
}

Result<std::string> RedisJobRepository::CreateJobOnce(const Job& job, const IdempotencyKey& key) {
  if (!core::IsUuid(job.id)) return Status::InvalidArgument("job id must be a UUID: " + job.id);
  return Create(nullptr, {job}, &key);
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

Status RedisJobRepository::DeleteJob(const std::string& id) {
  if (!core::IsUuid(id)) return core::JobNotFound(id);
  std::vector<std::string> keys{keys_->Job(id), keys_->Result(id), keys_->Jobs(),
                                keys_->Due(),   keys_->Leases(),   keys_->Queued()};
  for (auto& name : keys_->JobsInEachStatus()) keys.push_back(std::move(name));
  keys.push_back(keys_->JobsFinished());
  VALET_EVAL(deleted, kDeleteJobScript, keys, {});
  return deleted->integer() == 1 ? Status::Ok() : core::JobNotFound(id);
}

Status RedisJobRepository::CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  if (Status ids = CheckIds(pipeline, jobs); !ids.ok()) return ids;
  return Create(&pipeline, jobs, nullptr).status();
}

Result<std::string> RedisJobRepository::CreatePipelineOnce(const Pipeline& pipeline,
                                                           const std::vector<Job>& jobs,
                                                           const IdempotencyKey& key) {
  if (Status ids = CheckIds(pipeline, jobs); !ids.ok()) return ids;
  return Create(&pipeline, jobs, &key);
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
      transition.to == JobStatus::kScheduled || transition.to == JobStatus::kPending) {
    return Illegal(transition);
  }
  std::vector<std::string> keys{keys_->Pipeline(id), keys_->PipelinesIn(transition.from),
                                keys_->PipelinesIn(transition.to), keys_->PipelinesFinished()};
  std::vector<std::string> args{StatusArg(transition.from), StatusArg(transition.to),
                                TimeFieldFor(transition.to), Micros(transition.at)};
  VALET_EVAL(moved, kTransitionPipelineScript, keys, args);
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
  for (auto& name : keys_->PipelinesInEachStatus()) keys.push_back(std::move(name));
  for (auto& name : {keys_->Jobs(), keys_->Due(), keys_->Leases(), keys_->Queued()}) {
    keys.push_back(name);
  }
  for (auto& name : keys_->JobsInEachStatus()) keys.push_back(std::move(name));
  keys.push_back(keys_->PipelinesFinished());
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
