#pragma once

#include <string>
#include <vector>

#include "valet/ports/schedule_repository.hpp"

namespace valet::adapters::postgres {

class PgPool;

// The schedules of a PostgresJobRepository, in its table valet_schedules and on its connection
// pool. A schedule is one row: `timing`, `target` and `last_runs` are json columns (stored as
// the text written), the name is a unique key, and the due lookup ranges over an index of the
// rows that have a next_run_at. UpdateSchedule() is one UPDATE ... WHERE id = $1 AND revision =
// $n; when it matches no row, a look-up on the same connection tells kNotFound from kConflict.
// Timestamps keep microseconds; ids that are not UUIDs are kNotFound without a query.
class PostgresScheduleRepository final : public ScheduleRepository {
 public:
  // `pool` must outlive this repository (its PostgresJobRepository owns both).
  explicit PostgresScheduleRepository(PgPool& pool) : pool_(&pool) {}

  Status CreateSchedule(const Schedule& schedule) override;
  Result<Schedule> GetSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListSchedules() override;
  Status UpdateSchedule(const Schedule& schedule) override;
  Status DeleteSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListDueSchedules(TimePoint now, std::size_t limit) override;

 private:
  PgPool* pool_;
};

}  // namespace valet::adapters::postgres
