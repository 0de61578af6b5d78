#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

#include "valet/ports/job_repository.hpp"

namespace valet::bench {

// Wraps a repository and counts the jobs that reach COMPLETED, so a bench learns when the last
// job is done without polling ListJobs() (which copies every job under the repository's lock).
// The cost per call is one forwarding virtual call, plus one atomic increment per completion;
// the worker that stores the last expected completion stamps the time, so waiting adds no error.
class CompletionCountingRepository final : public JobRepository {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  CompletionCountingRepository(JobRepository& inner, std::int64_t expected)
      : inner_(inner), expected_(expected) {}

  // Expects `count` completions more than those seen so far, and forgets when the last target
  // was reached. For one job at a time (latency probes), not while jobs are completing.
  void ExpectMore(std::int64_t count);
  // When the expected number of completions was reached, or nullopt after `timeout`.
  std::optional<SteadyTime> WaitForAll(std::chrono::milliseconds timeout);
  std::int64_t completed() const { return completed_.load(std::memory_order_relaxed); }

  Status TransitionJob(const std::string& id, const Transition& transition) override;
  Result<std::vector<bool>> TransitionJobs(const std::vector<JobTransition>& changes) override;
  Result<Job> StartJob(const std::string& id, const Lease& lease) override {
    return inner_.StartJob(id, lease);
  }
  Result<std::vector<Job>> StartJobs(const std::vector<std::string>& ids,
                                     const Lease& lease) override {
    return inner_.StartJobs(ids, lease);
  }
  Status RenewLease(const std::string& id, const std::string& token,
                    TimePoint expires_at) override {
    return inner_.RenewLease(id, token, expires_at);
  }
  Status SetProgress(const std::string& id, const std::string& token,
                     const Json& progress) override {
    return inner_.SetProgress(id, token, progress);
  }
  Result<std::vector<Job>> ListExpiredLeases(TimePoint now, std::size_t limit) override {
    return inner_.ListExpiredLeases(now, limit);
  }

  Status CreateJob(const Job& job) override { return inner_.CreateJob(job); }
  Status CreateJobs(const std::vector<Job>& jobs) override { return inner_.CreateJobs(jobs); }
  Result<Job> GetJob(const std::string& id) override { return inner_.GetJob(id); }
  Result<std::vector<Job>> ListJobs(std::optional<JobStatus> status) override {
    return inner_.ListJobs(status);
  }
  Result<JobPage> FindJobs(const JobQuery& query) override { return inner_.FindJobs(query); }
  Result<std::vector<std::string>> ListFinished(FinishedKind kind, TimePoint before,
                                                std::size_t limit) override {
    return inner_.ListFinished(kind, before, limit);
  }
  Result<OptionalTime> NthLatestFinish(FinishedKind kind, std::size_t n) override {
    return inner_.NthLatestFinish(kind, n);
  }
  Status PatchJob(const std::string& id, const JobInfoPatch& patch) override {
    return inner_.PatchJob(id, patch);
  }
  Status DeleteJob(const std::string& id) override { return inner_.DeleteJob(id); }
  Result<std::vector<Job>> ClaimDueJobs(TimePoint now, std::size_t limit) override {
    return inner_.ClaimDueJobs(now, limit);
  }
  Result<OptionalTime> NextDueTime() override { return inner_.NextDueTime(); }
  Result<std::vector<Job>> ClaimStrandedJobs(TimePoint queued_before, TimePoint now,
                                             std::size_t limit) override {
    return inner_.ClaimStrandedJobs(queued_before, now, limit);
  }
  Result<std::string> CreateJobOnce(const Job& job, const IdempotencyKey& key) override {
    return inner_.CreateJobOnce(job, key);
  }
  Status CreatePipeline(const Pipeline& pipeline, const std::vector<Job>& jobs) override {
    return inner_.CreatePipeline(pipeline, jobs);
  }
  Result<std::string> CreatePipelineOnce(const Pipeline& pipeline, const std::vector<Job>& jobs,
                                         const IdempotencyKey& key) override {
    return inner_.CreatePipelineOnce(pipeline, jobs, key);
  }
  Result<Pipeline> GetPipeline(const std::string& id) override { return inner_.GetPipeline(id); }
  Result<std::vector<Pipeline>> ListPipelines(std::optional<JobStatus> status) override {
    return inner_.ListPipelines(status);
  }
  Result<std::vector<Job>> ListPipelineJobs(const std::string& pipeline_id) override {
    return inner_.ListPipelineJobs(pipeline_id);
  }
  Status PatchPipeline(const std::string& id, const JobInfoPatch& patch) override {
    return inner_.PatchPipeline(id, patch);
  }
  Status TransitionPipeline(const std::string& id, const Transition& transition) override {
    return inner_.TransitionPipeline(id, transition);
  }
  Status DeletePipeline(const std::string& id) override { return inner_.DeletePipeline(id); }
  Result<JobResult> GetResult(const std::string& job_id) override {
    return inner_.GetResult(job_id);
  }
  Status DeleteResult(const std::string& job_id) override { return inner_.DeleteResult(job_id); }
  ScheduleRepository& Schedules() override { return inner_.Schedules(); }
  GroupRepository& Groups() override { return inner_.Groups(); }
  Status CheckHealth() override { return inner_.CheckHealth(); }

 private:
  // Counts `count` more completions.
  void Count(std::int64_t count);

  JobRepository& inner_;
  std::atomic<std::int64_t> expected_;
  std::atomic<std::int64_t> completed_{0};

  std::mutex mutex_;
  std::condition_variable done_;
  std::optional<SteadyTime> done_at_;
};

}  // namespace valet::bench
