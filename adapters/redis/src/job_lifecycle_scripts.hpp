#pragma once

// The repository's Lua scripts for a job's way through its statuses: transitions, a worker's
// start and lease renewal, and the claims of due and stranded jobs. The rules of
// repository_scripts.hpp hold here too (every key in KEYS, times as strings); the scripts that
// change a job are run with kFileJob in front of them.
namespace valet::adapters::redis::scripts {

// A job's status change as a compare-and-set, fenced by the lease token when one is given, with
// the job's result and the hand-over to the pipeline's next job in the same step. Prepended to
// the scripts that change a job's status (with kFileJob before it).
// k: job, <from> index, <to> index, due, leases, queued, result, jobs:finished,
//    [next job, jobs:pending, jobs:scheduled]
// a: from, to, time field ('' for none), at, failure_reason, fenced (1/0), lease_token,
//    run_at ('' for none), has_attempts (1/0), attempts JSON ('' for none), has_result (1/0),
//    result ttl ms
// fields: the result's field, value, ...
// Returns 0 when done, -1 when the job does not exist, -2 when another lease holds it, else its
// current status.
inline constexpr const char* kTransitionJobFunction = R"lua(
local function transition_job(k, a, fields)
  local f = redis.call('HMGET', k[1], 'status', 'lease_token', 'member', 'created_at',
                       'pipeline_id')
  local status = f[1]
  if not status then return -1 end
  if status ~= a[1] then return tonumber(status) end
  if a[6] == '1' and (f[2] or '') ~= a[7] then return -2 end
  local member, created = f[3], f[4]
  local set, unset = {'HSET', k[1], 'status', a[2]}, {'HDEL', k[1]}
  local function put(field, value)
    set[#set + 1] = field
    set[#set + 1] = value
  end
  if a[3] ~= '' then put(a[3], a[4]) end
  if a[5] ~= '' then put('failure_reason', a[5]) end
  if a[1] == '3' then
    put('lease_token', '')
    unset[#unset + 1] = 'lease_expires_at'
  end
  if a[2] == '1' then
    if a[8] == '' then unset[#unset + 1] = 'run_at' else put('run_at', a[8]) end
  end
  if a[9] == '1' then
    if a[10] == '' then unset[#unset + 1] = 'attempts' else put('attempts', a[10]) end
  end
  redis.call(unpack(set))
  if #unset > 2 then redis.call(unpack(unset)) end
  redis.call('ZREM', k[2], member)
  redis.call('ZADD', k[3], created, member)
  if a[1] == '3' and tonumber(a[2]) >= 4 then
    -- A running job is in the lease index only (never due or queued); a finished one in none.
    redis.call('ZREM', k[5], member)
  else
    file_job(k[1], member, k[4], k[5], k[6])
  end
  if tonumber(a[2]) >= 4 and (f[5] or '') == '' then redis.call('ZADD', k[8], a[4], member) end
  if a[11] == '1' then
    redis.call('DEL', k[7])
    redis.call('HSET', k[7], unpack(fields))
    if tonumber(a[12]) > 0 then redis.call('PEXPIRE', k[7], a[12]) end
  end
  if k[9] then
    local n = redis.call('HMGET', k[9], 'status', 'member', 'created_at')
    if n[1] == '1' then
      redis.call('HSET', k[9], 'status', '2', 'scheduled_at', a[4])
      redis.call('ZREM', k[10], n[2])
      redis.call('ZADD', k[11], n[3], n[2])
      file_job(k[9], n[2], k[4], k[5], k[6])
    end
  end
  return 0
end
)lua";

// One status change (kTransitionJobFunction).
// KEYS: as its k. ARGV: its a, then its fields.
inline constexpr const char* kTransitionJob = R"lua(
local a = {}
for i = 1, 12 do a[i] = ARGV[i] end
local fields = {}
for i = 13, #ARGV do fields[#fields + 1] = ARGV[i] end
return transition_job(KEYS, a, fields)
)lua";

// Several status changes (kTransitionJobFunction), each its own compare-and-set.
// KEYS: jobs:pending ... jobs:cancelled (by status number), due, leases, queued, jobs:finished,
//       then for each change: job, result, next job (the job again when there is none).
// ARGV: result ttl ms, then for each change: its a without the ttl, has_next (1/0), the number
//       of result fields and values, those.
// Returns 1 for each change applied and 0 for each not, in order.
inline constexpr const char* kTransitionJobs = R"lua(
local applied = {}
local cursor = 2
for i = 11, #KEYS, 3 do
  local a = {}
  for j = 1, 11 do a[j] = ARGV[cursor + j - 1] end
  a[12] = ARGV[1]
  local has_next = ARGV[cursor + 11] == '1'
  local count = tonumber(ARGV[cursor + 12])
  local fields = {}
  for j = 1, count do fields[j] = ARGV[cursor + 12 + j] end
  cursor = cursor + 13 + count
  local k = {KEYS[i], KEYS[tonumber(a[1])], KEYS[tonumber(a[2])], KEYS[7], KEYS[8], KEYS[9],
             KEYS[i + 1], KEYS[10]}
  if has_next then
    k[9] = KEYS[i + 2]
    k[10] = KEYS[1]
    k[11] = KEYS[2]
  end
  applied[#applied + 1] = transition_job(k, a, fields) == 0 and 1 or 0
end
return applied
)lua";

// A worker's claim: PENDING or SCHEDULED -> IN_PROGRESS under a lease, one more attempt.
// Prepended to the scripts that start jobs (with kFileJob before it).
// Returns nil when claimed, -1 when the job does not exist, else its status.
inline constexpr const char* kStartJobFunction = R"lua(
local function start_job(job, pending, scheduled, in_progress, due, leases, queued, at, token,
                         expires)
  local f = redis.call('HMGET', job, 'status', 'member', 'created_at')
  local status, member = f[1], f[2]
  if not status then return -1 end
  if status ~= '1' and status ~= '2' then return tonumber(status) end
  redis.call('HSET', job, 'status', '3', 'started_at', at, 'lease_token', token,
             'lease_expires_at', expires)
  redis.call('HDEL', job, 'progress')
  redis.call('HINCRBY', job, 'attempt', 1)
  redis.call('ZREM', status == '1' and pending or scheduled, member)
  redis.call('ZADD', in_progress, f[3], member)
  -- What file_job does for a running job, without reading the fields it knows.
  redis.call('ZREM', due, member)
  redis.call('ZREM', queued, member)
  redis.call('ZADD', leases, expires, member)
  return nil
end
)lua";

// KEYS: job, jobs:pending, jobs:scheduled, jobs:in_progress, due, leases, queued.
// ARGV: started_at, lease_token, lease_expires_at.
// Returns the job's fields (HGETALL) when claimed, -1 when it does not exist, else its status.
inline constexpr const char* kStart = R"lua(
local refused = start_job(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7],
                          ARGV[1], ARGV[2], ARGV[3])
if refused then return refused end
return redis.call('HGETALL', KEYS[1])
)lua";

// Claims of several jobs under one lease; a job that cannot start is left out.
// KEYS: jobs:pending, jobs:scheduled, jobs:in_progress, due, leases, queued, job keys...
// ARGV: started_at, lease_token, lease_expires_at.
// Returns the fields of each job claimed.
inline constexpr const char* kStartJobs = R"lua(
local started = {}
for i = 7, #KEYS do
  if not start_job(KEYS[i], KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[1],
                   ARGV[2], ARGV[3]) then
    started[#started + 1] = redis.call('HGETALL', KEYS[i])
  end
end
return started
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

// Stores the progress of a running job held under the given token.
// KEYS: job. ARGV: lease_token, progress JSON.
// Returns 1 when stored, 0 when the job is not IN_PROGRESS under the token, -1 when it does not
// exist.
inline constexpr const char* kSetProgress = R"lua(
local f = redis.call('HMGET', KEYS[1], 'status', 'lease_token')
if not f[1] then return -1 end
if f[1] ~= '3' or (f[2] or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[2])
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
