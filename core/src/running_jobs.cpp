#include "valet/core/running_jobs.hpp"

#include <algorithm>
#include <vector>

namespace valet::core {

RunningJobs::RunningJobs(JobRepository& repository, Clock& clock, Logger& logger,
                         std::chrono::milliseconds lease)
    : repository_(repository),
      clock_(clock),
      logger_(logger),
      lease_(std::max(lease, std::chrono::milliseconds{3})) {}

RunningJobs::~RunningJobs() { Stop(); }

void RunningJobs::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void RunningJobs::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RunningJobs::Add(const std::string& job_id, const std::string& lease_token,
                      std::stop_source stop) {
  std::lock_guard lock(mutex_);
  held_.insert_or_assign(job_id, Held{lease_token, std::move(stop)});
}

void RunningJobs::Remove(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  held_.erase(job_id);
}

bool RunningJobs::RequestStop(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  auto it = held_.find(job_id);
  if (it == held_.end()) return false;
  it->second.stop.request_stop();
  return true;
}

void RunningJobs::RequestStopAll() {
  std::lock_guard lock(mutex_);
  for (auto& [id, held] : held_) held.stop.request_stop();
}

void RunningJobs::RenewAll() {
  std::vector<std::pair<std::string, Held>> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot.assign(held_.begin(), held_.end());
  }
  for (auto& [id, held] : snapshot) {
    if (held.stop.stop_requested()) continue;  // already told to stop; its lease may run out
    Status renewed = repository_.RenewLease(id, held.lease_token, clock_.Now() + lease_);
    if (renewed.ok()) continue;
    if (renewed.code() == StatusCode::kConflict || renewed.code() == StatusCode::kNotFound) {
      logger_.Log(LogLevel::kInfo, "worker",
                  "job was cancelled, deleted or taken over; asking its task to stop",
                  {{"job_id", id}, {"reason", renewed.message()}});
      held.stop.request_stop();
    } else {
      logger_.Log(LogLevel::kWarning, "worker", "cannot renew a job's lease",
                  {{"job_id", id}, {"error", renewed.message()}});
    }
  }
}

void RunningJobs::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (changed_.wait_for(lock, lease_ / 3, [this] { return stopping_; })) break;
    lock.unlock();
    RenewAll();
    lock.lock();
  }
}

}  // namespace valet::core
