#include "valet/core/pipeline_failure.hpp"

namespace valet::core {

void FailPipelineAfter(JobRepository& repository, const Job& failed_job, TimePoint at) {
  std::string reason = "skipped: the pipeline's job " + failed_job.id + " (" + failed_job.name +
                       ") did not complete";
  std::string next_id = failed_job.next_job_id;
  while (!next_id.empty()) {
    auto next = repository.GetJob(next_id);
    if (!next.ok()) break;
    if (!IsTerminal(next->status)) {
      repository
          .TransitionJob(next_id, Transition{next->status, JobStatus::kCancelled, at, reason,
                                             JobResult{next_id, nullptr, reason}})
          .IgnoreError();
    }
    next_id = next->next_job_id;
  }
  repository
      .TransitionPipeline(failed_job.pipeline_id,
                          Transition{JobStatus::kInProgress, JobStatus::kFailed, at, {}, {}})
      .IgnoreError();
}

}  // namespace valet::core
