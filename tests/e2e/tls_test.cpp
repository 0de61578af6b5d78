// HTTPS (server.http.tls): the API over TLS, nothing in plaintext, and bad files stopping
// start-up with a one-line reason.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "raw_connection.hpp"
#include "startup_error.hpp"
#include "test_certificate.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

ValetdConfig TlsConfig() {
  ValetdConfig config;
  config.tls_cert_file = TestCertificate::Shared().cert_path();
  config.tls_key_file = TestCertificate::Shared().key_path();
  return config;
}

class HttpsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = ValetdServer::Start(TlsConfig()); }
  static void TearDownTestSuite() {
    if (!server_) return;
    std::optional<ExitStatus> stopped = server_->Stop();
    EXPECT_TRUE(stopped && stopped->exited && stopped->code == 0);
    server_.reset();
  }
  void TearDown() override {
    if (HasFailure()) std::printf("---- valetd log ----\n%s\n", server_->Log().c_str());
  }

  static HttpClient Https() {
    return HttpClient(server_->port(), TestCertificate::Shared().cert_path());
  }

  static inline std::unique_ptr<ValetdServer> server_;
};

TEST_F(HttpsTest, ServesTheApiOverTls) {
  HttpClient client = Https();
  std::string id = SubmitJob(
      client,
      {{"name", "over-tls"}, {"task_name", "echo"}, {"task_params", {{"secret", "ünïcode"}}}});
  Json job = WaitForJob(client, id);

  EXPECT_EQ(job["status"], "COMPLETED") << job.dump();
  HttpReply result = client.Get("/api/jobs/" + id + "/results");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.json()["metadata"]["params"]["secret"], "ünïcode") << result.body;
  EXPECT_THAT(server_->Log(), HasSubstr("tls=on"));
}

TEST_F(HttpsTest, PlaintextHttpGetsNoAnswer) {
  HttpClient plain(server_->port());
  HttpReply reply = plain.Get("/api/status");

  EXPECT_EQ(reply.status, 0) << reply.body;
}

TEST_F(HttpsTest, AClientThatDoesNotTrustTheCertificateIsRefused) {
  TestCertificate other;  // trusts another certificate, not the server's
  HttpClient untrusting(server_->port(), other.cert_path());
  HttpReply reply = untrusting.Get("/api/status");

  EXPECT_EQ(reply.status, 0);
  EXPECT_THAT(reply.body, HasSubstr("transport error"));
}

TEST_F(HttpsTest, AConnectionThatNeverHandshakesDoesNotHoldUpOthers) {
  // A client that connects and sends nothing: the handshake waits on its own connection thread.
  RawConnection silent(server_->port());
  ASSERT_TRUE(silent.connected());

  HttpClient client = Https();
  EXPECT_EQ(client.Get("/api/status").status, 200);
}

std::string TlsYaml(const std::string& cert_file, const std::string& key_file) {
  ValetdConfig config = TlsConfig();
  config.port = FreePort();
  config.tls_cert_file = cert_file;
  config.tls_key_file = key_file;
  return config.ToYaml();
}

TEST(HttpsSettingsTest, BadFilesStopStartUpWithTheReason) {
  const TestCertificate& certificate = TestCertificate::Shared();

  EXPECT_THAT(StartUpError(TlsYaml("/nonexistent/cert.pem", certificate.key_path())),
              HasSubstr("server.http.tls.cert_file: cannot read /nonexistent/cert.pem: No such "
                        "file or directory"));
  EXPECT_THAT(StartUpError(TlsYaml(certificate.cert_path(), "")),
              HasSubstr("server.http.tls needs both cert_file and key_file"));
  // The certificate where the key should be.
  EXPECT_THAT(StartUpError(TlsYaml(certificate.cert_path(), certificate.cert_path())),
              HasSubstr("server.http.tls: cannot load"));

  std::string yaml = TlsConfig().ToYaml();
  yaml.replace(yaml.find("      key_file:"), 15, "      keyfile:");
  EXPECT_THAT(StartUpError(yaml), HasSubstr("server.http.tls.keyfile: unknown key - valid keys: "
                                            "cert_file, key_file"));
}

}  // namespace
}  // namespace valet::e2e
