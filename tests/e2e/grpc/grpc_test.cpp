#include "grpc_test.hpp"

#include <chrono>
#include <thread>

namespace valet::e2e {

namespace {

constexpr std::chrono::milliseconds kPollInterval{20};

bool IsFinished(int status) {
  return status == kCompleted || status == kFailed || status == kCancelled;
}

// Calls `get` until `done` says so or kWaitLimit passes; returns whether it was done.
template <typename Get, typename Done>
bool PollUntil(Get get, Done done) {
  auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (true) {
    if (done(get())) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace

ValetdConfig GrpcValetdConfig() {
  ValetdConfig config;
  config.protocols = {"http", "grpc"};
  config.grpc_max_message_bytes = kGrpcMaxMessageBytes;
  return config;
}

void GrpcTest::SetUp() {
  ValetdTest::SetUp();
  if (HasFatalFailure()) return;
  grpc_.emplace(server().grpc_port());
}

std::string GrpcTest::CreateJob(const ::job::CreateJobRequest& request) {
  ::job::CreateJobResponse response;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Create, grpc().jobs(), request, &response);
  if (!status.ok()) {
    ADD_FAILURE() << "Job/Create " << request.ShortDebugString() << " gave " << Describe(status);
    return "";
  }
  return response.id();
}

::job::GetJobResponse GrpcTest::GetJob(const std::string& id) {
  ::job::GetJobRequest request;
  request.set_id(id);
  ::job::GetJobResponse response;
  ::grpc::Status status = grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), request, &response);
  EXPECT_TRUE(status.ok()) << "Job/Get " << id << " gave " << Describe(status);
  return response;
}

::job::GetJobResponse GrpcTest::WaitForJob(const std::string& id) {
  ::job::GetJobResponse last;
  bool done = PollUntil(
      [&] {
        ::job::GetJobRequest request;
        request.set_id(id);
        last.Clear();
        return grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), request, &last);
      },
      [&](const ::grpc::Status& status) { return status.ok() && IsFinished(last.status()); });
  if (!done) ADD_FAILURE() << "job " << id << " did not finish; last: " << last.ShortDebugString();
  return last;
}

::pipeline::GetPipelineResponse GrpcTest::WaitForPipeline(const std::string& id) {
  ::pipeline::GetPipelineResponse last;
  bool done = PollUntil(
      [&] {
        ::pipeline::GetPipelineRequest request;
        request.set_id(id);
        last.Clear();
        return grpc().Call(&::pipeline::Pipeline::Stub::Get, grpc().pipelines(), request, &last);
      },
      [&](const ::grpc::Status& status) { return status.ok() && IsFinished(last.status()); });
  if (!done) {
    ADD_FAILURE() << "pipeline " << id << " did not finish; last: " << last.ShortDebugString();
  }
  return last;
}

bool GrpcTest::WaitForJobStatus(const std::string& id, int wanted) {
  ::job::GetJobResponse last;
  return PollUntil(
      [&] {
        ::job::GetJobRequest request;
        request.set_id(id);
        last.Clear();
        return grpc().Call(&::job::Job::Stub::Get, grpc().jobs(), request, &last);
      },
      [&](const ::grpc::Status& status) { return status.ok() && last.status() == wanted; });
}

}  // namespace valet::e2e
