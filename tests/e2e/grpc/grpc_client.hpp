#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "group_service.grpc.pb.h"
#include "job_service.grpc.pb.h"
#include "jobresult_service.grpc.pb.h"
#include "pipeline_service.grpc.pb.h"
#include "schedule_service.grpc.pb.h"
#include "task_service.grpc.pb.h"
#include "valet/ports/json.hpp"

namespace valet::e2e {

// A gRPC client of one valetd: valet's stubs on one channel, plaintext or TLS. Every call
// carries a deadline of kWaitLimit, so a call that hangs fails its test instead of holding it.
// Stubs are thread-safe; so is this client.
class GrpcClient {
 public:
  explicit GrpcClient(int port);
  // Over TLS to "localhost", trusting only the PEM certificate(s) in `root_certificates`.
  GrpcClient(int port, const std::string& root_certificates);

  ::job::Job::Stub& jobs() { return *jobs_; }
  ::pipeline::Pipeline::Stub& pipelines() { return *pipelines_; }
  ::jobresult::JobResult::Stub& results() { return *results_; }
  ::task::Task::Stub& tasks() { return *tasks_; }
  ::schedule::Schedule::Stub& schedules() { return *schedules_; }
  ::group::Group::Stub& groups() { return *groups_; }
  const std::shared_ptr<::grpc::Channel>& channel() const { return channel_; }

  // One unary call, e.g. Call(&::job::Job::Stub::Get, jobs(), request, &response); with an
  // `idempotency_key`, it is sent as the `idempotency-key` metadata.
  template <typename Stub, typename Request, typename Response>
  ::grpc::Status Call(::grpc::Status (Stub::*method)(::grpc::ClientContext*, const Request&,
                                                     Response*),
                      Stub& stub, const Request& request, Response* response,
                      const std::string& idempotency_key = "") {
    auto context = Context(idempotency_key);
    return (stub.*method)(context.get(), request, response);
  }

  std::unique_ptr<::grpc::ClientContext> Context(const std::string& idempotency_key = "") const;

 private:
  explicit GrpcClient(std::shared_ptr<::grpc::Channel> channel);

  std::shared_ptr<::grpc::Channel> channel_;
  std::unique_ptr<::job::Job::Stub> jobs_;
  std::unique_ptr<::pipeline::Pipeline::Stub> pipelines_;
  std::unique_ptr<::jobresult::JobResult::Stub> results_;
  std::unique_ptr<::task::Task::Stub> tasks_;
  std::unique_ptr<::schedule::Schedule::Stub> schedules_;
  std::unique_ptr<::group::Group::Stub> groups_;
};

// A job request built from JSON-like parts; `params` (a JSON object) becomes task_params through
// protobuf's own JSON reader, so the tests do not share the server's converter.
::job::CreateJobRequest JobRequest(const std::string& name, const std::string& task_name,
                                   const Json& params = nullptr);
// A protobuf message or value as JSON, through protobuf's own JSON writer.
Json ToJson(const google::protobuf::Message& message);

// "INVALID_ARGUMENT: name required" for failure messages.
std::string Describe(const ::grpc::Status& status);

}  // namespace valet::e2e
