#pragma once

#include "group_service.pb.h"
#include "valet/core/group_service.hpp"
#include "valet/core/requests.hpp"
#include "valet/ports/group.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::grpc {

// Groups to and from valet's group.* messages.

// A create request as the core takes it. kInvalidArgument when a task_params cannot be JSON (see
// ToJobRequest), named as over HTTP ("members[0].job.task_params",
// "members[1].pipeline.jobs[0].task_params", "then.task_params"); everything else, a member with
// neither job nor pipeline included, is checked by the core.
Result<core::GroupRequest> ToGroupRequest(const ::group::CreateGroupRequest& request);

// The reply view of Get, Create and Cancel: the group's derived status, its members (a deleted
// one with status 0 and no entry in statuses), and the then job as it was given.
void ToProto(const core::GroupWithMembers& found, ::group::GetGroupResponse* out);

// The summary List gives: the group as stored, without members, statuses or then.
void ToProto(const Group& group, ::group::GetGroupResponse* out);

}  // namespace valet::adapters::grpc
