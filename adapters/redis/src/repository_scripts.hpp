#pragma once

// The repository's Lua scripts for records: create, patch, delete, pipeline status changes and
// the upgrade of jobs stored before the lease and queued indexes. Each runs atomically on the
// server and touches only the keys it is given in KEYS. Scores and times are passed through as
// the strings they arrived as (or were stored as): Lua would print a number of 16 digits as
// 1.8934560001235e+15 and lose microseconds. Comparing them with tonumber() is exact, as a
// double holds every whole number of microseconds until the year 2255.
namespace valet::adapters::redis::scripts {

// Prepended to the scripts that change a job: files the job in the due, lease and queued indexes
// that its stored fields call for and takes it out of the others, so that each index holds
// exactly the jobs it describes (see RedisJobRepository) whatever wrote the fields:
//   due     PENDING with a run_at, by run_at
//   leases  IN_PROGRESS, by lease_expires_at (0 without a lease)
//   queued  PENDING without run_at or previous_job_id, by created_at; SCHEDULED with a
//           scheduled_at, by scheduled_at
inline constexpr const char* kFileJob = R"lua(
local function file_job(job, member, due, leases, queued)
  local f = redis.call('HMGET', job, 'status', 'run_at', 'previous_job_id', 'created_at',
                       'scheduled_at', 'lease_expires_at')
  local status, run_at = f[1], f[2]
  if status == '1' and run_at then
    redis.call('ZADD', due, run_at, member)
  else
    redis.call('ZREM', due, member)
  end
  if status == '3' then
    redis.call('ZADD', leases, f[6] or '0', member)
  else
    redis.call('ZREM', leases, member)
  end
  if status == '1' and not run_at and (f[3] or '') == '' then
    redis.call('ZADD', queued, f[4], member)
  elseif status == '2' and f[5] then
    redis.call('ZADD', queued, f[5], member)
  else
    redis.call('ZREM', queued, member)
  end
end
)lua";

// Creates a pipeline (optional) and its jobs, or nothing if any of their keys exists. Under an
// idempotency key it first looks at the key's holder: one that still exists and whose key expires
// after the new record's created_at is the answer, and nothing is stored; otherwise the records
// are stored and the key taken over in the same step.
// KEYS: seq, jobs, due, leases, queued, jobs:<status 1..6>, pipelines, pipelines:<status 1..6>,
//       [idempotency key, the holder's record as read (the idempotency key when none)],
//       [pipeline], job keys...
// ARGV: has_pipeline (1/0), has_key (1/0), [holder id as read ('' when none), key expires_at,
//       new record's created_at], then per record: id, created_at, status, pair count, field,
//       value, ...
// Returns 1 when stored, 0 when a record key exists, the holder's id when the key is held, -1
// when the key's holder is no longer the one read (read it again).
inline constexpr const char* kCreate = R"lua(
local has_pipeline, has_key = ARGV[1] == '1', ARGV[2] == '1'
local first = has_key and 21 or 19
if has_key then
  local holder = redis.call('HGET', KEYS[19], 'id') or ''
  if holder ~= ARGV[3] then return -1 end
  if holder ~= '' and redis.call('EXISTS', KEYS[20]) == 1 and
      tonumber(redis.call('HGET', KEYS[19], 'expires_at')) > tonumber(ARGV[5]) then
    return holder
  end
end
for i = first, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
local a = has_key and 6 or 3
local new_id = ARGV[a]
local function add(key, all, by_status, is_job)
  local id, created = ARGV[a], ARGV[a + 1]
  local status, count = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  a = a + 4
  local member = string.format('%020d:%s', redis.call('INCR', KEYS[1]), id)
  local command = {'HSET', key, 'member', member}
  for j = a, a + count * 2 - 1 do command[#command + 1] = ARGV[j] end
  a = a + count * 2
  redis.call(unpack(command))
  redis.call('ZADD', KEYS[all], created, member)
  redis.call('ZADD', KEYS[by_status + status], created, member)
  if is_job then file_job(key, member, KEYS[3], KEYS[4], KEYS[5]) end
end
local first_job = first
if has_pipeline then
  add(KEYS[first], 12, 12, false)
  first_job = first + 1
end
for i = first_job, #KEYS do add(KEYS[i], 2, 5, true) end
if has_key then redis.call('HSET', KEYS[19], 'id', new_id, 'expires_at', ARGV[4]) end
return 1
)lua";

// Writes the named fields of a job or pipeline, if it exists.
// KEYS: record. ARGV: field, value, ... Returns 1, or 0 when the record does not exist.
inline constexpr const char* kPatch = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return 1
)lua";

// A pipeline's status change as a compare-and-set; a finished pipeline enters pipelines:finished.
// KEYS: pipeline, <from> index, <to> index, pipelines:finished. ARGV: from, to, time field, at.
// Returns 0 when done, -1 when the pipeline does not exist, else its current status.
inline constexpr const char* kTransitionPipeline = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= ARGV[1] then return tonumber(status) end
local member = redis.call('HGET', KEYS[1], 'member')
local created = redis.call('HGET', KEYS[1], 'created_at')
redis.call('HSET', KEYS[1], 'status', ARGV[2], ARGV[3], ARGV[4])
redis.call('ZREM', KEYS[2], member)
redis.call('ZADD', KEYS[3], created, member)
if tonumber(ARGV[2]) >= 4 then redis.call('ZADD', KEYS[4], ARGV[4], member) end
return 0
)lua";

// Deletes a job, its result and its index entries. Its idempotency key, if any, stays: it no
// longer holds once its job is gone.
// KEYS: job, result, jobs, due, leases, queued, jobs:<status 1..6>, jobs:finished.
// Returns 1, or 0 when it does not exist.
inline constexpr const char* kDeleteJob = R"lua(
local member = redis.call('HGET', KEYS[1], 'member')
if not member then return 0 end
local status = tonumber(redis.call('HGET', KEYS[1], 'status'))
for i = 3, 6 do redis.call('ZREM', KEYS[i], member) end
redis.call('ZREM', KEYS[6 + status], member)
redis.call('ZREM', KEYS[13], member)
redis.call('DEL', KEYS[1], KEYS[2])
return 1
)lua";

// Deletes a pipeline with its jobs, their results and every index entry.
// KEYS: pipeline, pipelines, pipelines:<status 1..6>, jobs, due, leases, queued,
//       jobs:<status 1..6>, pipelines:finished, then job key, result key for each job.
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
redis.call('ZREM', KEYS[19], member)
redis.call('DEL', KEYS[1])
for i = 20, #KEYS, 2 do
  local job_member = redis.call('HGET', KEYS[i], 'member')
  if job_member then
    local job_status = tonumber(redis.call('HGET', KEYS[i], 'status'))
    for j = 9, 12 do redis.call('ZREM', KEYS[j], job_member) end
    redis.call('ZREM', KEYS[12 + job_status], job_member)
  end
  redis.call('DEL', KEYS[i], KEYS[i + 1])
end
return 1
)lua";

// The upgrade of jobs stored before the lease and queued indexes: files each job that still
// exists (with kFileJob), as any script that changes it would. Doing it twice changes nothing.
// KEYS: due, leases, queued, job keys... Returns how many jobs were filed.
inline constexpr const char* kFileJobs = R"lua(
local filed = 0
for i = 4, #KEYS do
  local member = redis.call('HGET', KEYS[i], 'member')
  if member then
    file_job(KEYS[i], member, KEYS[1], KEYS[2], KEYS[3])
    filed = filed + 1
  end
end
return filed
)lua";

// The upgrade to layout 2: files the finished records that exist in jobs:finished or
// pipelines:finished (a job of a pipeline stays out), by completed_at.
// KEYS: the finished index, record keys... Returns how many were filed.
inline constexpr const char* kFileFinished = R"lua(
local filed = 0
for i = 2, #KEYS do
  local f = redis.call('HMGET', KEYS[i], 'status', 'completed_at', 'pipeline_id', 'member')
  if f[1] and tonumber(f[1]) >= 4 and f[2] and (f[3] or '') == '' then
    redis.call('ZADD', KEYS[1], f[2], f[4])
    filed = filed + 1
  end
end
return filed
)lua";

}  // namespace valet::adapters::redis::scripts
