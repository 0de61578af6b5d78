// valet::Valet's in-process API: the services the HTTP API calls, without HTTP.

#include <algorithm>
#include <thread>

#include "valet/core/request_checks.hpp"
#include "valet_runtime.hpp"

namespace valet {

namespace {

Status NotStarted() { return Status::Conflict("valet is not running: call Start() first"); }

// Polls `get` until `finished` says so, from every millisecond up to every 50 ms, so that a
// short job is seen at once and a long wait costs little.
template <typename Value, typename Get, typename Finished>
Result<Value> PollUntil(Get get, Finished finished, std::chrono::milliseconds timeout,
                        const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds pause{1};
  while (true) {
    Result<Value> current = get();
    if (!current.ok() || finished(*current)) return current;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return Status::Timeout(what + " has not finished after " + std::to_string(timeout.count()) +
                             " ms");
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds{50});
  }
}

}  // namespace

Result<Job> Valet::Submit(const JobRequest& job, const std::string& idempotency_key) {
  if (!runtime_) return NotStarted();
  if (Status key = core::CheckIdempotencyKey(idempotency_key); !key.ok()) return key;
  return runtime_->engine->jobs().Create(job, idempotency_key);
}

Result<std::vector<Job>> Valet::Submit(const std::vector<JobRequest>& jobs) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->jobs().CreateMany(jobs);
}

Result<PipelineWithJobs> Valet::Submit(const PipelineRequest& pipeline,
                                       const std::string& idempotency_key) {
  if (!runtime_) return NotStarted();
  if (Status key = core::CheckIdempotencyKey(idempotency_key); !key.ok()) return key;
  return runtime_->engine->pipelines().Create(pipeline, idempotency_key);
}

Result<Job> Valet::GetJob(const std::string& id) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->jobs().Get(id);
}

Result<PipelineWithJobs> Valet::GetPipeline(const std::string& id) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->pipelines().Find(id);
}

Result<JobResult> Valet::GetResult(const std::string& job_id) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->results().Get(job_id);
}

Result<GroupWithMembers> Valet::Submit(const GroupRequest& group) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->groups().Create(group);
}

Result<GroupWithMembers> Valet::GetGroup(const std::string& id) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->groups().Get(id);
}

Result<Schedule> Valet::CreateSchedule(const ScheduleRequest& schedule) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->schedules().Create(schedule);
}

Result<Schedule> Valet::GetSchedule(const std::string& id) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->schedules().Get(id);
}

Result<std::vector<Schedule>> Valet::ListSchedules() {
  if (!runtime_) return NotStarted();
  return runtime_->engine->schedules().List();
}

Result<Schedule> Valet::PatchSchedule(const std::string& id, const SchedulePatch& patch) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->schedules().Patch(id, patch);
}

Status Valet::DeleteSchedule(const std::string& id) {
  if (!runtime_) return NotStarted();
  return runtime_->engine->schedules().Delete(id);
}

Result<Job> Valet::WaitForJob(const std::string& id, std::chrono::milliseconds timeout) {
  return PollUntil<Job>([&] { return GetJob(id); },
                        [](const Job& job) { return IsTerminal(job.status); }, timeout,
                        "job " + id);
}

Result<PipelineWithJobs> Valet::WaitForPipeline(const std::string& id,
                                                std::chrono::milliseconds timeout) {
  return PollUntil<PipelineWithJobs>(
      [&] { return GetPipeline(id); },
      [](const PipelineWithJobs& found) { return IsTerminal(found.pipeline.status); }, timeout,
      "pipeline " + id);
}

Result<GroupWithMembers> Valet::WaitForGroup(const std::string& id,
                                             std::chrono::milliseconds timeout) {
  return PollUntil<GroupWithMembers>(
      [&] { return GetGroup(id); },
      [](const GroupWithMembers& found) { return IsTerminal(found.group.status); }, timeout,
      "group " + id);
}

}  // namespace valet
