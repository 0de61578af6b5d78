#include "grpc_group_service.hpp"

#include <string>

#include "call_support.hpp"
#include "group_messages.hpp"
#include "valet/core/group_service.hpp"
#include "valet/core/request_checks.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::grpc {

namespace {

// An id that is not a UUID names no group; the repositories are not asked about it, as over HTTP.
::grpc::Status UnknownGroup(const std::string& id) { return ToGrpcStatus(core::GroupNotFound(id)); }

::grpc::Status Reply(const Result<core::GroupWithMembers>& group,
                     ::group::GetGroupResponse* response) {
  if (!group.ok()) return ToGrpcStatus(group.status());
  ToProto(*group, response);
  return ::grpc::Status::OK;
}

}  // namespace

::grpc::Status GrpcGroupService::Create(::grpc::ServerContext* call,
                                        const ::group::CreateGroupRequest* request,
                                        ::group::GetGroupResponse* response) {
  return Serve(api_, *call, "/group.Group/Create", [&]() -> ::grpc::Status {
    auto group_request = ToGroupRequest(*request);
    if (!group_request.ok()) return ToGrpcStatus(group_request.status());
    return Reply(api_.groups.Create(*group_request), response);
  });
}

::grpc::Status GrpcGroupService::Get(::grpc::ServerContext* call,
                                     const ::group::GetGroupRequest* request,
                                     ::group::GetGroupResponse* response) {
  return Serve(api_, *call, "/group.Group/Get", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownGroup(request->id());
    return Reply(api_.groups.Get(request->id()), response);
  });
}

::grpc::Status GrpcGroupService::List(::grpc::ServerContext* call,
                                      const ::group::ListGroupsRequest* request,
                                      ::group::ListGroupsResponse* response) {
  return Serve(api_, *call, "/group.Group/List", [&]() -> ::grpc::Status {
    auto filter = core::ParseStatusFilter(request->status());
    if (!filter.ok()) return ToGrpcStatus(filter.status());
    auto groups = api_.groups.List(*filter);
    if (!groups.ok()) return ToGrpcStatus(groups.status());
    for (const Group& group : *groups) ToProto(group, response->add_groups());
    return ::grpc::Status::OK;
  });
}

::grpc::Status GrpcGroupService::Cancel(::grpc::ServerContext* call,
                                        const ::group::CancelGroupRequest* request,
                                        ::group::GetGroupResponse* response) {
  return Serve(api_, *call, "/group.Group/Cancel", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownGroup(request->id());
    // Its one conflict, a group that has settled, is FAILED_PRECONDITION.
    return Reply(api_.groups.Cancel(request->id()), response);
  });
}

::grpc::Status GrpcGroupService::Delete(::grpc::ServerContext* call,
                                        const ::group::DeleteGroupRequest* request,
                                        ::group::DeleteGroupResponse*) {
  return Serve(api_, *call, "/group.Group/Delete", [&]() -> ::grpc::Status {
    if (!core::IsUuid(request->id())) return UnknownGroup(request->id());
    return ToGrpcStatus(api_.groups.Delete(request->id()));
  });
}

}  // namespace valet::adapters::grpc
