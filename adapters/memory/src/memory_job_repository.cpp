#include "valet/adapters/memory/memory_job_repository.hpp"

#include <algorithm>

#include "valet/core/job_query.hpp"
#include "valet/core/transition.hpp"

namespace valet::adapters::memory {

namespace {

Status NoJob(const std::string& id) {
  return Status::NotFound("job with ID: " + id + " not found");
}

Status NoPipeline(const std::string& id) {
  return Status::NotFound("pipeline with ID: " + id + " not found");
}

}  // namespace

auto MemoryJobRepository::FindJob(const std::string& id) -> JobRecord* {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second.get();
}

auto MemoryJobRepository::FindPipeline(const std::string& id) -> PipelineRecord* {
  auto it = pipelines_.find(id);
  return it == pipelines_.end() ? nullptr : it->second.get();
}

namespace {

// Where a job sits in the lease index; jobs without a lease come first, as expired.
TimePoint LeaseKeyOf(const Job& job) { return job.lease_expires_at.value_or(TimePoint::min()); }

// Whether a record belongs in a finished index, which retention prunes from: a finished job of
// no pipeline, or a finished pipeline.
bool IsPrunable(const Job& job) {
  return IsTerminal(job.status) && job.completed_at && job.pipeline_id.empty();
}
bool IsPrunable(const Pipeline& pipeline) {
  return IsTerminal(pipeline.status) && pipeline.completed_at.has_value();
}

}  // namespace

void MemoryJobRepository::IndexJob(const JobRecord& record) {
  const Job& job = record.value;
  jobs_by_status_[Slot(job.status)].insert(record.seq);
  if (job.status == JobStatus::kPending && job.run_at) due_jobs_.emplace(*job.run_at, record.seq);
  if (job.status == JobStatus::kInProgress) leased_jobs_.emplace(LeaseKeyOf(job), record.seq);
  if (IsPrunable(job)) finished_jobs_.emplace(*job.completed_at, record.seq);
}

void MemoryJobRepository::UnindexJob(const JobRecord& record) {
  const Job& job = record.value;
  jobs_by_status_[Slot(job.status)].erase(record.seq);
  if (IsPrunable(job)) finished_jobs_.erase({*job.completed_at, record.seq});
  if (job.run_at) due_jobs_.erase({*job.run_at, record.seq});
  if (job.status == JobStatus::kInProgress) leased_jobs_.erase({LeaseKeyOf(job), record.seq});
}

template <typename Change>
void MemoryJobRepository::MoveJob(JobRecord& record, Change change) {
  Job& job = record.value;
  if (job.status == JobStatus::kPending && job.run_at) due_jobs_.erase({*job.run_at, record.seq});
  if (job.status == JobStatus::kInProgress) leased_jobs_.erase({LeaseKeyOf(job), record.seq});
  // Re-link the index node instead of freeing and allocating one.
  auto node = jobs_by_status_[Slot(job.status)].extract(record.seq);
  change(job);
  jobs_by_status_[Slot(job.status)].insert(std::move(node));
  if (job.status == JobStatus::kPending && job.run_at) due_jobs_.emplace(*job.run_at, record.seq);
  if (job.status == JobStatus::kInProgress) leased_jobs_.emplace(LeaseKeyOf(job), record.seq);
  // A finished job never changes status again, so it only ever enters this index.
  if (IsPrunable(job)) finished_jobs_.emplace(*job.completed_at, record.seq);
}

void MemoryJobRepository::MoveJob(JobRecord& record, const Transition& transition) {
  MoveJob(record, [&](Job& job) { core::ApplyTransition(job, transition); });
}

void MemoryJobRepository::InsertJob(const Job& job) {
  auto record = std::make_unique<JobRecord>(JobRecord{job, next_seq_++});
  JobRecord* raw = record.get();
  jobs_.emplace(std::string_view(raw->value.id), std::move(record));
  jobs_by_seq_.emplace(raw->seq, raw);
  IndexJob(*raw);
}

void MemoryJobRepository::EraseJob(const std::string& id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  UnindexJob(*it->second);
  jobs_by_seq_.erase(it->second->seq);
  results_.erase(id);
  jobs_.erase(it);
}

Status MemoryJobRepository::CreateJob(const Job& job) {
  std::lock_guard lock(mutex_);
  if (FindJob(job.id)) return Status::Conflict("job with ID: " + job.id + " already exists");
  InsertJob(job);
  return Status::Ok();
}

Status MemoryJobRepository::CreateJobs(const std::vector<Job>& jobs) {
  std::set<std::string_view> ids;
  std::lock_guard lock(mutex_);
  for (const Job& job : jobs) {
    if (FindJob(job.id) || !ids.insert(job.id).second) {
      return Status::Conflict("job with ID: " + job.id + " already exists");
    }
  }
  for (const Job& job : jobs) InsertJob(job);
  return Status::Ok();
}

Result<Job> MemoryJobRepository::GetJob(const std::string& id) {
  std::lock_guard lock(mutex_);
  JobRecord* record = FindJob(id);
  if (!record) return NoJob(id);
  return record->value;
}

Result<std::vector<Job>> MemoryJobRepository::ListJobs(std::optional<JobStatus> status) {
  std::lock_guard lock(mutex_);
  std::vector<Job> jobs;
  if (!status) {
    jobs.reserve(jobs_by_seq_.size());
    for (const auto& [seq, record] : jobs_by_seq_) jobs.push_back(record->value);
    return jobs;
  }
  const auto& index = jobs_by_status_[Slot(*status)];
  jobs.reserve(index.size());
  for (std::uint64_t seq : index) jobs.push_back(jobs_by_seq_.at(seq)->value);
  return jobs;
}

// Pages walk the index the status filter picks from the sequence number after the cursor's (the
// cursor's tie), in creation order.
Result<JobPage> MemoryJobRepository::FindJobs(const JobQuery& query) {
  std::uint64_t after = 0;
  if (!query.cursor.empty()) {
    auto cursor = core::DecodeSequenceCursor(query.cursor);
    if (!cursor.ok()) return cursor.status();
    if (cursor->seq < 0) return core::InvalidCursor();
    after = static_cast<std::uint64_t>(cursor->seq);
  }
  std::lock_guard lock(mutex_);
  JobPage page;
  auto take = [&](std::uint64_t seq) {
    const Job& job = jobs_by_seq_.at(seq)->value;
    if (!core::Matches(job, query)) return true;
    if (query.limit != 0 && page.jobs.size() == query.limit) {
      const Job& last = page.jobs.back();
      page.next_cursor =
          core::EncodeCursor({core::MicrosOf(last.created_at), std::to_string(after)});
      return false;
    }
    page.jobs.push_back(job);
    after = seq;
    return true;
  };
  if (query.status) {
    const auto& index = jobs_by_status_[Slot(*query.status)];
    for (auto it = index.upper_bound(after); it != index.end() && take(*it); ++it) {
    }
  } else {
    for (auto it = jobs_by_seq_.upper_bound(after); it != jobs_by_seq_.end() && take(it->first);
         ++it) {
    }
  }
  return page;
}

Status MemoryJobRepository::PatchJob(const std::string& id, const JobInfoPatch& patch) {
  std::lock_guard lock(mutex_);
  JobRecord* record = FindJob(id);
  if (!record) return NoJob(id);
  core::ApplyPatch(record->value, patch);
  return Status::Ok();
}

Status MemoryJobRepository::TransitionJob(const std::string& id, const Transition& transition) {
  std::lock_guard lock(mutex_);
  return ApplyTransition(id, transition);
}

Result<std::vector<bool>> MemoryJobRepository::TransitionJobs(
    const std::vector<JobTransition>& changes) {
  std::vector<bool> applied;
  applied.reserve(changes.size());
  std::lock_guard lock(mutex_);
  for (const JobTransition& change : changes) {
    applied.push_back(ApplyTransition(change.job_id, change.transition).ok());
  }
  return applied;
}

Status MemoryJobRepository::ApplyTransition(const std::string& id, const Transition& transition) {
  JobRecord* record = FindJob(id);
  if (!record) return NoJob(id);
  if (Status allowed = core::CheckTransition(record->value, transition); !allowed.ok()) {
    return allowed;
  }
  MoveJob(*record, transition);
  if (transition.result) results_.insert_or_assign(id, *transition.result);
  if (!transition.schedule_next_job_id.empty()) {
    JobRecord* next = FindJob(transition.schedule_next_job_id);
    if (next && next->value.status == JobStatus::kPending) {
      MoveJob(*next, Transition{JobStatus::kPending, JobStatus::kScheduled, transition.at, {}, {}});
    }
  }
  return Status::Ok();
}

Result<Job> MemoryJobRepository::StartJob(const std::string& id, const Lease& lease) {
  std::lock_guard lock(mutex_);
  JobRecord* record = FindJob(id);
  if (!record) return NoJob(id);
  JobStatus from = record->value.status;
  if (from != JobStatus::kPending && from != JobStatus::kScheduled) {
    return Status::Conflict("job with ID: " + id + " cannot start: status is " +
                            std::string(JobStatusName(from)));
  }
  MoveJob(*record, [&](Job& job) { core::ApplyStart(job, lease); });
  return record->value;
}

Result<std::vector<Job>> MemoryJobRepository::StartJobs(const std::vector<std::string>& ids,
                                                        const Lease& lease) {
  std::vector<Job> started;
  std::lock_guard lock(mutex_);
  for (const std::string& id : ids) {
    JobRecord* record = FindJob(id);
    if (!record) continue;
    JobStatus from = record->value.status;
    if (from != JobStatus::kPending && from != JobStatus::kScheduled) continue;
    MoveJob(*record, [&](Job& job) { core::ApplyStart(job, lease); });
    started.push_back(record->value);
  }
  return started;
}

Status MemoryJobRepository::RenewLease(const std::string& id, const std::string& token,
                                       TimePoint expires_at) {
  std::lock_guard lock(mutex_);
  JobRecord* record = FindJob(id);
  if (!record) return NoJob(id);
  const Job& job = record->value;
  if (job.status != JobStatus::kInProgress || job.lease_token != token) {
    return Status::Conflict("job with ID: " + id + " is no longer held under this lease");
  }
  MoveJob(*record, [&](Job& held) { held.lease_expires_at = expires_at; });
  return Status::Ok();
}

Status MemoryJobRepository::SetProgress(const std::string& id, const std::string& token,
                                        const Json& progress) {
  std::lock_guard lock(mutex_);
  JobRecord* record = FindJob(id);
  if (!record) return NoJob(id);
  Job& job = record->value;
  if (job.status != JobStatus::kInProgress || job.lease_token != token) {
    return Status::Conflict("job with ID: " + id + " is no longer held under this lease");
  }
  job.progress = progress;
  return Status::Ok();
}

Result<std::vector<Job>> MemoryJobRepository::ListExpiredLeases(TimePoint now, std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<Job> expired;
  for (auto it = leased_jobs_.begin();
       it != leased_jobs_.end() && it->first <= now && expired.size() < limit; ++it) {
    expired.push_back(jobs_by_seq_.at(it->second)->value);
  }
  return expired;
}

Status MemoryJobRepository::DeleteJob(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (!FindJob(id)) return NoJob(id);
  EraseJob(id);
  return Status::Ok();
}

Result<std::vector<Job>> MemoryJobRepository::ClaimDueJobs(TimePoint now, std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<Job> claimed;
  while (claimed.size() < limit && !due_jobs_.empty() && due_jobs_.begin()->first <= now) {
    JobRecord* record = jobs_by_seq_.at(due_jobs_.begin()->second);
    MoveJob(*record, Transition{JobStatus::kPending, JobStatus::kScheduled, now, {}, {}});
    claimed.push_back(record->value);
  }
  return claimed;
}

Result<OptionalTime> MemoryJobRepository::NextDueTime() {
  std::lock_guard lock(mutex_);
  if (due_jobs_.empty()) return OptionalTime{};
  return OptionalTime{due_jobs_.begin()->first};
}

Result<std::vector<Job>> MemoryJobRepository::ClaimStrandedJobs(TimePoint queued_before,
                                                                TimePoint now, std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<JobRecord*> stranded;
  for (JobStatus status : {JobStatus::kPending, JobStatus::kScheduled}) {
    // Each index is in creation (seq) order, the order of the answer, so each is read only until
    // it gave `limit` jobs; the jobs it skips (due later, waiting in a pipeline) are what a call
    // pays for beyond those. A sweep of N stranded jobs thus costs N, not N² / limit.
    std::size_t found = 0;
    for (std::uint64_t seq : jobs_by_status_[Slot(status)]) {
      if (found == limit) break;
      JobRecord* record = jobs_by_seq_.at(seq);
      if (core::IsStranded(record->value, queued_before)) {
        stranded.push_back(record);
        ++found;
      }
    }
  }
  std::sort(stranded.begin(), stranded.end(),
            [](const JobRecord* a, const JobRecord* b) { return a->seq < b->seq; });
  if (stranded.size() > limit) stranded.resize(limit);
  std::vector<Job> claimed;
  for (JobRecord* record : stranded) {
    JobStatus from = record->value.status;
    if (from == JobStatus::kScheduled) {
      record->value.scheduled_at = now;
    } else {
      MoveJob(*record, Transition{from, JobStatus::kScheduled, now, {}, {}});
    }
    claimed.push_back(record->value);
  }
  return claimed;
}

template <typename Exists>
std::optional<std::string> MemoryJobRepository::HolderOf(
    const std::map<std::string, KeyHolder>& keys, const IdempotencyKey& key, TimePoint now,
    Exists exists) {
  auto it = keys.find(key.key);
  if (it == keys.end() || it->second.expires_at <= now || !exists(it->second.id)) {
    return std::nullopt;
  }
  return it->second.id;
}

Result<std::string> MemoryJobRepository::CreateJobOnce(const Job& job, const IdempotencyKey& key) {
  std::lock_guard lock(mutex_);
  auto exists = [this](const std::string& id) { return FindJob(id) != nullptr; };
  if (auto holder = HolderOf(job_keys_, key, job.created_at, exists)) return *holder;
  if (FindJob(job.id)) return Status::Conflict("job with ID: " + job.id + " already exists");
  InsertJob(job);
  job_keys_.insert_or_assign(key.key, KeyHolder{job.id, key.expires_at});
  return job.id;
}

Status MemoryJobRepository::CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  std::lock_guard lock(mutex_);
  return InsertPipeline(pipeline, jobs);
}

Result<std::string> MemoryJobRepository::CreatePipelineOnce(const Pipeline& pipeline,
                                                            const std::vector<Job>& jobs,
                                                            const IdempotencyKey& key) {
  std::lock_guard lock(mutex_);
  auto exists = [this](const std::string& id) { return FindPipeline(id) != nullptr; };
  if (auto holder = HolderOf(pipeline_keys_, key, pipeline.created_at, exists)) return *holder;
  if (Status inserted = InsertPipeline(pipeline, jobs); !inserted.ok()) return inserted;
  pipeline_keys_.insert_or_assign(key.key, KeyHolder{pipeline.id, key.expires_at});
  return pipeline.id;
}

Status MemoryJobRepository::InsertPipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) {
  if (FindPipeline(pipeline.id)) {
    return Status::Conflict("pipeline with ID: " + pipeline.id + " already exists");
  }
  for (const Job& job : jobs) {
    if (FindJob(job.id)) return Status::Conflict("job with ID: " + job.id + " already exists");
  }
  auto record = std::make_unique<PipelineRecord>(PipelineRecord{pipeline, next_seq_++});
  PipelineRecord* raw = record.get();
  pipelines_.emplace(std::string_view(raw->value.id), std::move(record));
  pipelines_by_seq_.emplace(raw->seq, raw);
  pipelines_by_status_[Slot(raw->value.status)].insert(raw->seq);
  if (IsPrunable(raw->value)) finished_pipelines_.emplace(*raw->value.completed_at, raw->seq);
  for (const Job& job : jobs) InsertJob(job);
  return Status::Ok();
}

Result<Pipeline> MemoryJobRepository::GetPipeline(const std::string& id) {
  std::lock_guard lock(mutex_);
  PipelineRecord* record = FindPipeline(id);
  if (!record) return NoPipeline(id);
  return record->value;
}

Result<std::vector<Pipeline>> MemoryJobRepository::ListPipelines(std::optional<JobStatus> status) {
  std::lock_guard lock(mutex_);
  std::vector<Pipeline> pipelines;
  if (!status) {
    for (const auto& [seq, record] : pipelines_by_seq_) pipelines.push_back(record->value);
    return pipelines;
  }
  for (std::uint64_t seq : pipelines_by_status_[Slot(*status)]) {
    pipelines.push_back(pipelines_by_seq_.at(seq)->value);
  }
  return pipelines;
}

Result<std::vector<Job>> MemoryJobRepository::ListPipelineJobs(const std::string& pipeline_id) {
  std::lock_guard lock(mutex_);
  PipelineRecord* record = FindPipeline(pipeline_id);
  if (!record) return NoPipeline(pipeline_id);
  std::vector<Job> jobs;
  for (const std::string& id : record->value.job_ids) {
    if (JobRecord* job = FindJob(id)) jobs.push_back(job->value);
  }
  return jobs;
}

Status MemoryJobRepository::PatchPipeline(const std::string& id, const JobInfoPatch& patch) {
  std::lock_guard lock(mutex_);
  PipelineRecord* record = FindPipeline(id);
  if (!record) return NoPipeline(id);
  core::ApplyPatch(record->value, patch);
  return Status::Ok();
}

Status MemoryJobRepository::TransitionPipeline(const std::string& id,
                                               const Transition& transition) {
  std::lock_guard lock(mutex_);
  PipelineRecord* record = FindPipeline(id);
  if (!record) return NoPipeline(id);
  if (Status allowed = core::CheckPipelineTransition(record->value.status, transition);
      !allowed.ok()) {
    return allowed;
  }
  auto node = pipelines_by_status_[Slot(record->value.status)].extract(record->seq);
  core::ApplyTransition(record->value, transition);
  pipelines_by_status_[Slot(record->value.status)].insert(std::move(node));
  if (IsPrunable(record->value)) {
    finished_pipelines_.emplace(*record->value.completed_at, record->seq);
  }
  return Status::Ok();
}

Status MemoryJobRepository::DeletePipeline(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = pipelines_.find(id);
  if (it == pipelines_.end()) return NoPipeline(id);
  PipelineRecord& record = *it->second;
  for (const std::string& job_id : record.value.job_ids) EraseJob(job_id);
  pipelines_by_status_[Slot(record.value.status)].erase(record.seq);
  if (IsPrunable(record.value)) finished_pipelines_.erase({*record.value.completed_at, record.seq});
  pipelines_by_seq_.erase(record.seq);
  pipelines_.erase(it);
  return Status::Ok();
}

Result<std::vector<std::string>> MemoryJobRepository::ListFinished(FinishedKind kind,
                                                                   TimePoint before,
                                                                   std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  const std::set<DueKey>& index =
      kind == FinishedKind::kJobs ? finished_jobs_ : finished_pipelines_;
  for (auto it = index.begin(); it != index.end() && it->first < before && ids.size() < limit;
       ++it) {
    ids.push_back(kind == FinishedKind::kJobs ? jobs_by_seq_.at(it->second)->value.id
                                              : pipelines_by_seq_.at(it->second)->value.id);
  }
  return ids;
}

Result<OptionalTime> MemoryJobRepository::NthLatestFinish(FinishedKind kind, std::size_t n) {
  std::lock_guard lock(mutex_);
  const std::set<DueKey>& index =
      kind == FinishedKind::kJobs ? finished_jobs_ : finished_pipelines_;
  if (n == 0 || index.size() < n) return OptionalTime{};
  auto it = index.rbegin();
  std::advance(it, n - 1);
  return OptionalTime{it->first};
}

Result<JobResult> MemoryJobRepository::GetResult(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  auto it = results_.find(job_id);
  if (it == results_.end()) {
    return Status::NotFound("job result with ID: " + job_id + " not found");
  }
  return it->second;
}

Status MemoryJobRepository::DeleteResult(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  if (results_.erase(job_id) == 0) {
    return Status::NotFound("job result with ID: " + job_id + " not found");
  }
  return Status::Ok();
}

}  // namespace valet::adapters::memory
