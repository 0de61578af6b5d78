#pragma once

#include <string>
#include <vector>

#include "valet/ports/schedule_repository.hpp"

namespace valet::adapters::mysql {

class MysqlPool;

// The schedules of a MysqlJobRepository, in its table valet_schedules and on its connection
// pool. A schedule is one row: `timing`, `target` and `last_runs` are JSON text, the name is
// unique through a unique index on its SHA-256 (names may be longer than an index key), and the
// due lookup is a range over an index on next_run_at. UpdateSchedule() is one
// UPDATE ... WHERE id = ? AND revision = ?; when it matches no row, a look-up on the same
// connection tells kNotFound from kConflict. Timestamps keep microseconds; ids that are not UUIDs
// are kNotFound without a query.
class MysqlScheduleRepository final : public ScheduleRepository {
 public:
  // `pool` must outlive this repository (its MysqlJobRepository owns both).
  explicit MysqlScheduleRepository(MysqlPool& pool) : pool_(&pool) {}

  Status CreateSchedule(const Schedule& schedule) override;
  Result<Schedule> GetSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListSchedules() override;
  Status UpdateSchedule(const Schedule& schedule) override;
  Status DeleteSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListDueSchedules(TimePoint now, std::size_t limit) override;

 private:
  MysqlPool* pool_;
};

}  // namespace valet::adapters::mysql
