#pragma once

#include "group_service.grpc.pb.h"
#include "valet/core/adapter_registry.hpp"

namespace valet::adapters::grpc {

// group.Group over the core's GroupService, the twin of /api/groups.
class GrpcGroupService final : public ::group::Group::Service {
 public:
  explicit GrpcGroupService(core::ApiContext& api) : api_(api) {}

  ::grpc::Status Create(::grpc::ServerContext* call, const ::group::CreateGroupRequest* request,
                        ::group::GetGroupResponse* response) override;
  ::grpc::Status Get(::grpc::ServerContext* call, const ::group::GetGroupRequest* request,
                     ::group::GetGroupResponse* response) override;
  ::grpc::Status List(::grpc::ServerContext* call, const ::group::ListGroupsRequest* request,
                      ::group::ListGroupsResponse* response) override;
  ::grpc::Status Cancel(::grpc::ServerContext* call, const ::group::CancelGroupRequest* request,
                        ::group::GetGroupResponse* response) override;
  ::grpc::Status Delete(::grpc::ServerContext* call, const ::group::DeleteGroupRequest* request,
                        ::group::DeleteGroupResponse* response) override;

 private:
  core::ApiContext& api_;
};

}  // namespace valet::adapters::grpc
