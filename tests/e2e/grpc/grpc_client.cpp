#include "grpc_client.hpp"

#include <google/protobuf/util/json_util.h>

#include <stdexcept>

#include "api_helpers.hpp"

namespace valet::e2e {

GrpcClient::GrpcClient(int port)
    : GrpcClient(::grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       ::grpc::InsecureChannelCredentials())) {}

GrpcClient::GrpcClient(int port, const std::string& root_certificates)
    : GrpcClient(::grpc::CreateChannel("localhost:" + std::to_string(port),
                                       ::grpc::SslCredentials(::grpc::SslCredentialsOptions{
                                           .pem_root_certs = root_certificates}))) {}

GrpcClient::GrpcClient(std::shared_ptr<::grpc::Channel> channel)
    : channel_(std::move(channel)),
      jobs_(::job::Job::NewStub(channel_)),
      pipelines_(::pipeline::Pipeline::NewStub(channel_)),
      results_(::jobresult::JobResult::NewStub(channel_)),
      tasks_(::task::Task::NewStub(channel_)),
      schedules_(::schedule::Schedule::NewStub(channel_)),
      groups_(::group::Group::NewStub(channel_)) {}

std::unique_ptr<::grpc::ClientContext> GrpcClient::Context(
    const std::string& idempotency_key) const {
  auto context = std::make_unique<::grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kWaitLimit);
  if (!idempotency_key.empty()) context->AddMetadata("idempotency-key", idempotency_key);
  return context;
}

::job::CreateJobRequest JobRequest(const std::string& name, const std::string& task_name,
                                   const Json& params) {
  ::job::CreateJobRequest request;
  request.set_name(name);
  request.set_task_name(task_name);
  if (!params.is_null()) {
    auto parsed =
        google::protobuf::util::JsonStringToMessage(params.dump(), request.mutable_task_params());
    if (!parsed.ok()) throw std::invalid_argument("not a Struct: " + params.dump());
  }
  return request;
}

Json ToJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  auto written = google::protobuf::util::MessageToJsonString(message, &text, options);
  if (!written.ok()) return Json::value_t::discarded;
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string Describe(const ::grpc::Status& status) {
  return std::to_string(static_cast<int>(status.error_code())) + ": " + status.error_message();
}

}  // namespace valet::e2e
