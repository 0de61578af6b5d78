#pragma once

// The repository's Lua scripts. Each runs atomically on the server and touches only the keys it
// is given in KEYS. Scores and times are passed through as the strings they arrived as: Lua
// would print a number of 16 digits as 1.8934560001235e+15 and lose microseconds.
namespace valet::adapters::redis::scripts {

// Creates a pipeline (optional) and its jobs, or nothing if any of their keys exists.
// KEYS: seq, jobs, due, jobs:<status 1..6>, pipelines, pipelines:<status 1..6>,
//       [pipeline], job keys...
// ARGV: has_pipeline (1/0), job count, then per record: id, created_at, status, [run_at for
//       jobs], pair count, field, value, ...
// Returns 1, or 0 when a key exists.
inline constexpr const char* kCreate = R"lua(
local has_pipeline = ARGV[1] == '1'
local first_job = has_pipeline and 18 or 17
if has_pipeline and redis.call('EXISTS', KEYS[17]) == 1 then return 0 end
for i = first_job, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
local a = 3
local function add(key, all, by_status, is_job)
  local id, created, status = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 3
  local run_at = ''
  if is_job then
    run_at = ARGV[a]
    a = a + 1
  end
  local member = string.format('%020d:%s', redis.call('INCR', KEYS[1]), id)
  local count = tonumber(ARGV[a])
  a = a + 1
  local command = {'HSET', key, 'member', member}
  for j = a, a + count * 2 - 1 do command[#command + 1] = ARGV[j] end
  a = a + count * 2
  redis.call(unpack(command))
  redis.call('ZADD', KEYS[all], created, member)
  redis.call('ZADD', KEYS[by_status + status], created, member)
  if is_job and status == 1 and run_at ~= '' then redis.call('ZADD', KEYS[3], run_at, member) end
end
if has_pipeline then add(KEYS[17], 10, 10, false) end
for i = first_job, #KEYS do add(KEYS[i], 2, 3, true) end
return 1
)lua";

// Writes the named fields of a job or pipeline, if it exists.
// KEYS: record. ARGV: field, value, ... Returns 1, or 0 when the record does not exist.
inline constexpr const char* kPatch = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return 1
)lua";

// A status change as a compare-and-set, with the job's result in the same step.
// KEYS: record, <from> index, <to> index, [due, result]   (jobs give all five)
// ARGV: from, to, time field, at, failure_reason, has_result (1/0), result ttl ms,
//       result field, value, ...
// Returns 0 when done, -1 when the record does not exist, else its current status.
inline constexpr const char* kTransition = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= ARGV[1] then return tonumber(status) end
local member = redis.call('HGET', KEYS[1], 'member')
local created = redis.call('HGET', KEYS[1], 'created_at')
redis.call('HSET', KEYS[1], 'status', ARGV[2], ARGV[3], ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'failure_reason', ARGV[5]) end
redis.call('ZREM', KEYS[2], member)
redis.call('ZADD', KEYS[3], created, member)
if #KEYS >= 4 then redis.call('ZREM', KEYS[4], member) end
if ARGV[6] == '1' then
  redis.call('DEL', KEYS[5])
  redis.call('HSET', KEYS[5], unpack(ARGV, 8))
  if tonumber(ARGV[7]) > 0 then redis.call('PEXPIRE', KEYS[5], ARGV[7]) end
end
return 0
)lua";

// A worker's claim: PENDING or SCHEDULED -> IN_PROGRESS.
// KEYS: job, jobs:pending, jobs:scheduled, jobs:in_progress, due. ARGV: started_at.
// Returns the job's fields (HGETALL) when claimed, -1 when it does not exist, else its status.
inline constexpr const char* kStart = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= '1' and status ~= '2' then return tonumber(status) end
local member = redis.call('HGET', KEYS[1], 'member')
local created = redis.call('HGET', KEYS[1], 'created_at')
redis.call('HSET', KEYS[1], 'status', '3', 'started_at', ARGV[1])
redis.call('ZREM', KEYS[tonumber(status) + 1], member)
redis.call('ZADD', KEYS[4], created, member)
redis.call('ZREM', KEYS[5], member)
return redis.call('HGETALL', KEYS[1])
)lua";

// Deletes a job, its result and its index entries.
// KEYS: job, result, jobs, due, jobs:<status 1..6>. Returns 1, or 0 when it does not exist.
inline constexpr const char* kDeleteJob = R"lua(
local member = redis.call('HGET', KEYS[1], 'member')
if not member then return 0 end
local status = tonumber(redis.call('HGET', KEYS[1], 'status'))
redis.call('ZREM', KEYS[3], member)
redis.call('ZREM', KEYS[4], member)
redis.call('ZREM', KEYS[4 + status], member)
redis.call('DEL', KEYS[1], KEYS[2])
return 1
)lua";

// Moves the candidate jobs that are still PENDING and due to SCHEDULED. Candidates come from a
// read of the due index just before; a job another instance claimed in between is skipped, so
// each due job is claimed once.
// KEYS: due, jobs:pending, jobs:scheduled, job keys... ARGV: now, members (as the job keys).
// Returns the claimed jobs' fields, in candidate (run_at) order.
inline constexpr const char* kClaimDue = R"lua(
local now = tonumber(ARGV[1])
local claimed = {}
for i = 4, #KEYS do
  local member = ARGV[i - 2]
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score and tonumber(score) <= now then
    if redis.call('HGET', KEYS[i], 'status') == '1' then
      local created = redis.call('HGET', KEYS[i], 'created_at')
      redis.call('HSET', KEYS[i], 'status', '2', 'scheduled_at', ARGV[1])
      redis.call('ZREM', KEYS[2], member)
      redis.call('ZADD', KEYS[3], created, member)
      claimed[#claimed + 1] = redis.call('HGETALL', KEYS[i])
    end
    redis.call('ZREM', KEYS[1], member)
  end
end
return claimed
)lua";

// Deletes a pipeline with its jobs, their results and every index entry.
// KEYS: pipeline, pipelines, pipelines:<status 1..6>, jobs, due, jobs:<status 1..6>,
//       then job key, result key for each job.
// ARGV: the pipeline's job_ids as read before (they never change).
// Returns 1, 0 when the pipeline does not exist, -1 when its jobs are not the ones given.
inline constexpr const char* kDeletePipeline = R"lua(
local ids = redis.call('HGET', KEYS[1], 'job_ids')
if not ids then return 0 end
if ids ~= ARGV[1] then return -1 end
local member = redis.call('HGET', KEYS[1], 'member')
local status = tonumber(redis.call('HGET', KEYS[1], 'status'))
redis.call('ZREM', KEYS[2], member)
redis.call('ZREM', KEYS[2 + status], member)
redis.call('DEL', KEYS[1])
for i = 17, #KEYS, 2 do
  local job_member = redis.call('HGET', KEYS[i], 'member')
  if job_member then
    local job_status = tonumber(redis.call('HGET', KEYS[i], 'status'))
    redis.call('ZREM', KEYS[9], job_member)
    redis.call('ZREM', KEYS[10], job_member)
    redis.call('ZREM', KEYS[10 + job_status], job_member)
  end
  redis.call('DEL', KEYS[i], KEYS[i + 1])
end
return 1
)lua";

}  // namespace valet::adapters::redis::scripts
