#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "valet/core/job_metrics.hpp"
#include "valet/core/request_metrics.hpp"
#include "valet/ports/clock.hpp"

namespace valet::core {

// Everything one process shows at /metrics: its jobs, its API requests, and gauges of its
// workers and backends; and the last hour of job endings by the minute (for /api/stats).
class Metrics {
 public:
  Metrics(const std::vector<std::string>& task_names, Clock& clock)
      : history(clock), jobs(task_names, &history) {}

  JobHistory history;  // before `jobs`, which records into it
  JobMetrics jobs;
  RequestMetrics requests;
  // Finished records deleted by retention in this process.
  std::atomic<std::uint64_t> pruned_jobs{0};
  std::atomic<std::uint64_t> pruned_pipelines{0};

  // Set by the engine: the workers this process runs, and how many are running a job now.
  void SetWorkers(int workers) { workers_ = workers; }
  void SetBusyWorkers(std::function<int()> busy) { busy_ = std::move(busy); }
  int workers() const { return workers_; }
  int busy_workers() const { return busy_ ? busy_() : 0; }

  // The Prometheus text, with the backends' health and the job queue's depth as given (no depth
  // sample when the queue could not tell).
  std::string Render(bool storage_healthy, bool job_queue_healthy,
                     std::optional<std::int64_t> queue_depth) const;

 private:
  int workers_ = 0;
  std::function<int()> busy_;
};

}  // namespace valet::core
