#pragma once

// The repository's Lua scripts for a job's way through its statuses: transitions, a worker's
// start and lease renewal, and the claims of due and stranded jobs. The rules of
// repository_scripts.hpp hold here too (every key in KEYS, times as strings); the scripts that
// change a job are run with kFileJob in front of them.
namespace valet::adapters::redis::scripts {

// A job's status change as a compare-and-set, fenced by the lease token when one is given, with
// the job's result and the hand-over to the pipeline's next job in the same step.
// KEYS: job, <from> index, <to> index, due, leases, queued, result,
//       [next job, jobs:pending, jobs:scheduled]
// ARGV: from, to, time field ('' for none), at, failure_reason, fenced (1/0), lease_token,
//       run_at ('' for none), has_attempts (1/0), attempts JSON ('' for none), has_result (1/0),
//       result ttl ms, result field, value, ...
// Returns 0 when done, -1 when the job does not exist, -2 when another lease holds it, else its
// current status.
inline constexpr const char* kTransitionJob = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= ARGV[1] then return tonumber(status) end
if ARGV[6] == '1' and (redis.call('HGET', KEYS[1], 'lease_token') or '') ~= ARGV[7] then
  return -2
end
local member = redis.call('HGET', KEYS[1], 'member')
local created = redis.call('HGET', KEYS[1], 'created_at')
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], ARGV[3], ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'failure_reason', ARGV[5]) end
if ARGV[1] == '3' then
  redis.call('HSET', KEYS[1], 'lease_token', '')
  redis.call('HDEL', KEYS[1], 'lease_expires_at')
end
if ARGV[2] == '1' then
  if ARGV[8] == '' then
    redis.call('HDEL', KEYS[1], 'run_at')
  else
    redis.call('HSET', KEYS[1], 'run_at', ARGV[8])
  end
end
if ARGV[9] == '1' then
  if ARGV[10] == '' then
    redis.call('HDEL', KEYS[1], 'attempts')
  else
    redis.call('HSET', KEYS[1], 'attempts', ARGV[10])
  end
end
redis.call('ZREM', KEYS[2], member)
redis.call('ZADD', KEYS[3], created, member)
file_job(KEYS[1], member, KEYS[4], KEYS[5], KEYS[6])
if ARGV[11] == '1' then
  redis.call('DEL', KEYS[7])
  redis.call('HSET', KEYS[7], unpack(ARGV, 13))
  if tonumber(ARGV[12]) > 0 then redis.call('PEXPIRE', KEYS[7], ARGV[12]) end
end
if #KEYS >= 8 and redis.call('HGET', KEYS[8], 'status') == '1' then
  local next_member = redis.call('HGET', KEYS[8], 'member')
  local next_created = redis.call('HGET', KEYS[8], 'created_at')
  redis.call('HSET', KEYS[8], 'status', '2', 'scheduled_at', ARGV[4])
  redis.call('ZREM', KEYS[9], next_member)
  redis.call('ZADD', KEYS[10], next_created, next_member)
  file_job(KEYS[8], next_member, KEYS[4], KEYS[5], KEYS[6])
end
return 0
)lua";

// A worker's claim: PENDING or SCHEDULED -> IN_PROGRESS under a lease, one more attempt.
// KEYS: job, jobs:pending, jobs:scheduled, jobs:in_progress, due, leases, queued.
// ARGV: started_at, lease_token, lease_expires_at.
// Returns the job's fields (HGETALL) when claimed, -1 when it does not exist, else its status.
inline constexpr const char* kStart = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= '1' and status ~= '2' then return tonumber(status) end
local member = redis.call('HGET', KEYS[1], 'member')
local created = redis.call('HGET', KEYS[1], 'created_at')
redis.call('HSET', KEYS[1], 'status', '3', 'started_at', ARGV[1], 'lease_token', ARGV[2],
           'lease_expires_at', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'attempt', 1)
redis.call('ZREM', KEYS[tonumber(status) + 1], member)
redis.call('ZADD', KEYS[4], created, member)
file_job(KEYS[1], member, KEYS[5], KEYS[6], KEYS[7])
return redis.call('HGETALL', KEYS[1])
)lua";

// Extends the lease of a running job held under the given token.
// KEYS: job, leases. ARGV: lease_token, lease_expires_at.
// Returns 1 when extended, 0 when the job is not IN_PROGRESS under the token, -1 when it does
// not exist.
inline constexpr const char* kRenewLease = R"lua(
local f = redis.call('HMGET', KEYS[1], 'status', 'lease_token', 'member')
if not f[1] then return -1 end
if f[1] ~= '3' or (f[2] or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'lease_expires_at', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], f[3])
return 1
)lua";

// Moves the candidate jobs that are still PENDING and due to SCHEDULED. Candidates come from a
// read of the due index just before; a job another instance claimed in between is skipped, so
// each due job is claimed once.
// KEYS: due, jobs:pending, jobs:scheduled, leases, queued, job keys...
// ARGV: now, members (as the job keys).
// Returns the claimed jobs' fields, in candidate (run_at) order.
inline constexpr const char* kClaimDue = R"lua(
local now = tonumber(ARGV[1])
local claimed = {}
for i = 6, #KEYS do
  local member = ARGV[i - 4]
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score and tonumber(score) <= now then
    if redis.call('HGET', KEYS[i], 'status') == '1' then
      local created = redis.call('HGET', KEYS[i], 'created_at')
      redis.call('HSET', KEYS[i], 'status', '2', 'scheduled_at', ARGV[1])
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZADD', KEYS[3], created, member)
      file_job(KEYS[i], member, KEYS[1], KEYS[4], KEYS[5])
      claimed[#claimed + 1] = redis.call('HGETALL', KEYS[i])
    else
      redis.call('ZREM', KEYS[1], member)
    end
  end
end
return claimed
)lua";

// Re-stamps the candidate jobs that are still in the queued index from before `queued_before`
// SCHEDULED at `now`, which moves them to the back of that index. Candidates come from a read of
// the index just before; one another caller took in between has a new score and is skipped, so
// each stranded job is claimed once.
// KEYS: queued, jobs:pending, jobs:scheduled, due, leases, job keys...
// ARGV: queued_before, now, members (as the job keys).
// Returns the claimed jobs' fields, in candidate order.
inline constexpr const char* kClaimStranded = R"lua(
local before = tonumber(ARGV[1])
local claimed = {}
for i = 6, #KEYS do
  local member = ARGV[i - 3]
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score and tonumber(score) < before then
    local status = redis.call('HGET', KEYS[i], 'status')
    if status == '1' then
      local created = redis.call('HGET', KEYS[i], 'created_at')
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZADD', KEYS[3], created, member)
    end
    if status == '1' or status == '2' then
      redis.call('HSET', KEYS[i], 'status', '2', 'scheduled_at', ARGV[2])
      claimed[#claimed + 1] = redis.call('HGETALL', KEYS[i])
    end
    file_job(KEYS[i], member, KEYS[4], KEYS[5], KEYS[1])
  end
end
return claimed
)lua";

}  // namespace valet::adapters::redis::scripts
