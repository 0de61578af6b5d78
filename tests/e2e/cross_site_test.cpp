// Writes that a browser marks as coming from another site are refused (Sec-Fetch-Site, or Origin
// against Host), unless server.http.cors allows that origin; reads and non-browser clients pass.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

const std::string kJob = R"({"name":"csrf","task_name":"noop"})";

HttpReply PostJob(HttpClient& client, std::vector<std::pair<std::string, std::string>> headers) {
  return client.Send(
      {.method = "POST", .path = "/api/jobs", .body = kJob, .headers = std::move(headers)});
}

class CrossSiteTest : public ValetdTest {};

TEST_F(CrossSiteTest, AWriteMarkedCrossSiteIs403AndCreatesNothing) {
  long before = CountJobs(client());
  HttpReply reply =
      PostJob(client(), {{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example.com"}});
  EXPECT_THAT(ErrorMessage(reply, 403), HasSubstr("cross-site request refused: POST /api/jobs from "
                                                  "https://evil.example.com"));
  EXPECT_EQ(CountJobs(client()), before);
}

TEST_F(CrossSiteTest, WritesFromTheSameOriginOrSiteOrNoBrowserPass) {
  for (const char* site : {"same-origin", "same-site", "none"}) {
    EXPECT_EQ(PostJob(client(), {{"Sec-Fetch-Site", site}}).status, 202) << site;
  }
  EXPECT_EQ(PostJob(client(), {}).status, 202);
  std::string host = "127.0.0.1:" + std::to_string(port());
  EXPECT_EQ(PostJob(client(), {{"Origin", "http://" + host}}).status, 202);
}

TEST_F(CrossSiteTest, WithoutSecFetchSiteAnOriginOtherThanTheHostIs403) {
  long before = CountJobs(client());
  for (const std::string& origin : {std::string("https://evil.example.com"), std::string("null"),
                                    "http://127.0.0.1:" + std::to_string(port() + 1)}) {
    HttpReply reply = PostJob(client(), {{"Origin", origin}});
    EXPECT_EQ(reply.status, 403) << origin << ": " << reply.body;
    EXPECT_EQ(reply.json()["code"], 403) << origin;
  }
  EXPECT_EQ(CountJobs(client()), before);
}

TEST_F(CrossSiteTest, EveryWritingMethodIsCheckedButReadsAreNot) {
  std::string id = SubmitJob(client(), Json{{"name", "kept"}, {"task_name", "noop"}});
  WaitForJob(client(), id);
  const std::vector<std::pair<std::string, std::string>> cross = {{"Sec-Fetch-Site", "cross-site"}};
  EXPECT_EQ(client().Send({.method = "DELETE", .path = "/api/jobs/" + id, .headers = cross}).status,
            403);
  EXPECT_EQ(client()
                .Send({.method = "PATCH",
                       .path = "/api/jobs/" + id,
                       .body = R"({"name":"renamed"})",
                       .headers = cross})
                .status,
            403);
  HttpReply read = client().Send({.method = "GET", .path = "/api/jobs/" + id, .headers = cross});
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.json().value("name", ""), "kept");
}

const std::string kAllowed = "https://app.example.com";

class CrossSiteWithCorsTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.cors_origins = {kAllowed};
    StartServer(config);
  }
};

TEST_F(CrossSiteWithCorsTest, AnOriginThatCorsAllowsMayWrite) {
  HttpReply allowed = PostJob(client(), {{"Sec-Fetch-Site", "cross-site"}, {"Origin", kAllowed}});
  EXPECT_EQ(allowed.status, 202) << allowed.body;
  EXPECT_EQ(allowed.Header("Access-Control-Allow-Origin"), kAllowed);
  EXPECT_EQ(PostJob(client(), {{"Origin", kAllowed}}).status, 202);

  HttpReply other =
      PostJob(client(), {{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example.com"}});
  EXPECT_EQ(other.status, 403) << other.body;
}

}  // namespace
}  // namespace valet::e2e
