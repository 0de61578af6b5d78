// API tokens over HTTP: who may read, who may write, and what stays open without a token.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

const std::string kFullToken = "full-token-0123456789abcdef";
const std::string kOtherFullToken = "rotated-token-0123456789";
const std::string kReadToken = "read-token-0123456789abcdef";

HttpReply Call(HttpClient& client, const std::string& method, const std::string& path,
               const std::string& authorization, std::optional<std::string> body = std::nullopt) {
  HttpRequestSpec request{.method = method, .path = path, .body = std::move(body)};
  if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
  return client.Send(request);
}

const std::string kJob = R"({"name":"e","task_name":"echo"})";

class AuthTest : public ValetdTest {
 protected:
  // valetd reads its tokens at start-up, from the environment it inherits.
  static void SetUpTestSuite() {
    ::setenv("VALET_API_TOKEN", (kFullToken + ", " + kOtherFullToken).c_str(), 1);
    ::setenv("VALET_API_READ_TOKEN", kReadToken.c_str(), 1);
    StartServer(ValetdConfig{});
    ::unsetenv("VALET_API_TOKEN");
    ::unsetenv("VALET_API_READ_TOKEN");
  }

  int JobCount() {
    HttpReply list = Call(client(), "GET", "/api/jobs", "Bearer " + kFullToken);
    EXPECT_EQ(list.status, 200) << list.body;
    return static_cast<int>(list.json()["jobs"].size());
  }
};

TEST_F(AuthTest, ARequestWithoutATokenIs401WithABearerChallenge) {
  HttpReply reply = client().Get("/api/jobs");

  EXPECT_EQ(reply.status, 401) << reply.body;
  EXPECT_EQ(reply.Header("WWW-Authenticate"), "Bearer realm=\"valet\"");
  Json body = reply.json();
  EXPECT_EQ(body["error"], true);
  EXPECT_EQ(body["code"], 401);
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("Authorization: Bearer"));
}

TEST_F(AuthTest, AWrongTokenIs401AndCreatesNothing) {
  int before = JobCount();
  for (const std::string& authorization :
       {"Bearer " + kFullToken + "x", "Bearer " + kFullToken.substr(0, 10), "Basic " + kFullToken,
        kFullToken, std::string("Bearer ")}) {
    HttpReply reply = Call(client(), "POST", "/api/jobs", authorization, kJob);
    EXPECT_EQ(reply.status, 401) << authorization << ": " << reply.body;
  }
  EXPECT_EQ(JobCount(), before);
}

TEST_F(AuthTest, EveryFullTokenMayWriteWhateverTheSchemeCase) {
  int before = JobCount();
  for (const std::string& authorization :
       {"Bearer " + kFullToken, "bearer " + kOtherFullToken, "BEARER " + kFullToken}) {
    HttpReply reply = Call(client(), "POST", "/api/jobs", authorization, kJob);
    EXPECT_EQ(reply.status, 202) << authorization << ": " << reply.body;
  }
  EXPECT_EQ(JobCount(), before + 3);
}

TEST_F(AuthTest, AReadOnlyTokenReadsButAnyWriteIs403) {
  std::string read = "Bearer " + kReadToken;
  HttpReply created = Call(client(), "POST", "/api/jobs", "Bearer " + kFullToken, kJob);
  ASSERT_EQ(created.status, 202) << created.body;
  std::string id = created.json()["id"];
  int before = JobCount();

  EXPECT_EQ(Call(client(), "GET", "/api/jobs", read).status, 200);
  EXPECT_EQ(Call(client(), "GET", "/api/jobs/" + id, read).status, 200);
  EXPECT_EQ(Call(client(), "GET", "/api/tasks", read).status, 200);
  HttpReply write = Call(client(), "POST", "/api/jobs", read, kJob);
  EXPECT_EQ(write.status, 403) << write.body;
  EXPECT_EQ(write.json()["code"], 403);
  EXPECT_EQ(Call(client(), "DELETE", "/api/jobs/" + id, read).status, 403);
  EXPECT_EQ(Call(client(), "PATCH", "/api/jobs/" + id, read, R"({"name":"x"})").status, 403);
  EXPECT_EQ(Call(client(), "POST", "/api/jobs/" + id + "/cancel", read).status, 403);

  EXPECT_EQ(JobCount(), before);
  HttpReply job = Call(client(), "GET", "/api/jobs/" + id, read);
  EXPECT_EQ(job.json()["name"], "e") << job.body;
}

TEST_F(AuthTest, StatusAndProbesNeedNoTokenAndTellNothingSensitive) {
  HttpReply status = client().Get("/api/status");
  ASSERT_EQ(status.status, 200) << status.body;
  Json body = status.json();
  EXPECT_EQ(body.size(), 4u) << status.body;  // job_queue_healthy, storage_healthy, time, version
  EXPECT_THAT(status.body, ::testing::Not(HasSubstr(kFullToken)));

  HttpReply live = client().Get("/healthz");
  EXPECT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(live.json(), (Json{{"status", "ok"}}));
  HttpReply ready = client().Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()["ready"], true);
}

TEST_F(AuthTest, TheAccessLogNeverShowsAToken) {
  EXPECT_EQ(Call(client(), "GET", "/api/jobs", "Bearer " + kFullToken).status, 200);
  EXPECT_EQ(Call(client(), "GET", "/api/jobs", "Bearer " + kReadToken).status, 200);

  std::string log = server().Log();
  EXPECT_THAT(log, HasSubstr("path=/api/jobs"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(kFullToken)));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(kReadToken)));
}

// Without tokens the API is open, so it may listen only where nobody else can reach it.
class UnauthenticatedBindTest : public ::testing::Test {};

TEST_F(UnauthenticatedBindTest, ANonLoopbackAddressWithoutATokenStopsStartUp) {
  ValetdConfig config;
  config.port = FreePort();
  config.host = "0.0.0.0";
  TempFile file(".yaml");
  file.Write(config.ToYaml());

  ValetdRun run = RunValetd({"--config", file.path()});

  ASSERT_TRUE(run.exit.has_value());
  EXPECT_TRUE(run.exit->exited && run.exit->code == 2) << run.exit->ToString();
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("server.http.host"));
  EXPECT_THAT(run.err, HasSubstr("VALET_API_TOKEN"));
  EXPECT_THAT(run.err, HasSubstr("allow_unauthenticated"));
}

TEST_F(UnauthenticatedBindTest, AllowUnauthenticatedServesANonLoopbackAddressOpenly) {
  ValetdConfig config;
  config.host = "0.0.0.0";
  config.allow_unauthenticated = true;
  auto server = ValetdServer::Start(config);
  HttpClient client(server->port());

  EXPECT_EQ(client.Get("/api/jobs").status, 200);
  auto stopped = server->Stop();
  ASSERT_TRUE(stopped.has_value());
  EXPECT_TRUE(stopped->exited && stopped->code == 0) << stopped->ToString();
}

TEST_F(UnauthenticatedBindTest, ATokenTooShortToBeSafeStopsStartUp) {
  ValetdConfig config;
  config.port = FreePort();
  TempFile file(".yaml");
  file.Write(config.ToYaml());
  ::setenv("VALET_API_TOKEN", "short", 1);
  ValetdRun run = RunValetd({"--config", file.path()});
  ::unsetenv("VALET_API_TOKEN");

  ASSERT_TRUE(run.exit.has_value());
  EXPECT_TRUE(run.exit->exited && run.exit->code == 2) << run.exit->ToString();
  EXPECT_THAT(run.err, HasSubstr("VALET_API_TOKEN: every token must be at least 16 characters"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("short")));
}

}  // namespace
}  // namespace valet::e2e
