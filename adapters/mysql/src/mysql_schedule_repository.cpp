#include "valet/adapters/mysql/mysql_schedule_repository.hpp"

#include <algorithm>
#include <limits>

#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::mysql {

namespace {

// What every read of a schedule selects, in the order ScheduleAt() decodes.
#define VALET_SCHEDULE_COLUMNS                                                                  \
  "id, name, description, timing, target, paused, next_run_at, last_runs, origin, created_at, " \
  "updated_at, revision"

// name_hash is a generated column: it follows the name by itself.
constexpr const char* kInsertSchedule =
    "INSERT INTO valet_schedules (id, name, description, timing, target, paused, next_run_at, "
    "last_runs, origin, created_at, updated_at, revision) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kGetSchedule =
    "SELECT " VALET_SCHEDULE_COLUMNS " FROM valet_schedules WHERE id = ?";
constexpr const char* kListSchedules =
    "SELECT " VALET_SCHEDULE_COLUMNS " FROM valet_schedules ORDER BY created_at, id";
// The compare-and-set. A racing UPDATE waits for the row lock, then reads the revision the
// winner committed (READ COMMITTED), so exactly one of them matches.
constexpr const char* kUpdateSchedule =
    "UPDATE valet_schedules SET name = ?, description = ?, timing = ?, target = ?, paused = ?, "
    "next_run_at = ?, last_runs = ?, updated_at = ?, revision = revision + 1 "
    "WHERE id = ? AND revision = ?";
constexpr const char* kScheduleExists = "SELECT 1 FROM valet_schedules WHERE id = ?";
constexpr const char* kDeleteSchedule = "DELETE FROM valet_schedules WHERE id = ?";
// A range over valet_schedules_due, in its order, past the NULLs of the schedules without a tick.
constexpr const char* kListDueSchedules =
    "SELECT " VALET_SCHEDULE_COLUMNS
    " FROM valet_schedules WHERE next_run_at IS NOT NULL AND next_run_at <= ? "
    "ORDER BY next_run_at, id LIMIT ?";

Status NoSchedule(const std::string& id) {
  return Status::NotFound("schedule with ID: " + id + " not found");
}

Status NameTaken(const std::string& name) {
  return Status::Conflict("a schedule named \"" + name + "\" already exists");
}

// `timing` and `target` are stored as their JSON text even when null, so they are never SQL NULL.
MysqlParams InsertParams(const Schedule& schedule) {
  return {schedule.id,
          schedule.name,
          schedule.description,
          JsonText(schedule.timing),
          JsonText(schedule.target),
          schedule.paused ? 1LL : 0LL,
          TimeParam(schedule.next_run_at),
          JsonParam(schedule.last_runs),
          schedule.origin,
          Micros(schedule.created_at),
          Micros(schedule.updated_at),
          static_cast<long long>(schedule.revision)};
}

MysqlParams UpdateParams(const Schedule& schedule) {
  return {schedule.name,
          schedule.description,
          JsonText(schedule.timing),
          JsonText(schedule.target),
          schedule.paused ? 1LL : 0LL,
          TimeParam(schedule.next_run_at),
          JsonParam(schedule.last_runs),
          Micros(schedule.updated_at),
          schedule.id,
          static_cast<long long>(schedule.revision)};
}

Schedule ScheduleAt(const MysqlResult& result, int row) {
  Schedule schedule;
  schedule.id = result.Text(row, 0);
  schedule.name = result.Text(row, 1);
  schedule.description = result.Text(row, 2);
  schedule.timing = JsonAt(result, row, 3);
  schedule.target = JsonAt(result, row, 4);
  schedule.paused = result.Integer(row, 5) != 0;
  schedule.next_run_at = TimeAt(result, row, 6);
  schedule.last_runs = JsonAt(result, row, 7);
  schedule.origin = result.Text(row, 8);
  schedule.created_at = *TimeAt(result, row, 9);
  schedule.updated_at = *TimeAt(result, row, 10);
  schedule.revision = result.Integer(row, 11);
  return schedule;
}

std::vector<Schedule> SchedulesOf(const MysqlResult& result) {
  std::vector<Schedule> schedules;
  schedules.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) schedules.push_back(ScheduleAt(result, row));
  return schedules;
}

}  // namespace

Status MysqlScheduleRepository::CreateSchedule(const Schedule& schedule) {
  if (!core::IsUuid(schedule.id)) {
    return Status::InvalidArgument("schedule id must be a UUID: " + schedule.id);
  }
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto inserted = (*lease)->Run("kInsertSchedule", kInsertSchedule, InsertParams(schedule));
  if (inserted.ok() || inserted.status().code() != StatusCode::kConflict) {
    return inserted.status();
  }
  // Both the id and the name are unique keys; which one clashed decides the message.
  auto exists = (*lease)->Run("kScheduleExists", kScheduleExists, {schedule.id});
  if (exists.ok() && exists->rows() == 1) {
    return Status::Conflict("schedule with ID: " + schedule.id + " already exists");
  }
  return NameTaken(schedule.name);
}

Result<Schedule> MysqlScheduleRepository::GetSchedule(const std::string& id) {
  if (!core::IsUuid(id)) return NoSchedule(id);
  auto found = pool_->Run("kGetSchedule", kGetSchedule, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return NoSchedule(id);
  return ScheduleAt(*found, 0);
}

Result<std::vector<Schedule>> MysqlScheduleRepository::ListSchedules() {
  auto found = pool_->Run("kListSchedules", kListSchedules, {});
  if (!found.ok()) return found.status();
  return SchedulesOf(*found);
}

Status MysqlScheduleRepository::UpdateSchedule(const Schedule& schedule) {
  if (!core::IsUuid(schedule.id)) return NoSchedule(schedule.id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto updated = (*lease)->Run("kUpdateSchedule", kUpdateSchedule, UpdateParams(schedule));
  if (!updated.ok()) {
    // The id is not written, so the only unique key an UPDATE can break is the name's.
    if (updated.status().code() == StatusCode::kConflict) return NameTaken(schedule.name);
    return updated.status();
  }
  if (updated->AffectedRows() == 1) return Status::Ok();
  // Asked on the connection already held: taking a second one could wait forever when every
  // connection of the pool is held by such a caller.
  auto exists = (*lease)->Run("kScheduleExists", kScheduleExists, {schedule.id});
  if (!exists.ok()) return exists.status();
  if (exists->rows() == 0) return NoSchedule(schedule.id);
  return Status::Conflict("schedule with ID: " + schedule.id + " was changed meanwhile");
}

Status MysqlScheduleRepository::DeleteSchedule(const std::string& id) {
  if (!core::IsUuid(id)) return NoSchedule(id);
  auto deleted = pool_->Run("kDeleteSchedule", kDeleteSchedule, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? NoSchedule(id) : Status::Ok();
}

Result<std::vector<Schedule>> MysqlScheduleRepository::ListDueSchedules(TimePoint now,
                                                                        std::size_t limit) {
  if (limit == 0) return std::vector<Schedule>{};
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<long long>::max());
  auto found = pool_->Run("kListDueSchedules", kListDueSchedules,
                          {Micros(now), static_cast<long long>(std::min(limit, kMax))});
  if (!found.ok()) return found.status();
  return SchedulesOf(*found);
}

}  // namespace valet::adapters::mysql
