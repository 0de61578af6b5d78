#pragma once

// The queue's Lua scripts (see RedisJobQueue). Times are the server's (TIME), in ms. An entry is
// "<token>|<earlier deliveries>|<job id>".
namespace valet::adapters::redis::scripts {

#define VALET_QUEUE_PRELUDE                                                              \
  "local t = redis.call('TIME')\n"                                                       \
  "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"              \
  "local function ms(x) return string.format('%d', x) end\n"                             \
  "local function bump(entry)\n"                                                         \
  "  local first = string.find(entry, '|', 1, true)\n"                                   \
  "  local second = string.find(entry, '|', first + 1, true)\n"                          \
  "  local count = tonumber(string.sub(entry, first + 1, second - 1)) + 1\n"             \
  "  return string.sub(entry, 1, first) .. count .. string.sub(entry, second)\n"         \
  "end\n"                                                                                \
  "local function requeue_expired(ready, processing, leases, limit)\n"                   \
  "  local expired = redis.call('ZRANGE', leases, '-inf', ms(now), 'BYSCORE', 'LIMIT', " \
  "0, limit)\n"                                                                          \
  "  for i = #expired, 1, -1 do\n"                                                       \
  "    local entry = expired[i]\n"                                                       \
  "    redis.call('ZREM', leases, entry)\n"                                              \
  "    if redis.call('LREM', processing, -1, entry) > 0 then\n"                           \
  "      redis.call('RPUSH', ready, bump(entry))\n"                                      \
  "    end\n"                                                                            \
  "  end\n"                                                                              \
  "end\n"

// Puts back entries whose lease expired, then takes up to ARGV[2] waiting entries into
// processing with a lease of ARGV[1] ms. KEYS: ready, processing, leases. Returns the entries.
inline constexpr const char* kTake = VALET_QUEUE_PRELUDE R"lua(
requeue_expired(KEYS[1], KEYS[2], KEYS[3], 100)
local taken = {}
for i = 1, tonumber(ARGV[2]) do
  local entry = redis.call('RPOP', KEYS[1])
  if not entry then break end
  redis.call('LPUSH', KEYS[2], entry)
  redis.call('ZADD', KEYS[3], ms(now + tonumber(ARGV[1])), entry)
  taken[#taken + 1] = entry
end
return taken
)lua";

// Leases an entry a blocked receiver has just moved into processing.
// KEYS: leases. ARGV: lease ms, entry.
inline constexpr const char* kLease = VALET_QUEUE_PRELUDE R"lua(
redis.call('ZADD', KEYS[1], ms(now + tonumber(ARGV[1])), ARGV[2])
return 1
)lua";

// Extends the leases this process still holds. KEYS: leases. ARGV: lease ms, entries...
// Returns the entries whose lease is gone (expired and put back).
inline constexpr const char* kRenew = VALET_QUEUE_PRELUDE R"lua(
local lost = {}
local expiry = ms(now + tonumber(ARGV[1]))
for i = 2, #ARGV do
  if redis.call('ZADD', KEYS[1], 'XX', 'CH', expiry, ARGV[i]) == 0 and
     not redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
)lua";

// Settles a delivery. KEYS: ready, processing, leases. ARGV: entry, requeue (1/0), bump (1/0).
// Returns 1, or 0 when the entry is no longer in processing (its lease expired).
inline constexpr const char* kSettle = R"lua(
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('LREM', KEYS[2], -1, ARGV[1]) == 0 then return 0 end
if ARGV[2] == '1' then
  local entry = ARGV[1]
  if ARGV[3] == '1' then
    local first = string.find(entry, '|', 1, true)
    local second = string.find(entry, '|', first + 1, true)
    local count = tonumber(string.sub(entry, first + 1, second - 1)) + 1
    entry = string.sub(entry, 1, first) .. count .. string.sub(entry, second)
  end
  redis.call('RPUSH', KEYS[1], entry)
end
return 1
)lua";

// Acks deliveries. KEYS: processing, leases. ARGV: entries... Returns how many were still in
// processing (the others' leases expired).
inline constexpr const char* kAckAll = R"lua(
local acked = 0
for i = 1, #ARGV do
  redis.call('ZREM', KEYS[2], ARGV[i])
  -- From the tail, where the oldest deliveries (those usually acked first) are.
  acked = acked + redis.call('LREM', KEYS[1], -1, ARGV[i])
end
return acked
)lua";

// Puts back entries whose lease expired and leases entries found in processing without one.
// KEYS: ready, processing, leases. ARGV: lease ms.
inline constexpr const char* kReap = VALET_QUEUE_PRELUDE R"lua(
requeue_expired(KEYS[1], KEYS[2], KEYS[3], 1000)
local expiry = ms(now + tonumber(ARGV[1]))
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  if not redis.call('ZSCORE', KEYS[3], entry) then
    redis.call('ZADD', KEYS[3], expiry, entry)
  end
end
return 1
)lua";

#undef VALET_QUEUE_PRELUDE

}  // namespace valet::adapters::redis::scripts
