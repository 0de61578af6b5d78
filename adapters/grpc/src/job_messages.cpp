#include "job_messages.hpp"

#include <chrono>
#include <cstdint>

#include "proto_values.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/request_checks.hpp"
#include "valet/core/time_format.hpp"

namespace valet::adapters::grpc {

namespace {

// Attempts are the core's JSON records; a field of another type reads as absent.
std::string StringAt(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void PutAttempts(const Json& attempts, google::protobuf::RepeatedPtrField<::job::Attempt>* out) {
  if (!attempts.is_array()) return;
  for (const Json& attempt : attempts) {
    if (!attempt.is_object()) continue;
    ::job::Attempt* view = out->Add();
    auto number = attempt.find("attempt");
    if (number != attempt.end() && number->is_number_integer()) {
      view->set_attempt(number->get<std::int32_t>());
    }
    if (auto started = core::ParseTime(StringAt(attempt, "started_at"))) {
      TimeToTimestamp(*started, view->mutable_started_at());
    }
    if (auto ended = core::ParseTime(StringAt(attempt, "ended_at"))) {
      TimeToTimestamp(*ended, view->mutable_ended_at());
    }
    view->set_error(StringAt(attempt, "error"));
    auto lost = attempt.find("lost");
    view->set_lost(lost != attempt.end() && lost->is_boolean() && lost->get<bool>());
  }
}

// CreateJobResponse and GetJobResponse carry the same fields under the same numbers.
template <typename Response>
void FillJob(const Job& job, Response* out) {
  out->set_id(job.id);
  out->set_name(job.name);
  out->set_task_name(job.task_name);
  if (job.task_params.is_object() && !job.task_params.empty()) {
    JsonToStruct(job.task_params, out->mutable_task_params());
  }
  out->set_timeout(job.timeout);
  out->set_description(job.description);
  out->set_status(static_cast<std::int32_t>(job.status));
  out->set_failure_reason(job.failure_reason);
  // mutable_x() marks a message field as set: only for the times there are.
  if (job.run_at) TimeToTimestamp(*job.run_at, out->mutable_run_at());
  if (job.scheduled_at) TimeToTimestamp(*job.scheduled_at, out->mutable_scheduled_at());
  TimeToTimestamp(job.created_at, out->mutable_created_at());
  if (job.started_at) TimeToTimestamp(*job.started_at, out->mutable_started_at());
  if (job.completed_at) TimeToTimestamp(*job.completed_at, out->mutable_completed_at());
  if (job.started_at && job.completed_at && IsTerminal(job.status)) {
    auto elapsed = *job.completed_at - *job.started_at;
    out->set_duration(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  }
  out->set_pipeline_id(job.pipeline_id);
  out->set_next_job_id(job.next_job_id);
  out->set_use_previous_results(job.use_previous_results);
  out->set_max_retries(job.max_retries);
  out->set_attempt(job.attempt);
  PutAttempts(job.attempts, out->mutable_attempts());
  if (job.progress.is_object()) {
    ::job::Progress* progress = out->mutable_progress();
    progress->set_fraction(job.progress.value("fraction", 0.0));
    progress->set_message(job.progress.value("message", ""));
  }
  out->mutable_labels()->insert(job.labels.begin(), job.labels.end());
}

}  // namespace

Result<core::JobRequest> ToJobRequest(const ::job::CreateJobRequest& request,
                                      const std::string& field) {
  core::JobRequest job;
  job.name = request.name();
  job.description = request.description();
  job.task_name = request.task_name();
  job.timeout = request.timeout();
  if (request.has_task_params()) {
    auto params = JsonFromStruct(request.task_params(), field);
    if (!params.ok()) return params.status();
    job.task_params = std::move(*params);
  }
  if (!request.run_at().empty()) job.run_at = request.run_at();
  if (!request.run_in().empty()) job.run_in = request.run_in();
  job.use_previous_results = request.use_previous_results();
  if (request.has_max_retries()) job.max_retries = request.max_retries();
  job.labels.insert(request.labels().begin(), request.labels().end());
  return job;
}

Result<JobQuery> ToJobQuery(const ::job::GetJobsRequest& request) {
  JobQuery query;
  auto status = core::ParseStatusFilter(request.status());
  if (!status.ok()) return status.status();
  query.status = *status;
  query.task_name = request.task_name();
  query.labels.insert(request.labels().begin(), request.labels().end());
  auto after = core::ParseTimeFilter("created_after", request.created_after());
  if (!after.ok()) return after.status();
  auto before = core::ParseTimeFilter("created_before", request.created_before());
  if (!before.ok()) return before.status();
  query.created_after = *after;
  query.created_before = *before;
  if (request.limit() < 0) return core::BadLimit();
  query.limit = static_cast<std::size_t>(request.limit());
  query.cursor = request.cursor();
  return query;
}

void ToProto(const Job& job, ::job::CreateJobResponse* out) { FillJob(job, out); }

void ToProto(const Job& job, ::job::GetJobResponse* out) { FillJob(job, out); }

void ToProto(const core::JobRequest& request, ::job::CreateJobRequest* out) {
  out->set_name(request.name);
  out->set_description(request.description);
  out->set_task_name(request.task_name);
  out->set_timeout(request.timeout);
  if (request.task_params.is_object()) {
    JsonToStruct(request.task_params, out->mutable_task_params());
  }
  if (request.run_at) out->set_run_at(*request.run_at);
  if (request.run_in) out->set_run_in(*request.run_in);
  out->set_use_previous_results(request.use_previous_results);
  if (request.max_retries) out->set_max_retries(*request.max_retries);
  out->mutable_labels()->insert(request.labels.begin(), request.labels.end());
}

}  // namespace valet::adapters::grpc
