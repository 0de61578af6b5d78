#include "valet/core/job_metrics.hpp"

namespace valet::core {

namespace {

constexpr const char* kOtherTask = "other";

}  // namespace

JobMetrics::JobMetrics(const std::vector<std::string>& task_names, JobHistory* history)
    : history_(history) {
  for (const std::string& name : task_names) tasks_.emplace(name, std::make_unique<Counters>());
}

JobMetrics::Counters& JobMetrics::For(const std::string& task) {
  auto found = tasks_.find(task);
  return found == tasks_.end() ? other_ : *found->second;
}

void JobMetrics::Submitted(const std::string& task) {
  For(task).submitted.fetch_add(1, std::memory_order_relaxed);
}

void JobMetrics::Started(const std::string& task) {
  For(task).started.fetch_add(1, std::memory_order_relaxed);
}

void JobMetrics::Ended(const std::string& task, JobStatus to,
                       std::chrono::duration<double> run_time) {
  Counters& counters = For(task);
  if (history_) history_->Record(to);
  switch (to) {
    case JobStatus::kCompleted:
      counters.completed.fetch_add(1, std::memory_order_relaxed);
      break;
    case JobStatus::kFailed:
      counters.failed.fetch_add(1, std::memory_order_relaxed);
      break;
    case JobStatus::kCancelled:
      counters.cancelled.fetch_add(1, std::memory_order_relaxed);
      break;
    case JobStatus::kPending:
      counters.retried.fetch_add(1, std::memory_order_relaxed);
      break;
    default:
      return;
  }
  counters.run_time.Record(run_time);
}

void JobMetrics::FailedPermanently(const std::string& task) {
  For(task).failed_permanently.fetch_add(1, std::memory_order_relaxed);
}

void JobMetrics::CompletedWithoutResult(const std::string& task) {
  For(task).completed_without_result.fetch_add(1, std::memory_order_relaxed);
}

void JobMetrics::Postponed(const std::string& task) {
  For(task).postponed.fetch_add(1, std::memory_order_relaxed);
}

void JobMetrics::WriteTo(PrometheusText& out) const {
  std::vector<std::pair<std::string, const Counters*>> all;
  for (const auto& [name, counters] : tasks_) all.emplace_back(name, counters.get());
  all.emplace_back(kOtherTask, &other_);

  struct Counter {
    const char* name;
    const char* help;
    std::atomic<std::uint64_t> Counters::*field;
  };
  const Counter counters[] = {
      {"valet_jobs_submitted_total", "Jobs accepted by this process's API (pipeline jobs too).",
       &Counters::submitted},
      {"valet_jobs_started_total", "Job runs started by this process's workers.",
       &Counters::started},
      {"valet_jobs_completed_total", "Job runs that ended COMPLETED.", &Counters::completed},
      {"valet_jobs_failed_total", "Job runs that ended FAILED (no retry left, or permanent).",
       &Counters::failed},
      {"valet_jobs_cancelled_total", "Job runs that ended CANCELLED.", &Counters::cancelled},
      {"valet_jobs_retried_total", "Job runs that failed and were scheduled to run again.",
       &Counters::retried},
      {"valet_jobs_failed_permanently_total",
       "Job runs that ended FAILED because the task ruled out a retry (among the failed).",
       &Counters::failed_permanently},
      {"valet_jobs_completed_without_result_total",
       "Job runs that ended COMPLETED with no result stored (among the completed).",
       &Counters::completed_without_result},
      {"valet_jobs_postponed_total",
       "Jobs handed back unrun because their task's concurrency limit was reached.",
       &Counters::postponed},
  };
  for (const Counter& counter : counters) {
    out.Family(counter.name, "counter", counter.help);
    for (const auto& [task, values] : all) {
      out.Sample(counter.name, {{"task", task}},
                 (values->*counter.field).load(std::memory_order_relaxed));
    }
  }
  out.Family("valet_job_run_seconds", "histogram",
             "How long job runs took, from start to the stored outcome.");
  for (const auto& [task, values] : all) {
    values->run_time.WriteTo(out, "valet_job_run_seconds", {{"task", task}});
  }
}

}  // namespace valet::core
