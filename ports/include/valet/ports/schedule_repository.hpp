#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "valet/ports/schedule.hpp"
#include "valet/ports/status.hpp"

namespace valet {

// A ScheduleRepository stores the schedules of recurring jobs beside the jobs they submit (it
// lives in the same backend as its JobRepository). Every instance of valet sharing the backend
// polls ListDueSchedules() and may submit the same tick; the core makes that harmless (a tick's
// job has an id derived from the schedule and the tick, so a second submit is a kConflict) and
// UpdateSchedule()'s compare-and-set on `revision` lets exactly one of them advance the schedule.
//
// Errors: kNotFound when the id is unknown (also for ids that are not UUIDs), kConflict as
// described per method, kUnavailable when the backend cannot be reached, kInternal for anything
// unexpected. All methods are safe to call from any thread.
class ScheduleRepository {
 public:
  ScheduleRepository() = default;
  ScheduleRepository(const ScheduleRepository&) = delete;
  ScheduleRepository& operator=(const ScheduleRepository&) = delete;
  virtual ~ScheduleRepository() = default;

  // Stores the schedule as given (its revision included). kConflict when its id or its name is
  // taken.
  virtual Status CreateSchedule(const Schedule& schedule) = 0;
  virtual Result<Schedule> GetSchedule(const std::string& id) = 0;
  // Every schedule, oldest first (by created_at, then by id).
  virtual Result<std::vector<Schedule>> ListSchedules() = 0;
  // Writes every field of `schedule` except id, created_at and origin, and sets the stored
  // revision to schedule.revision + 1, only while the stored revision equals schedule.revision.
  // kConflict when it does not (someone else updated it first) or when the new name belongs to
  // another schedule; nothing is written then. kNotFound when it was deleted.
  virtual Status UpdateSchedule(const Schedule& schedule) = 0;
  virtual Status DeleteSchedule(const std::string& id) = 0;
  // Up to `limit` schedules whose next_run_at is set and at or before `now`, earliest first.
  // Reads only: the caller advances each with UpdateSchedule().
  virtual Result<std::vector<Schedule>> ListDueSchedules(TimePoint now, std::size_t limit) = 0;
};

}  // namespace valet
