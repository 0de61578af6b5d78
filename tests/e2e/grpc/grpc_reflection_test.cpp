// Server reflection: what grpcurl and other generic clients use to discover valet's API.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <set>

#include "grpc_test.hpp"
#include "server_reflection.grpc.pb.h"

namespace valet::e2e {
namespace {

namespace reflection = ::grpc::reflection::v1alpha;

class GrpcReflectionTest : public GrpcTest {
 protected:
  // One request on the reflection stream and its answer.
  ::grpc::Status Ask(const reflection::ServerReflectionRequest& request,
                     reflection::ServerReflectionResponse* response) {
    auto stub = reflection::ServerReflection::NewStub(grpc().channel());
    auto context = grpc().Context();
    auto stream = stub->ServerReflectionInfo(context.get());
    bool answered = stream->Write(request) && stream->Read(response);
    stream->WritesDone();
    ::grpc::Status status = stream->Finish();
    if (status.ok() && !answered) return {::grpc::StatusCode::UNKNOWN, "no answer"};
    return status;
  }
};

TEST_F(GrpcReflectionTest, ListsValetsServices) {
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  reflection::ServerReflectionResponse response;
  ::grpc::Status status = Ask(request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_TRUE(response.has_list_services_response()) << response.ShortDebugString();
  std::set<std::string> services;
  for (const auto& service : response.list_services_response().service()) {
    services.insert(service.name());
  }
  for (const char* expected : {"job.Job", "pipeline.Pipeline", "jobresult.JobResult", "task.Task",
                               "schedule.Schedule", "group.Group"}) {
    EXPECT_TRUE(services.count(expected))
        << expected << " missing from " << ::testing::PrintToString(services);
  }
}

TEST_F(GrpcReflectionTest, DescribesTheServicesAsTheProtosDeclareThem) {
  for (const google::protobuf::FileDescriptor* compiled :
       {::job::CreateJobRequest::descriptor()->file(),
        ::pipeline::CreatePipelineRequest::descriptor()->file(),
        ::jobresult::GetJobResultRequest::descriptor()->file(),
        ::task::GetTasksRequest::descriptor()->file(),
        ::schedule::GetScheduleRequest::descriptor()->file(),
        ::group::GetGroupRequest::descriptor()->file()}) {
    ASSERT_EQ(compiled->service_count(), 1);
    std::string service = compiled->service(0)->full_name();
    reflection::ServerReflectionRequest request;
    request.set_file_containing_symbol(service);
    reflection::ServerReflectionResponse response;
    ::grpc::Status status = Ask(request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    ASSERT_TRUE(response.has_file_descriptor_response()) << response.ShortDebugString();

    google::protobuf::FileDescriptorProto expected;
    compiled->CopyTo(&expected);
    bool found = false;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto served;
      ASSERT_TRUE(served.ParseFromString(bytes));
      if (served.name() != expected.name()) continue;
      found = true;
      EXPECT_EQ(served.DebugString(), expected.DebugString());
    }
    EXPECT_TRUE(found) << service << " is not described in " << expected.name();
  }
}

}  // namespace
}  // namespace valet::e2e
