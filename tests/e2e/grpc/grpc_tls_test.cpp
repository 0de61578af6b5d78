// gRPC over TLS (server.grpc.tls): calls succeed on a trusting TLS channel and fail on a
// plaintext one; a key that does not belong to the certificate stops start-up.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "grpc_test.hpp"
#include "startup_error.hpp"
#include "test_certificate.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

ValetdConfig GrpcTlsConfig(const TestCertificate& certificate, const TestCertificate& key) {
  ValetdConfig config = GrpcValetdConfig();
  config.tls_cert_file = certificate.cert_path();
  config.tls_key_file = key.key_path();
  return config;
}

::grpc::Status CreateAndGet(GrpcClient& client, ::job::GetJobResponse& job) {
  ::job::CreateJobResponse created;
  ::grpc::Status status = client.Call(&::job::Job::Stub::Create, client.jobs(),
                                      JobRequest("over-tls", "dummytask"), &created);
  if (!status.ok()) return status;
  ::job::GetJobRequest get;
  get.set_id(created.id());
  return client.Call(&::job::Job::Stub::Get, client.jobs(), get, &job);
}

TEST(GrpcTlsTest, ServesCallsOverTlsAndNoneInPlaintext) {
  const TestCertificate& certificate = TestCertificate::Shared();
  std::unique_ptr<ValetdServer> server =
      ValetdServer::Start(GrpcTlsConfig(certificate, certificate));
  EXPECT_THAT(server->Log(), HasSubstr("grpc: listening address=127.0.0.1:" +
                                       std::to_string(server->grpc_port()) + " tls=on"));
  {
    GrpcClient secure(server->grpc_port(), certificate.cert_pem());
    ::job::GetJobResponse job;
    ::grpc::Status status = CreateAndGet(secure, job);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(job.name(), "over-tls");

    GrpcClient plain(server->grpc_port());
    status = CreateAndGet(plain, job);
    EXPECT_EQ(status.error_code(), ::grpc::StatusCode::UNAVAILABLE) << Describe(status);

    TestCertificate other;
    GrpcClient untrusting(server->grpc_port(), other.cert_pem());
    status = CreateAndGet(untrusting, job);
    EXPECT_EQ(status.error_code(), ::grpc::StatusCode::UNAVAILABLE) << Describe(status);
  }
  // Only the trusted call created a job.
  HttpClient http(server->port(), certificate.cert_path());
  EXPECT_EQ(http.Get("/api/jobs").json()["jobs"].size(), 1u);
  std::optional<ExitStatus> stopped = server->Stop();
  ASSERT_TRUE(stopped.has_value());
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << stopped->ToString();
}

TEST(GrpcTlsTest, AKeyThatIsNotTheCertificatesStopsStartUp) {
  TestCertificate other;
  ValetdConfig config = GrpcTlsConfig(TestCertificate::Shared(), other);
  config.protocols = {"grpc", "http"};  // gRPC first, so that its check is the one reported
  config.port = FreePort();
  config.grpc_port = FreePort();

  std::string error = StartUpError(config.ToYaml());
  EXPECT_THAT(error, HasSubstr("server.grpc.tls: the key in " + other.key_path() +
                               " does not belong to the certificate in " +
                               TestCertificate::Shared().cert_path()));
}

}  // namespace
}  // namespace valet::e2e
