#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "valet/core/job_history.hpp"
#include "valet/core/prometheus_text.hpp"
#include "valet/ports/job_status.hpp"

namespace valet::core {

// What this process did with jobs, by task: submitted through its API, started, and how each
// run ended, with the run time. The set of tasks is fixed when it is made (the registered ones;
// any other name is counted under task="other"), so recording takes no lock. With a `history`,
// each ending is also counted there, by the minute.
class JobMetrics {
 public:
  explicit JobMetrics(const std::vector<std::string>& task_names, JobHistory* history = nullptr);

  void Submitted(const std::string& task);
  void Started(const std::string& task);
  // How one run ended: `to` is the status it left the job in (PENDING for a retry).
  void Ended(const std::string& task, JobStatus to, std::chrono::duration<double> run_time);
  // Details of an ending counted by Ended(): the task ruled out a retry, or stored no result.
  void FailedPermanently(const std::string& task);
  void CompletedWithoutResult(const std::string& task);
  // A job over its task's concurrency limit went back to wait, without running.
  void Postponed(const std::string& task);

  void WriteTo(PrometheusText& out) const;

 private:
  struct Counters {
    std::atomic<std::uint64_t> submitted{0};
    std::atomic<std::uint64_t> started{0};
    std::atomic<std::uint64_t> completed{0};
    std::atomic<std::uint64_t> failed{0};
    std::atomic<std::uint64_t> cancelled{0};
    std::atomic<std::uint64_t> retried{0};
    std::atomic<std::uint64_t> failed_permanently{0};
    std::atomic<std::uint64_t> completed_without_result{0};
    std::atomic<std::uint64_t> postponed{0};
    LatencyHistogram run_time;
  };
  Counters& For(const std::string& task);

  std::map<std::string, std::unique_ptr<Counters>, std::less<>> tasks_;
  Counters other_;
  JobHistory* history_;
};

}  // namespace valet::core
