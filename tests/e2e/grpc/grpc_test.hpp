#pragma once

#include <optional>
#include <string>

#include "grpc_client.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {

// valet's status numbers on the wire.
inline constexpr int kPending = 1;
inline constexpr int kScheduled = 2;
inline constexpr int kInProgress = 3;
inline constexpr int kCompleted = 4;
inline constexpr int kFailed = 5;
inline constexpr int kCancelled = 6;

inline constexpr std::size_t kGrpcMaxMessageBytes = 64 * 1024;

// The test settings (ValetdConfig) with gRPC served next to HTTP, and requests limited to
// kGrpcMaxMessageBytes.
ValetdConfig GrpcValetdConfig();

// A suite that shares one valetd serving both HTTP and gRPC (see ValetdTest), with a gRPC
// client per test. A suite that needs other settings starts its server from GrpcValetdConfig().
class GrpcTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() { StartServer(GrpcValetdConfig()); }
  void SetUp() override;

  GrpcClient& grpc() { return *grpc_; }

  // Job/Create; the new job's id, or "" (with a test failure) unless the call succeeded.
  std::string CreateJob(const ::job::CreateJobRequest& request);
  // Job/Get; a test failure unless the call succeeded.
  ::job::GetJobResponse GetJob(const std::string& id);
  // Polls Job/Get (Pipeline/Get) until the status is COMPLETED, FAILED or CANCELLED; on timeout
  // records a test failure and returns the last reply.
  ::job::GetJobResponse WaitForJob(const std::string& id);
  ::pipeline::GetPipelineResponse WaitForPipeline(const std::string& id);
  // Polls Job/Get until the job has `status`; false on timeout.
  bool WaitForJobStatus(const std::string& id, int status);

 private:
  std::optional<GrpcClient> grpc_;
};

}  // namespace valet::e2e
