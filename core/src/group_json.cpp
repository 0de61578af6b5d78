#include "valet/core/group_json.hpp"

#include "valet/core/json_fields.hpp"
#include "valet/core/request_json.hpp"

namespace valet::core {

namespace {

Result<GroupMemberRequest> MemberFromJson(const Json& object, const std::string& prefix) {
  if (!object.is_object()) {
    return Status::InvalidArgument(prefix.substr(0, prefix.size() - 1) + " must be a JSON object");
  }
  FieldReader fields(object, prefix);
  GroupMemberRequest member;
  Json inner;
  if (Status read = fields.Object("job", inner); !read.ok()) return read;
  if (!inner.is_null()) {
    auto job = JobRequestFromJson(inner, prefix + "job.");
    if (!job.ok()) return job.status();
    member.job = std::move(*job);
  }
  inner = nullptr;
  if (Status read = fields.Object("pipeline", inner); !read.ok()) return read;
  if (!inner.is_null()) {
    auto pipeline = PipelineRequestFromJson(inner, prefix + "pipeline.");
    if (!pipeline.ok()) return pipeline.status();
    member.pipeline = std::move(*pipeline);
  }
  return member;
}

}  // namespace

Result<GroupRequest> GroupRequestFromJson(const Json& object) {
  FieldReader fields(object, "");
  GroupRequest request;
  for (Status status :
       {fields.String("name", request.name), fields.String("description", request.description)}) {
    if (!status.ok()) return status;
  }
  if (const Json* members = fields.Find("members")) {
    if (!members->is_array()) return Status::InvalidArgument("members must be an array");
    for (std::size_t i = 0; i < members->size(); ++i) {
      auto member = MemberFromJson((*members)[i], "members[" + std::to_string(i) + "].");
      if (!member.ok()) return member.status();
      request.members.push_back(std::move(*member));
    }
  }
  Json then;
  if (Status read = fields.Object("then", then); !read.ok()) return read;
  if (!then.is_null()) {
    auto job = JobRequestFromJson(then, "then.");
    if (!job.ok()) return job.status();
    request.then = std::move(*job);
  }
  return request;
}

Json DefinitionToJson(const GroupRequest& request) {
  Json members = Json::array();
  for (const GroupMemberRequest& member : request.members) {
    members.push_back(member.job ? Json{{"job", ToJson(*member.job)}}
                                 : Json{{"pipeline", ToJson(*member.pipeline)}});
  }
  Json definition = {{"members", std::move(members)}};
  if (request.then) definition["then"] = ToJson(*request.then);
  return definition;
}

}  // namespace valet::core
