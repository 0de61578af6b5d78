#include "valet/core/schedule_json.hpp"

#include "valet/core/json_fields.hpp"
#include "valet/core/request_json.hpp"

namespace valet::core {

namespace {

Status ReadTarget(const FieldReader& fields, std::optional<JobRequest>& job,
                  std::optional<PipelineRequest>& pipeline) {
  Json object;
  if (Status read = fields.Object("job", object); !read.ok()) return read;
  if (!object.is_null()) {
    auto request = JobRequestFromJson(object, fields.prefix() + "job.");
    if (!request.ok()) return request.status();
    job = std::move(*request);
  }
  object = nullptr;
  if (Status read = fields.Object("pipeline", object); !read.ok()) return read;
  if (!object.is_null()) {
    auto request = PipelineRequestFromJson(object, fields.prefix() + "pipeline.");
    if (!request.ok()) return request.status();
    pipeline = std::move(*request);
  }
  return Status::Ok();
}

}  // namespace

Result<ScheduleRequest> ScheduleRequestFromJson(const Json& object, const std::string& prefix) {
  FieldReader fields(object, prefix);
  ScheduleRequest request;
  ScheduleTimingSpec& timing = request.timing;
  for (Status status :
       {fields.String("name", request.name), fields.String("description", request.description),
        fields.String("cron", timing.cron), fields.String("every", timing.every),
        fields.String("time_zone", timing.time_zone), fields.String("missed", timing.missed),
        fields.Bool("paused", request.paused)}) {
    if (!status.ok()) return status;
  }
  if (Status target = ReadTarget(fields, request.job, request.pipeline); !target.ok()) {
    return target;
  }
  return request;
}

Result<SchedulePatch> SchedulePatchFromJson(const Json& object) {
  FieldReader fields(object, "");
  SchedulePatch patch;
  for (Status status :
       {fields.OptionalString("name", patch.name),
        fields.OptionalString("description", patch.description),
        fields.OptionalString("cron", patch.cron), fields.OptionalString("every", patch.every),
        fields.OptionalString("time_zone", patch.time_zone),
        fields.OptionalString("missed", patch.missed),
        fields.OptionalBool("paused", patch.paused)}) {
    if (!status.ok()) return status;
  }
  if (Status target = ReadTarget(fields, patch.job, patch.pipeline); !target.ok()) return target;
  return patch;
}

Json TimingToJson(const ScheduleTimingSpec& spec) {
  Json json = Json::object();
  if (!spec.cron.empty()) json["cron"] = spec.cron;
  if (!spec.every.empty()) json["every"] = spec.every;
  if (!spec.time_zone.empty()) json["time_zone"] = spec.time_zone;
  json["missed"] = spec.missed.empty() ? "skip" : spec.missed;
  return json;
}

ScheduleTimingSpec TimingFromJson(const Json& timing) {
  ScheduleTimingSpec spec;
  auto text = [&timing](const char* key) {
    auto it = timing.find(key);
    return it != timing.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!timing.is_object()) return spec;
  spec.cron = text("cron");
  spec.every = text("every");
  spec.time_zone = text("time_zone");
  spec.missed = text("missed");
  return spec;
}

}  // namespace valet::core
