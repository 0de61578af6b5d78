#pragma once

#include <functional>
#include <string>
#include <vector>

#include "valet/core/job_metrics.hpp"
#include "valet/core/request_metrics.hpp"

namespace valet::core {

// Everything one process shows at /metrics: its jobs, its API requests, and gauges of its
// workers and backends.
class Metrics {
 public:
  explicit Metrics(const std::vector<std::string>& task_names) : jobs(task_names) {}

  JobMetrics jobs;
  RequestMetrics requests;

  // Set by the engine: the workers this process runs, and how many are running a job now.
  void SetWorkers(int workers) { workers_ = workers; }
  void SetBusyWorkers(std::function<int()> busy) { busy_ = std::move(busy); }

  // The Prometheus text, with the backends' health as given.
  std::string Render(bool storage_healthy, bool job_queue_healthy) const;

 private:
  int workers_ = 0;
  std::function<int()> busy_;
};

}  // namespace valet::core
