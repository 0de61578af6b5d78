#include "valet/adapters/postgres/postgres_schedule_repository.hpp"

#include "pg_pool.hpp"
#include "pg_rows.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::postgres {

namespace {

// What every read of a schedule selects, in the order ScheduleAt() decodes.
#define VALET_SCHEDULE_COLUMNS \
  "id::text, name, description, timing::text, target::text, paused, "            \
  VALET_MICROS("next_run_at") ", last_runs::text, origin, "                       \
  VALET_MICROS("created_at") ", " VALET_MICROS("updated_at") ", revision"

constexpr const char* kInsertSchedule =
    "INSERT INTO valet_schedules (id, name, description, timing, target, paused, next_run_at, "
    "last_runs, origin, created_at, updated_at, revision) VALUES "
    "($1, $2, $3, $4::json, $5::json, $6, $7, $8::json, $9, $10, $11, $12)";
constexpr const char* kGetSchedule =
    "SELECT " VALET_SCHEDULE_COLUMNS " FROM valet_schedules WHERE id = $1";
constexpr const char* kListSchedules =
    "SELECT " VALET_SCHEDULE_COLUMNS " FROM valet_schedules ORDER BY created_at, id";
// The compare-and-set. Under READ COMMITTED a racing UPDATE waits for the row, then re-checks the
// revision on the version the winner committed, so exactly one of them matches.
constexpr const char* kUpdateSchedule =
    "UPDATE valet_schedules SET name = $2, description = $3, timing = $4::json, "
    "target = $5::json, paused = $6, next_run_at = $7, last_runs = $8::json, updated_at = $9, "
    "revision = revision + 1 WHERE id = $1 AND revision = $10";
constexpr const char* kScheduleExists = "SELECT 1 FROM valet_schedules WHERE id = $1";
constexpr const char* kDeleteSchedule = "DELETE FROM valet_schedules WHERE id = $1";
// A range over the partial index valet_schedules_due, in its order.
constexpr const char* kListDueSchedules =
    "SELECT " VALET_SCHEDULE_COLUMNS
    " FROM valet_schedules WHERE next_run_at IS NOT NULL AND next_run_at <= $1 "
    "ORDER BY next_run_at, id LIMIT $2";

Status NoSchedule(const std::string& id) {
  return Status::NotFound("schedule with ID: " + id + " not found");
}

Status NameTaken(const std::string& name) {
  return Status::Conflict("a schedule named \"" + name + "\" already exists");
}

std::string BoolParam(bool value) { return value ? "true" : "false"; }

// `timing` and `target` are stored as their JSON text even when null, so they are never SQL NULL.
PgParams InsertParams(const Schedule& schedule) {
  return {schedule.id,
          schedule.name,
          schedule.description,
          JsonText(schedule.timing),
          JsonText(schedule.target),
          BoolParam(schedule.paused),
          TimeParam(schedule.next_run_at),
          JsonParam(schedule.last_runs),
          schedule.origin,
          core::FormatTime(schedule.created_at),
          core::FormatTime(schedule.updated_at),
          std::to_string(schedule.revision)};
}

PgParams UpdateParams(const Schedule& schedule) {
  return {schedule.id,
          schedule.name,
          schedule.description,
          JsonText(schedule.timing),
          JsonText(schedule.target),
          BoolParam(schedule.paused),
          TimeParam(schedule.next_run_at),
          JsonParam(schedule.last_runs),
          core::FormatTime(schedule.updated_at),
          std::to_string(schedule.revision)};
}

Schedule ScheduleAt(const PgResult& result, int row) {
  Schedule schedule;
  schedule.id = result.Text(row, 0);
  schedule.name = result.Text(row, 1);
  schedule.description = result.Text(row, 2);
  schedule.timing = JsonAt(result, row, 3);
  schedule.target = JsonAt(result, row, 4);
  schedule.paused = result.Text(row, 5) == "t";
  schedule.next_run_at = TimeAt(result, row, 6);
  schedule.last_runs = JsonAt(result, row, 7);
  schedule.origin = result.Text(row, 8);
  schedule.created_at = *TimeAt(result, row, 9);
  schedule.updated_at = *TimeAt(result, row, 10);
  schedule.revision = result.Integer(row, 11);
  return schedule;
}

std::vector<Schedule> SchedulesOf(const PgResult& result) {
  std::vector<Schedule> schedules;
  schedules.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) schedules.push_back(ScheduleAt(result, row));
  return schedules;
}

}  // namespace

Status PostgresScheduleRepository::CreateSchedule(const Schedule& schedule) {
  if (!core::IsUuid(schedule.id)) {
    return Status::InvalidArgument("schedule id must be a UUID: " + schedule.id);
  }
  VALET_RUN(inserted, kInsertSchedule, InsertParams(schedule));
  if (inserted.ok() || inserted.status().code() != StatusCode::kConflict) {
    return inserted.status();
  }
  // Both the id and the name are unique keys; which one clashed decides the message.
  auto exists = (*lease_inserted)->Run("kScheduleExists", kScheduleExists, {schedule.id});
  if (exists.ok() && exists->rows() == 1) {
    return Status::Conflict("schedule with ID: " + schedule.id + " already exists");
  }
  return NameTaken(schedule.name);
}

Result<Schedule> PostgresScheduleRepository::GetSchedule(const std::string& id) {
  if (!core::IsUuid(id)) return NoSchedule(id);
  VALET_RUN(found, kGetSchedule, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return NoSchedule(id);
  return ScheduleAt(*found, 0);
}

Result<std::vector<Schedule>> PostgresScheduleRepository::ListSchedules() {
  VALET_RUN(found, kListSchedules, {});
  if (!found.ok()) return found.status();
  return SchedulesOf(*found);
}

Status PostgresScheduleRepository::UpdateSchedule(const Schedule& schedule) {
  if (!core::IsUuid(schedule.id)) return NoSchedule(schedule.id);
  VALET_RUN(updated, kUpdateSchedule, UpdateParams(schedule));
  if (!updated.ok()) {
    // The id is not written, so the only unique key an UPDATE can break is the name.
    if (updated.status().code() == StatusCode::kConflict) return NameTaken(schedule.name);
    return updated.status();
  }
  if (updated->AffectedRows() == 1) return Status::Ok();
  // Asked on the connection already held: taking a second one could wait forever when every
  // connection of the pool is held by such a caller.
  auto exists = (*lease_updated)->Run("kScheduleExists", kScheduleExists, {schedule.id});
  if (!exists.ok()) return exists.status();
  if (exists->rows() == 0) return NoSchedule(schedule.id);
  return Status::Conflict("schedule with ID: " + schedule.id + " was changed meanwhile");
}

Status PostgresScheduleRepository::DeleteSchedule(const std::string& id) {
  if (!core::IsUuid(id)) return NoSchedule(id);
  VALET_RUN(deleted, kDeleteSchedule, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? NoSchedule(id) : Status::Ok();
}

Result<std::vector<Schedule>> PostgresScheduleRepository::ListDueSchedules(TimePoint now,
                                                                           std::size_t limit) {
  VALET_RUN(found, kListDueSchedules, {core::FormatTime(now), LimitParam(limit)});
  if (!found.ok()) return found.status();
  return SchedulesOf(*found);
}

}  // namespace valet::adapters::postgres
