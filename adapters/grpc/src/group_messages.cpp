#include "group_messages.hpp"

#include <cstdint>
#include <string>

#include "job_messages.hpp"
#include "pipeline_messages.hpp"
#include "proto_values.hpp"
#include "valet/core/request_json.hpp"

namespace valet::adapters::grpc {

namespace {

Result<core::GroupMemberRequest> ToMemberRequest(const ::group::GroupMemberRequest& request,
                                                 const std::string& prefix) {
  core::GroupMemberRequest member;
  if (request.has_job()) {
    auto job = ToJobRequest(request.job(), prefix + "job.task_params");
    if (!job.ok()) return job.status();
    member.job = std::move(*job);
  } else if (request.has_pipeline()) {
    auto pipeline = ToPipelineRequest(request.pipeline(), prefix + "pipeline.");
    if (!pipeline.ok()) return pipeline.status();
    member.pipeline = std::move(*pipeline);
  }
  return member;
}

void PutMember(const core::GroupMember& member, ::group::GetGroupResponse* out) {
  ::group::GroupMember* view = out->add_members();
  const std::string& id = member.job_id.empty() ? member.pipeline_id : member.job_id;
  if (member.job_id.empty()) {
    view->set_pipeline_id(id);
  } else {
    view->set_job_id(id);
  }
  view->set_name(member.name);
  if (member.missing) {
    view->set_deleted(true);
    return;
  }
  auto status = static_cast<std::int32_t>(member.status);
  view->set_status(status);
  (*out->mutable_statuses())[id] = status;
}

}  // namespace

Result<core::GroupRequest> ToGroupRequest(const ::group::CreateGroupRequest& request) {
  core::GroupRequest group;
  group.name = request.name();
  group.description = request.description();
  for (int i = 0; i < request.members_size(); ++i) {
    auto member = ToMemberRequest(request.members(i), "members[" + std::to_string(i) + "].");
    if (!member.ok()) return member.status();
    group.members.push_back(std::move(*member));
  }
  if (request.has_then()) {
    auto then = ToJobRequest(request.then(), "then.task_params");
    if (!then.ok()) return then.status();
    group.then = std::move(*then);
  }
  return group;
}

void ToProto(const core::GroupWithMembers& found, ::group::GetGroupResponse* out) {
  ToProto(found.group, out);
  out->set_status(static_cast<std::int32_t>(found.status));
  for (const core::GroupMember& member : found.members) PutMember(member, out);
  // The stored definition holds the then job in the request shape it was given in; one that no
  // longer reads is left unset, so that the reply still shows the rest of the group.
  const Json& definition = found.group.definition;
  if (auto then = definition.find("then"); then != definition.end()) {
    if (auto request = core::JobRequestFromJson(*then); request.ok()) {
      ToProto(*request, out->mutable_then());
    }
  }
  out->set_then_job_id(found.then_job_id);
}

void ToProto(const Group& group, ::group::GetGroupResponse* out) {
  out->set_id(group.id);
  out->set_name(group.name);
  out->set_description(group.description);
  out->set_status(static_cast<std::int32_t>(group.status));
  out->set_failure_reason(group.failure_reason);
  TimeToTimestamp(group.created_at, out->mutable_created_at());
  if (group.completed_at) TimeToTimestamp(*group.completed_at, out->mutable_completed_at());
}

}  // namespace valet::adapters::grpc
