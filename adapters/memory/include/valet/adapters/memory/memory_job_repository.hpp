#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "valet/adapters/memory/memory_group_repository.hpp"
#include "valet/adapters/memory/memory_schedule_repository.hpp"
#include "valet/ports/job_repository.hpp"

namespace valet::adapters::memory {

// A JobRepository in process memory: fast, shared by the threads of one process, and gone when
// the process ends. Lists come from per-status indexes in creation order; due jobs from an index
// ordered by run_at, expired leases from one ordered by lease expiry. One mutex guards
// everything, held only for map operations. Idempotency keys are dropped lazily: an expired key
// stays until a create with the same key takes it over.
class MemoryJobRepository final : public JobRepository {
 public:
  Status CreateJob(const Job& job) override;
  Status CreateJobs(const std::vector<Job>& jobs) override;
  Result<Job> GetJob(const std::string& id) override;
  Result<std::vector<Job>> ListJobs(std::optional<JobStatus> status) override;
  Result<JobPage> FindJobs(const JobQuery& query) override;
  Status PatchJob(const std::string& id, const JobInfoPatch& patch) override;
  Status TransitionJob(const std::string& id, const Transition& transition) override;
  Result<std::vector<bool>> TransitionJobs(const std::vector<JobTransition>& changes) override;
  Result<Job> StartJob(const std::string& id, const Lease& lease) override;
  Result<std::vector<Job>> StartJobs(const std::vector<std::string>& ids,
                                     const Lease& lease) override;
  Status RenewLease(const std::string& id, const std::string& token, TimePoint expires_at) override;
  Status SetProgress(const std::string& id, const std::string& token,
                     const Json& progress) override;
  Result<std::vector<Job>> ListExpiredLeases(TimePoint now, std::size_t limit) override;
  Status DeleteJob(const std::string& id) override;
  Result<std::vector<Job>> ClaimDueJobs(TimePoint now, std::size_t limit) override;
  Result<OptionalTime> NextDueTime() override;
  Result<std::vector<Job>> ClaimStrandedJobs(TimePoint queued_before, TimePoint now,
                                             std::size_t limit) override;
  Result<std::string> CreateJobOnce(const Job& job, const IdempotencyKey& key) override;

  Status CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) override;
  Result<std::string> CreatePipelineOnce(const Pipeline& pipeline, const std::vector<Job>& jobs,
                                         const IdempotencyKey& key) override;
  Result<Pipeline> GetPipeline(const std::string& id) override;
  Result<std::vector<Pipeline>> ListPipelines(std::optional<JobStatus> status) override;
  Result<std::vector<Job>> ListPipelineJobs(const std::string& pipeline_id) override;
  Status PatchPipeline(const std::string& id, const JobInfoPatch& patch) override;
  Status TransitionPipeline(const std::string& id, const Transition& transition) override;
  Status DeletePipeline(const std::string& id) override;

  Result<std::vector<std::string>> ListFinished(FinishedKind kind, TimePoint before,
                                                std::size_t limit) override;
  Result<OptionalTime> NthLatestFinish(FinishedKind kind, std::size_t n) override;

  Result<JobResult> GetResult(const std::string& job_id) override;
  Status DeleteResult(const std::string& job_id) override;

  ScheduleRepository& Schedules() override { return schedules_; }
  GroupRepository& Groups() override { return groups_; }

  Status CheckHealth() override { return Status::Ok(); }

 private:
  // A record and the creation sequence number that orders it in the indexes.
  template <typename T>
  struct Record {
    T value;
    std::uint64_t seq;
  };
  using JobRecord = Record<Job>;
  using PipelineRecord = Record<Pipeline>;
  using DueKey = std::pair<TimePoint, std::uint64_t>;
  // The holder of an Idempotency-Key and until when it holds it.
  struct KeyHolder {
    std::string id;
    TimePoint expires_at;
  };

  // All of these expect mutex_ held.
  void InsertJob(const Job& job);
  void IndexJob(const JobRecord& record);
  void UnindexJob(const JobRecord& record);
  // TransitionJob() under the lock.
  Status ApplyTransition(const std::string& id, const Transition& transition);
  // Applies a status change to a stored job and moves it between the indexes.
  void MoveJob(JobRecord& record, const Transition& transition);
  template <typename Change>
  void MoveJob(JobRecord& record, Change change);
  void EraseJob(const std::string& id);
  Status InsertPipeline(const Pipeline& pipeline, const std::vector<Job>& jobs);
  // The id holding `key` if it is unexpired at `now` and its record `exists`.
  template <typename Exists>
  std::optional<std::string> HolderOf(const std::map<std::string, KeyHolder>& keys,
                                      const IdempotencyKey& key, TimePoint now, Exists exists);
  JobRecord* FindJob(const std::string& id);
  PipelineRecord* FindPipeline(const std::string& id);

  static std::size_t Slot(JobStatus status) { return static_cast<std::size_t>(status); }

  std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  // Keys view the id inside the record, which never moves.
  std::unordered_map<std::string_view, std::unique_ptr<JobRecord>> jobs_;
  std::map<std::uint64_t, JobRecord*> jobs_by_seq_;
  std::array<std::set<std::uint64_t>, 7> jobs_by_status_;
  std::set<DueKey> due_jobs_;       // PENDING jobs with a run_at
  std::set<DueKey> leased_jobs_;    // IN_PROGRESS jobs by lease expiry (TimePoint::min() if none)
  std::set<DueKey> finished_jobs_;  // finished jobs of no pipeline, by completed_at

  std::unordered_map<std::string_view, std::unique_ptr<PipelineRecord>> pipelines_;
  std::map<std::uint64_t, PipelineRecord*> pipelines_by_seq_;
  std::array<std::set<std::uint64_t>, 7> pipelines_by_status_;
  std::set<DueKey> finished_pipelines_;  // by completed_at

  std::unordered_map<std::string, JobResult> results_;
  std::map<std::string, KeyHolder> job_keys_;
  std::map<std::string, KeyHolder> pipeline_keys_;

  MemoryScheduleRepository schedules_;
  MemoryGroupRepository groups_;
};

}  // namespace valet::adapters::memory
