#include "valet/adapters/redis/redis_schedule_repository.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

#include "record_codec.hpp"
#include "redis_connection.hpp"
#include "repository_keys.hpp"
#include "repository_support.hpp"
#include "schedule_scripts.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::redis {

namespace {

const Script kCreateScheduleScript{scripts::kCreateSchedule};
const Script kUpdateScheduleScript{scripts::kUpdateSchedule};
const Script kDeleteScheduleScript{scripts::kDeleteSchedule};

Status NoSchedule(const std::string& id) {
  return Status::NotFound("schedule with ID: " + id + " not found");
}

Status NameTaken(const std::string& name) {
  return Status::Conflict("a schedule named \"" + name + "\" already exists");
}

// A score argument of the scripts; '' when there is no time (and so no index entry).
std::string TimeArg(const OptionalTime& time) { return time ? Micros(*time) : std::string(); }

// Runs `read`, an index read that answers schedule ids, then reads those schedules in one round
// trip on the same connection, leaving out the ones deleted in between.
Result<std::vector<Schedule>> ReadIndexed(RedisPool& pool, const RepositoryKeys& keys,
                                          const Command& read) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  auto ids = (*lease)->Run(read);
  if (!ids.ok()) return ids.status();
  if (Status error = ids->ErrorStatus(); !error.ok()) return error;
  std::vector<Schedule> schedules;
  if (ids->size() == 0) return schedules;
  std::vector<Command> reads;
  reads.reserve(ids->size());
  for (std::size_t i = 0; i < ids->size(); ++i) {
    reads.push_back({"HGETALL", keys.Schedule(std::string(TextOf(ids->at(i))))});
  }
  auto replies = (*lease)->Pipeline(reads);
  if (!replies.ok()) return replies.status();
  schedules.reserve(replies->size());
  for (const Reply& reply : *replies) {
    if (Status error = reply.ErrorStatus(); !error.ok()) return error;
    if (reply.size() == 0) continue;
    Schedule schedule;
    if (!DecodeSchedule(reply.raw(), schedule)) return Garbled("a schedule");
    schedules.push_back(std::move(schedule));
  }
  return schedules;
}

}  // namespace

Status RedisScheduleRepository::CreateSchedule(const Schedule& schedule) {
  if (!core::IsUuid(schedule.id)) {
    return Status::InvalidArgument("schedule id must be a UUID: " + schedule.id);
  }
  std::vector<std::string> keys{keys_->Schedule(schedule.id), keys_->Schedules(),
                                keys_->SchedulesDue(), keys_->ScheduleNames()};
  std::vector<std::string> args{schedule.id, schedule.name, Micros(schedule.created_at),
                                TimeArg(schedule.next_run_at)};
  for (std::string& field : ScheduleFields(schedule)) args.push_back(std::move(field));
  VALET_EVAL(created, kCreateScheduleScript, keys, args);
  if (created->integer() == 1) return Status::Ok();
  if (created->integer() == 0) {
    return Status::Conflict("schedule with ID: " + schedule.id + " already exists");
  }
  return NameTaken(schedule.name);
}

Result<Schedule> RedisScheduleRepository::GetSchedule(const std::string& id) {
  if (!core::IsUuid(id)) return NoSchedule(id);
  auto found = RunOn(*pool_, {"HGETALL", keys_->Schedule(id)});
  if (!found.ok()) return found.status();
  if (found->size() == 0) return NoSchedule(id);
  Schedule schedule;
  if (!DecodeSchedule(found->raw(), schedule)) return Garbled("schedule " + id);
  return schedule;
}

Result<std::vector<Schedule>> RedisScheduleRepository::ListSchedules() {
  // Equal created_at scores list by member, which is the id: the order the port asks for.
  return ReadIndexed(*pool_, *keys_, {"ZRANGE", keys_->Schedules(), "0", "-1"});
}

Status RedisScheduleRepository::UpdateSchedule(const Schedule& schedule) {
  if (!core::IsUuid(schedule.id)) return NoSchedule(schedule.id);
  std::vector<std::string> keys{keys_->Schedule(schedule.id), keys_->SchedulesDue(),
                                keys_->ScheduleNames()};
  std::vector<std::string> args{schedule.id, std::to_string(schedule.revision), schedule.name,
                                TimeArg(schedule.next_run_at)};
  for (std::string& field : UpdatedScheduleFields(schedule)) args.push_back(std::move(field));
  VALET_EVAL(updated, kUpdateScheduleScript, keys, args);
  switch (updated->integer()) {
    case 1:
      return Status::Ok();
    case 0:
      return Status::Conflict("schedule with ID: " + schedule.id + " was changed meanwhile");
    case -1:
      return NoSchedule(schedule.id);
    default:
      return NameTaken(schedule.name);
  }
}

Status RedisScheduleRepository::DeleteSchedule(const std::string& id) {
  if (!core::IsUuid(id)) return NoSchedule(id);
  std::vector<std::string> keys{keys_->Schedule(id), keys_->Schedules(), keys_->SchedulesDue(),
                                keys_->ScheduleNames()};
  VALET_EVAL(deleted, kDeleteScheduleScript, keys, {id});
  return deleted->integer() == 1 ? Status::Ok() : NoSchedule(id);
}

Result<std::vector<Schedule>> RedisScheduleRepository::ListDueSchedules(TimePoint now,
                                                                        std::size_t limit) {
  if (limit == 0) return std::vector<Schedule>{};
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<long long>::max());
  auto due = ReadIndexed(*pool_, *keys_,
                         {"ZRANGEBYSCORE", keys_->SchedulesDue(), "-inf", Micros(now), "LIMIT", "0",
                          std::to_string(std::min(limit, kMax))});
  if (!due.ok()) return due;
  // A schedule that another instance advanced between the two reads may no longer be due; the
  // fields read are the truth, and the order follows them.
  std::erase_if(*due, [&](const Schedule& schedule) {
    return !schedule.next_run_at || *schedule.next_run_at > now;
  });
  std::sort(due->begin(), due->end(), [](const Schedule& a, const Schedule& b) {
    return std::tie(*a.next_run_at, a.id) < std::tie(*b.next_run_at, b.id);
  });
  return due;
}

}  // namespace valet::adapters::redis
