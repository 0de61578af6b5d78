// Cross-origin requests from browsers (server.http.cors): off by default, an allow-list when set.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "startup_error.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

const std::string kAllowed = "https://app.example.com";

HttpReply Preflight(HttpClient& client, const std::string& origin) {
  return client.Send(
      {.method = "OPTIONS",
       .path = "/api/jobs",
       .content_type = "",
       .headers = {{"Origin", origin},
                   {"Access-Control-Request-Method", "POST"},
                   {"Access-Control-Request-Headers", "authorization,content-type"}}});
}

HttpReply GetFrom(HttpClient& client, const std::string& origin) {
  return client.Send({.method = "GET", .path = "/api/jobs", .headers = {{"Origin", origin}}});
}

class CorsOffTest : public ValetdTest {};

TEST_F(CorsOffTest, NoOriginIsAllowedByDefault) {
  HttpReply reply = GetFrom(client(), kAllowed);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("Access-Control-Allow-Origin"), "");
  HttpReply preflight = Preflight(client(), kAllowed);
  EXPECT_EQ(preflight.status, 405) << preflight.body;
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"), "");
}

class CorsTest : public ValetdTest {
 protected:
  // With an API token too: a preflight carries no credentials and must still be answered.
  static void SetUpTestSuite() {
    ::setenv("VALET_API_TOKEN", "cors-test-token-0123456789", 1);
    ValetdConfig config;
    config.cors_origins = {kAllowed};
    StartServer(config);
    ::unsetenv("VALET_API_TOKEN");
  }
};

TEST_F(CorsTest, APreflightFromAnAllowedOriginIsAnsweredWithoutAToken) {
  HttpReply reply = Preflight(client(), kAllowed);

  EXPECT_EQ(reply.status, 204) << reply.body;
  EXPECT_EQ(reply.Header("Access-Control-Allow-Origin"), kAllowed);
  EXPECT_THAT(reply.Header("Access-Control-Allow-Methods"), HasSubstr("POST"));
  EXPECT_THAT(reply.Header("Access-Control-Allow-Headers"), HasSubstr("Authorization"));
  EXPECT_THAT(reply.Header("Access-Control-Allow-Headers"), HasSubstr("Idempotency-Key"));
  EXPECT_EQ(reply.Header("Access-Control-Max-Age"), "600");
}

TEST_F(CorsTest, APreflightFromAnyOtherOriginIs403) {
  for (const std::string& origin :
       {std::string("https://evil.example.com"), std::string("http://app.example.com"),
        kAllowed + ".evil.com"}) {
    HttpReply reply = Preflight(client(), origin);
    EXPECT_EQ(reply.status, 403) << origin << ": " << reply.body;
    EXPECT_EQ(reply.Header("Access-Control-Allow-Origin"), "") << origin;
    EXPECT_EQ(reply.json()["code"], 403);
  }
}

TEST_F(CorsTest, RepliesNameOnlyAnAllowedOrigin) {
  HttpReply allowed = GetFrom(client(), kAllowed);
  EXPECT_EQ(allowed.status, 401);  // still needs its token
  EXPECT_EQ(allowed.Header("Access-Control-Allow-Origin"), kAllowed);
  EXPECT_EQ(allowed.Header("Vary"), "Origin");
  EXPECT_EQ(allowed.Header("Access-Control-Expose-Headers"), "X-Request-Id");

  HttpReply other = GetFrom(client(), "https://evil.example.com");
  EXPECT_EQ(other.Header("Access-Control-Allow-Origin"), "");
}

TEST(CorsSettingsTest, BadOriginsAndUnknownKeysStopStartUp) {
  ValetdConfig config;
  config.port = FreePort();
  config.cors_origins = {"app.example.com"};
  EXPECT_THAT(StartUpError(config.ToYaml()),
              HasSubstr("server.http.cors.allowed_origins: \"app.example.com\" is not an origin"));
  config.cors_origins = {"https://app.example.com/path"};
  EXPECT_THAT(StartUpError(config.ToYaml()), HasSubstr("is not an origin"));

  config.cors_origins = {};
  std::string yaml = config.ToYaml();
  yaml.replace(yaml.find("    max_body_bytes:"), 4, "    max_bodybytes: 1\n    ");
  EXPECT_THAT(StartUpError(yaml),
              HasSubstr("server.http.max_bodybytes: unknown key - valid keys: host, port"));
}

}  // namespace
}  // namespace valet::e2e
