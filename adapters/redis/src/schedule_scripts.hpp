#pragma once

// The Lua scripts of RedisScheduleRepository: the writes that touch a schedule's hash and its
// entries in the name map and the two indexes together. The rules of repository_scripts.hpp hold
// here too: every key in KEYS, and times passed through as the strings they arrived as. Index
// members are schedule ids, scored by microseconds since the epoch.
namespace valet::adapters::redis::scripts {

// Stores a schedule unless its id or its name is taken.
// KEYS: schedule, schedules, schedules:due, schedules:names.
// ARGV: id, name, created_at, next_run_at ('' for none), field, value, ...
// Returns 1 when stored, 0 when the id is taken, -1 when the name is.
inline constexpr const char* kCreateSchedule = R"lua(
local id, name, created_at, next_run_at = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('HEXISTS', KEYS[4], name) == 1 then return -1 end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('HSET', KEYS[4], name, id)
redis.call('ZADD', KEYS[2], created_at, id)
if next_run_at ~= '' then redis.call('ZADD', KEYS[3], next_run_at, id) end
return 1
)lua";

// The compare-and-set of UpdateSchedule: while the stored revision is the one given and the new
// name is free (or the schedule's own), replaces the written fields (next_run_at and last_runs
// are absent from them when unset), bumps the revision and moves the name and the due entry.
// KEYS: schedule, schedules:due, schedules:names.
// ARGV: id, revision, name, next_run_at ('' for none), field, value, ...
// Returns 1 when written, 0 when the revision is stale, -1 when the schedule does not exist, -2
// when another schedule has the name.
inline constexpr const char* kUpdateSchedule = R"lua(
local id, revision, name, next_run_at = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local stored = redis.call('HMGET', KEYS[1], 'revision', 'name')
local stored_revision, stored_name = stored[1], stored[2]
if not stored_revision then return -1 end
if stored_revision ~= revision then return 0 end
local holder = redis.call('HGET', KEYS[3], name)
if holder and holder ~= id then return -2 end

if redis.call('HGET', KEYS[3], stored_name) == id then redis.call('HDEL', KEYS[3], stored_name) end
redis.call('HSET', KEYS[3], name, id)
redis.call('HDEL', KEYS[1], 'next_run_at', 'last_runs')
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('HINCRBY', KEYS[1], 'revision', 1)
if next_run_at == '' then
  redis.call('ZREM', KEYS[2], id)
else
  redis.call('ZADD', KEYS[2], next_run_at, id)
end
return 1
)lua";

// Deletes a schedule, its name and its index entries.
// KEYS: schedule, schedules, schedules:due, schedules:names. ARGV: id.
// Returns 1, or 0 when it does not exist.
inline constexpr const char* kDeleteSchedule = R"lua(
local id = ARGV[1]
local name = redis.call('HGET', KEYS[1], 'name')
if not name then return 0 end
if redis.call('HGET', KEYS[4], name) == id then redis.call('HDEL', KEYS[4], name) end
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('DEL', KEYS[1])
return 1
)lua";

}  // namespace valet::adapters::redis::scripts
