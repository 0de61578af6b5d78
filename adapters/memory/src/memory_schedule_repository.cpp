#include "valet/adapters/memory/memory_schedule_repository.hpp"

#include <algorithm>
#include <tuple>

namespace valet::adapters::memory {

namespace {

Status NoSchedule(const std::string& id) {
  return Status::NotFound("schedule with ID: " + id + " not found");
}

Status NameTaken(const std::string& name) {
  return Status::Conflict("a schedule named \"" + name + "\" already exists");
}

}  // namespace

void MemoryScheduleRepository::Index(const Schedule& schedule) {
  ids_by_name_[schedule.name] = schedule.id;
  if (schedule.next_run_at) due_.emplace(*schedule.next_run_at, schedule.id);
}

void MemoryScheduleRepository::Unindex(const Schedule& schedule) {
  ids_by_name_.erase(schedule.name);
  if (schedule.next_run_at) due_.erase({*schedule.next_run_at, schedule.id});
}

Status MemoryScheduleRepository::CreateSchedule(const Schedule& schedule) {
  std::lock_guard lock(mutex_);
  if (schedules_.contains(schedule.id)) {
    return Status::Conflict("schedule with ID: " + schedule.id + " already exists");
  }
  if (ids_by_name_.contains(schedule.name)) return NameTaken(schedule.name);
  schedules_.emplace(schedule.id, schedule);
  Index(schedule);
  return Status::Ok();
}

Result<Schedule> MemoryScheduleRepository::GetSchedule(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = schedules_.find(id);
  if (it == schedules_.end()) return NoSchedule(id);
  return it->second;
}

Result<std::vector<Schedule>> MemoryScheduleRepository::ListSchedules() {
  std::vector<Schedule> list;
  {
    std::lock_guard lock(mutex_);
    list.reserve(schedules_.size());
    for (const auto& [id, schedule] : schedules_) list.push_back(schedule);
  }
  std::sort(list.begin(), list.end(), [](const Schedule& a, const Schedule& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  return list;
}

Status MemoryScheduleRepository::UpdateSchedule(const Schedule& schedule) {
  std::lock_guard lock(mutex_);
  auto it = schedules_.find(schedule.id);
  if (it == schedules_.end()) return NoSchedule(schedule.id);
  Schedule& stored = it->second;
  if (stored.revision != schedule.revision) {
    return Status::Conflict("schedule with ID: " + schedule.id + " was changed meanwhile");
  }
  if (auto holder = ids_by_name_.find(schedule.name);
      holder != ids_by_name_.end() && holder->second != schedule.id) {
    return NameTaken(schedule.name);
  }
  Unindex(stored);
  Schedule updated = schedule;
  updated.created_at = stored.created_at;
  updated.origin = stored.origin;
  updated.revision = stored.revision + 1;
  stored = std::move(updated);
  Index(stored);
  return Status::Ok();
}

Status MemoryScheduleRepository::DeleteSchedule(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = schedules_.find(id);
  if (it == schedules_.end()) return NoSchedule(id);
  Unindex(it->second);
  schedules_.erase(it);
  return Status::Ok();
}

Result<std::vector<Schedule>> MemoryScheduleRepository::ListDueSchedules(TimePoint now,
                                                                         std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<Schedule> due;
  for (auto it = due_.begin(); it != due_.end() && it->first <= now && due.size() < limit; ++it) {
    due.push_back(schedules_.at(it->second));
  }
  return due;
}

}  // namespace valet::adapters::memory
