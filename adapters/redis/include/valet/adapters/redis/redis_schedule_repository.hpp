#pragma once

#include <string>
#include <vector>

#include "valet/ports/schedule_repository.hpp"

namespace valet::adapters::redis {

class RedisPool;
class RepositoryKeys;

// The schedules of a RedisJobRepository, under its key prefix and on its connection pool:
//   {p}:schedule:<id>     hash: the schedule's fields (times as microseconds since the epoch,
//                         `timing`, `target` and `last_runs` as JSON text)
//   {p}:schedules         sorted set of schedule ids by created_at
//   {p}:schedules:due     sorted set of the ids of the schedules that have a next_run_at, by it
//   {p}:schedules:names   hash: name -> id, which keeps names unique
// Members are bare ids, so equal scores list by id, the order the port asks for. Create, update
// (the compare-and-set on `revision`, the name check and the re-filing in one step) and delete
// are Lua scripts that name all their keys in KEYS. ListDueSchedules() reads the due index, then
// the schedules, and leaves out any that another instance advanced in between. Ids that are not
// UUIDs are kNotFound without a round trip.
class RedisScheduleRepository final : public ScheduleRepository {
 public:
  // `pool` and `keys` must outlive this repository (its RedisJobRepository owns all three).
  RedisScheduleRepository(RedisPool& pool, const RepositoryKeys& keys)
      : pool_(&pool), keys_(&keys) {}

  Status CreateSchedule(const Schedule& schedule) override;
  Result<Schedule> GetSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListSchedules() override;
  Status UpdateSchedule(const Schedule& schedule) override;
  Status DeleteSchedule(const std::string& id) override;
  Result<std::vector<Schedule>> ListDueSchedules(TimePoint now, std::size_t limit) override;

 private:
  RedisPool* pool_;
  const RepositoryKeys* keys_;
};

}  // namespace valet::adapters::redis
