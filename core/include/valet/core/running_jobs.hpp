#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "valet/ports/clock.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// The jobs running in this process. It keeps their leases alive, renewing each every lease/3 on
// a thread of its own, and stops a job's task when the job is no longer this process's to run:
// when a renewal finds it cancelled, deleted or taken over (from any instance), or when
// RequestStop() names it (a cancel that reached this process). Safe to use from any thread.
class RunningJobs {
 public:
  RunningJobs(JobRepository& repository, Clock& clock, Logger& logger,
              std::chrono::milliseconds lease);
  ~RunningJobs();
  RunningJobs(const RunningJobs&) = delete;
  RunningJobs& operator=(const RunningJobs&) = delete;

  void Start();
  // Stops renewing. Leases of jobs still running then run out, as if this process had died.
  void Stop();

  // A job started under `lease_token`; `stop` is its task's stop source.
  void Add(const std::string& job_id, const std::string& lease_token, std::stop_source stop);
  void Remove(const std::string& job_id);

  // Asks the job's task to stop, if it runs here. True if it does.
  bool RequestStop(const std::string& job_id);
  // Asks every running task to stop (shutdown).
  void RequestStopAll();

  // One round of renewals, as the thread makes them (for tests).
  void RenewAll();

 private:
  struct Held {
    std::string lease_token;
    std::stop_source stop;
  };

  void Loop();

  JobRepository& repository_;
  Clock& clock_;
  Logger& logger_;
  const std::chrono::milliseconds lease_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Held> held_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace valet::core
