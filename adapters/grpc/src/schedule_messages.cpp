#include "schedule_messages.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "job_messages.hpp"
#include "pipeline_messages.hpp"
#include "proto_values.hpp"
#include "valet/core/request_json.hpp"
#include "valet/core/schedule_json.hpp"
#include "valet/core/time_format.hpp"

namespace valet::adapters::grpc {

namespace {

// A stored run is the core's JSON record; a field of another type reads as absent.
std::string StringAt(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void PutRuns(const Json& runs, google::protobuf::RepeatedPtrField<::schedule::ScheduleRun>* out) {
  if (!runs.is_array()) return;
  for (const Json& run : runs) {
    if (!run.is_object()) continue;
    ::schedule::ScheduleRun* view = out->Add();
    if (auto tick = core::ParseTime(StringAt(run, "tick"))) {
      TimeToTimestamp(*tick, view->mutable_tick());
    }
    if (auto submitted = core::ParseTime(StringAt(run, "submitted_at"))) {
      TimeToTimestamp(*submitted, view->mutable_submitted_at());
    }
    view->set_job_id(StringAt(run, "job_id"));
    view->set_pipeline_id(StringAt(run, "pipeline_id"));
    view->set_error(StringAt(run, "error"));
    auto missed = run.find("missed");
    if (missed != run.end() && missed->is_number_integer()) {
      view->set_missed(missed->get<std::int32_t>());
    }
  }
}

// The stored target back as the request it was made from. One that no longer reads is left
// unset: the reply still shows the rest of the schedule.
void PutTarget(const Json& target, ::schedule::GetScheduleResponse* out) {
  if (!target.is_object()) return;
  if (auto job = target.find("job"); job != target.end()) {
    if (auto request = core::JobRequestFromJson(*job); request.ok()) {
      ToProto(*request, out->mutable_job());
    }
  } else if (auto pipeline = target.find("pipeline"); pipeline != target.end()) {
    if (auto request = core::PipelineRequestFromJson(*pipeline); request.ok()) {
      ToProto(*request, out->mutable_pipeline());
    }
  }
}

// Create and Update carry the target as the same oneof; "job." and "pipeline." prefix the field
// names as HTTP's request body does.
template <typename Request>
Status ReadTarget(const Request& request, std::optional<core::JobRequest>& job,
                  std::optional<core::PipelineRequest>& pipeline) {
  if (request.has_job()) {
    auto read = ToJobRequest(request.job(), "job.task_params");
    if (!read.ok()) return read.status();
    job = std::move(*read);
  } else if (request.has_pipeline()) {
    auto read = ToPipelineRequest(request.pipeline(), "pipeline.");
    if (!read.ok()) return read.status();
    pipeline = std::move(*read);
  }
  return Status::Ok();
}

}  // namespace

Result<core::ScheduleRequest> ToScheduleRequest(const ::schedule::CreateScheduleRequest& request) {
  core::ScheduleRequest schedule;
  schedule.name = request.name();
  schedule.description = request.description();
  schedule.timing.cron = request.cron();
  schedule.timing.every = request.every();
  schedule.timing.time_zone = request.time_zone();
  schedule.timing.missed = request.missed();
  schedule.paused = request.paused();
  if (Status target = ReadTarget(request, schedule.job, schedule.pipeline); !target.ok()) {
    return target;
  }
  return schedule;
}

Result<core::SchedulePatch> ToSchedulePatch(const ::schedule::UpdateScheduleRequest& request) {
  core::SchedulePatch patch;
  if (request.has_name()) patch.name = request.name();
  if (request.has_description()) patch.description = request.description();
  if (request.has_cron()) patch.cron = request.cron();
  if (request.has_every()) patch.every = request.every();
  if (request.has_time_zone()) patch.time_zone = request.time_zone();
  if (request.has_missed()) patch.missed = request.missed();
  if (request.has_paused()) patch.paused = request.paused();
  if (Status target = ReadTarget(request, patch.job, patch.pipeline); !target.ok()) return target;
  return patch;
}

void ToProto(const Schedule& schedule, ::schedule::GetScheduleResponse* out) {
  out->set_id(schedule.id);
  out->set_name(schedule.name);
  out->set_description(schedule.description);
  core::ScheduleTimingSpec timing = core::TimingFromJson(schedule.timing);
  out->set_cron(timing.cron);
  out->set_every(timing.every);
  out->set_time_zone(timing.time_zone);
  out->set_missed(timing.missed);
  PutTarget(schedule.target, out);
  out->set_paused(schedule.paused);
  if (schedule.next_run_at) TimeToTimestamp(*schedule.next_run_at, out->mutable_next_run_at());
  PutRuns(schedule.last_runs, out->mutable_last_runs());
  out->set_origin(schedule.origin);
  TimeToTimestamp(schedule.created_at, out->mutable_created_at());
  TimeToTimestamp(schedule.updated_at, out->mutable_updated_at());
}

}  // namespace valet::adapters::grpc
