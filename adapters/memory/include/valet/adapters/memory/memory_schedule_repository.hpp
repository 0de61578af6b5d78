#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "valet/ports/schedule_repository.hpp"

namespace valet::adapters::memory {

// Schedules in process memory, gone when the process ends. Indexed by name (unique) and by
// next_run_at for the due lookup. One mutex guards everything.
class MemoryScheduleRepository final : public ScheduleRepository {
 public:
  Status CreateSchedule(const Schedule& schedule) override;
  Result<Schedule> GetSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListSchedules() override;
  Status UpdateSchedule(const Schedule& schedule) override;
  Status DeleteSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListDueSchedules(TimePoint now, std::size_t limit) override;

 private:
  using DueKey = std::pair<TimePoint, std::string>;

  // Both expect mutex_ held.
  void Index(const Schedule& schedule);
  void Unindex(const Schedule& schedule);

  std::mutex mutex_;
  std::map<std::string, Schedule> schedules_;  // by id
  std::map<std::string, std::string> ids_by_name_;
  std::set<DueKey> due_;  // (next_run_at, id) of the schedules that have a next tick
};

}  // namespace valet::adapters::memory
