#include "request_decoding.hpp"

#include <limits>

namespace valet::adapters::http {

namespace {

// Deeper documents are refused: writing them back out (a job's task_params in every reply)
// recurses once per level.
constexpr int kMaxDepth = 64;

Result<Json> ParseObject(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  bool too_deep = false;
  Json json = Json::parse(
      body,
      [&too_deep](int depth, Json::parse_event_t, Json&) {
        too_deep |= depth > kMaxDepth;
        return !too_deep;
      },
      /*allow_exceptions=*/false);
  if (too_deep) {
    return Status::InvalidArgument("request body is nested more than " + std::to_string(kMaxDepth) +
                                   " levels deep");
  }
  if (json.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
  if (!json.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  return json;
}

// Reads an optional field; null counts as absent. Wrong types are an error naming the field.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  Status String(const char* key, std::string& out) const {
    const Json* value = Find(key);
    if (!value) return Status::Ok();
    if (!value->is_string()) return WrongType(key, "a string");
    out = value->get<std::string>();
    return Status::Ok();
  }

  Status OptionalString(const char* key, std::optional<std::string>& out) const {
    const Json* value = Find(key);
    if (!value) return Status::Ok();
    if (!value->is_string()) return WrongType(key, "a string");
    out = value->get<std::string>();
    return Status::Ok();
  }

  Status Integer(const char* key, int& out) const {
    const Json* value = Find(key);
    if (!value) return Status::Ok();
    if (!value->is_number_integer()) return WrongType(key, "an integer");
    if (value->is_number_unsigned()
            ? value->get<std::uint64_t>() >
                  static_cast<std::uint64_t>(std::numeric_limits<int>::max())
            : (value->get<std::int64_t>() > std::numeric_limits<int>::max() ||
               value->get<std::int64_t>() < std::numeric_limits<int>::min())) {
      return Status::InvalidArgument(prefix_ + key + " is out of range");
    }
    out = value->get<int>();
    return Status::Ok();
  }

  Status OptionalInteger(const char* key, std::optional<int>& out) const {
    if (!Find(key)) return Status::Ok();
    int value = 0;
    if (Status read = Integer(key, value); !read.ok()) return read;
    out = value;
    return Status::Ok();
  }

  Status Bool(const char* key, bool& out) const {
    const Json* value = Find(key);
    if (!value) return Status::Ok();
    if (!value->is_boolean()) return WrongType(key, "a boolean");
    out = value->get<bool>();
    return Status::Ok();
  }

  Status Object(const char* key, Json& out) const {
    const Json* value = Find(key);
    if (!value) return Status::Ok();
    if (!value->is_object()) return WrongType(key, "a JSON object");
    out = *value;
    return Status::Ok();
  }

 private:
  const Json* Find(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  Status WrongType(const char* key, const char* expected) const {
    return Status::InvalidArgument(prefix_ + key + " must be " + expected);
  }

  const Json& object_;
  std::string prefix_;
};

Result<core::JobRequest> ReadJob(const Json& object, const std::string& prefix) {
  FieldReader fields(object, prefix);
  core::JobRequest request;
  for (Status status :
       {fields.String("name", request.name), fields.String("description", request.description),
        fields.String("task_name", request.task_name),
        fields.Object("task_params", request.task_params),
        fields.Integer("timeout", request.timeout), fields.OptionalString("run_at", request.run_at),
        fields.OptionalString("run_in", request.run_in),
        fields.Bool("use_previous_results", request.use_previous_results),
        fields.OptionalInteger("max_retries", request.max_retries)}) {
    if (!status.ok()) return status;
  }
  return request;
}

}  // namespace

Result<core::JobRequest> DecodeJobRequest(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  return ReadJob(*json, "");
}

Result<core::PipelineRequest> DecodePipelineRequest(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  FieldReader fields(*json, "");
  core::PipelineRequest request;
  for (Status status :
       {fields.String("name", request.name), fields.String("description", request.description),
        fields.OptionalString("run_at", request.run_at),
        fields.OptionalString("run_in", request.run_in)}) {
    if (!status.ok()) return status;
  }
  auto jobs = json->find("jobs");
  if (jobs == json->end() || jobs->is_null()) return request;
  if (!jobs->is_array()) return Status::InvalidArgument("jobs must be an array");
  for (std::size_t i = 0; i < jobs->size(); ++i) {
    std::string prefix = "jobs[" + std::to_string(i) + "].";
    if (!(*jobs)[i].is_object()) {
      return Status::InvalidArgument("jobs[" + std::to_string(i) + "] must be a JSON object");
    }
    auto job = ReadJob((*jobs)[i], prefix);
    if (!job.ok()) return job.status();
    request.jobs.push_back(std::move(*job));
  }
  return request;
}

Result<JobInfoPatch> DecodePatch(const std::string& body) {
  auto json = ParseObject(body);
  if (!json.ok()) return json.status();
  FieldReader fields(*json, "");
  JobInfoPatch patch;
  for (Status status : {fields.OptionalString("name", patch.name),
                        fields.OptionalString("description", patch.description)}) {
    if (!status.ok()) return status;
  }
  if (patch.name && patch.name->empty()) return Status::InvalidArgument("name must not be empty");
  return patch;
}

}  // namespace valet::adapters::http
