#pragma once

#include <string>
#include <vector>

#include "redis_connection.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/job_result.hpp"
#include "valet/ports/pipeline.hpp"

namespace valet::adapters::redis {

// How jobs, pipelines and results are laid out as Redis hash fields. Times are microseconds since
// the epoch in decimal; an absent optional value is an absent field, and a field a record was
// stored without (one older than the field) reads back as its default.

// The job's fields as field, value, ... (without `member`, which the create script adds).
std::vector<std::string> JobFields(const Job& job);
std::vector<std::string> PipelineFields(const Pipeline& pipeline);
std::vector<std::string> ResultFields(const JobResult& result);

// From an HGETALL reply; false when the reply holds no record (the key does not exist) or a
// field is malformed.
bool DecodeJob(const redisReply* fields, Job& job);
bool DecodePipeline(const redisReply* fields, Pipeline& pipeline);
bool DecodeResult(const redisReply* fields, const std::string& job_id, JobResult& result);

std::string Micros(TimePoint time);
// The id part of an index member "<seq>:<id>".
std::string IdOfMember(std::string_view member);

}  // namespace valet::adapters::redis
