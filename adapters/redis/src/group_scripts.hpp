#pragma once

// The Lua scripts of RedisGroupRepository: the writes that touch a group's hash and its entries
// in the two indexes together. The rules of repository_scripts.hpp hold here too: every key in
// KEYS, and times passed through as the strings they arrived as. Index members are group ids,
// scored by created_at in microseconds since the epoch; a group is in the index of all groups and
// in the one of its status.
namespace valet::adapters::redis::scripts {

// Stores a group unless its id is taken.
// KEYS: group, groups, groups:<its status>.
// ARGV: id, created_at, field, value, ...
// Returns 1 when stored, 0 when the id is taken.
inline constexpr const char* kCreateGroup = R"lua(
local id, created_at = ARGV[1], ARGV[2]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], created_at, id)
redis.call('ZADD', KEYS[3], created_at, id)
return 1
)lua";

// The compare-and-set of UpdateGroup: while the stored revision is the one given, replaces the
// written fields (completed_at is absent from them when unset), bumps the revision and, when the
// status changed, moves the group from the index of the stored status to the new one's.
// KEYS: group, groups:<status 1..6>.
// ARGV: id, revision, status (its wire number), field, value, ...
// Returns 1 when written, 0 when the revision is stale, -1 when the group does not exist.
inline constexpr const char* kUpdateGroup = R"lua(
local id, revision, status = ARGV[1], ARGV[2], tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'revision', 'status', 'created_at')
if not stored[1] then return -1 end
if stored[1] ~= revision then return 0 end
local stored_status = tonumber(stored[2])
redis.call('HDEL', KEYS[1], 'completed_at')
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('HINCRBY', KEYS[1], 'revision', 1)
if stored_status ~= status then
  redis.call('ZREM', KEYS[1 + stored_status], id)
  redis.call('ZADD', KEYS[1 + status], stored[3], id)
end
return 1
)lua";

// Deletes a group and its index entries.
// KEYS: group, groups, groups:<status 1..6>. ARGV: id.
// Returns 1, or 0 when it does not exist.
inline constexpr const char* kDeleteGroup = R"lua(
local id = ARGV[1]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[2 + tonumber(status)], id)
redis.call('DEL', KEYS[1])
return 1
)lua";

}  // namespace valet::adapters::redis::scripts
