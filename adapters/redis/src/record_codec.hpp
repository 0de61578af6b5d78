#pragma once

#include <string>
#include <vector>

#include "redis_connection.hpp"
#include "valet/ports/group.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/job_result.hpp"
#include "valet/ports/pipeline.hpp"
#include "valet/ports/schedule.hpp"

namespace valet::adapters::redis {

// How jobs, pipelines, results, schedules and groups are laid out as Redis hash fields. Times are
// microseconds since the epoch in decimal; an absent optional value is an absent field, and a field
// a record was stored without (one older than the field) reads back as its default.

// The job's fields as field, value, ... (without `member`, which the create script adds).
std::vector<std::string> JobFields(const Job& job);
std::vector<std::string> PipelineFields(const Pipeline& pipeline);
std::vector<std::string> ResultFields(const JobResult& result);
// Every field of a schedule, and the ones UpdateSchedule() writes (all but id, origin, created_at
// and revision). A schedule without next_run_at or last_runs has no such field.
std::vector<std::string> ScheduleFields(const Schedule& schedule);
std::vector<std::string> UpdatedScheduleFields(const Schedule& schedule);
// Every field of a group, and the ones UpdateGroup() writes (all but id, definition, created_at
// and revision). A group without completed_at has no such field.
std::vector<std::string> GroupFields(const Group& group);
std::vector<std::string> UpdatedGroupFields(const Group& group);

// From an HGETALL reply; false when the reply holds no record (the key does not exist) or a
// field is malformed.
bool DecodeJob(const redisReply* fields, Job& job);
bool DecodePipeline(const redisReply* fields, Pipeline& pipeline);
bool DecodeResult(const redisReply* fields, const std::string& job_id, JobResult& result);
bool DecodeSchedule(const redisReply* fields, Schedule& schedule);
bool DecodeGroup(const redisReply* fields, Group& group);

std::string Micros(TimePoint time);
// The id part of an index member "<seq>:<id>".
std::string IdOfMember(std::string_view member);

}  // namespace valet::adapters::redis
