// The dashboard's files under /ui: served from the binary, open without a token, with a strict
// Content-Security-Policy, the right types and revalidation by ETag.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const char* const kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const std::string kToken = "dashboard-files-token-0123456789";

class DashboardFilesTest : public ValetdTest {
 protected:
  // With a token: the page is open, the API is not.
  static void SetUpTestSuite() {
    ::setenv("VALET_API_TOKEN", kToken.c_str(), 1);
    StartServer(ValetdConfig{});
    ::unsetenv("VALET_API_TOKEN");
  }
};

TEST_F(DashboardFilesTest, ThePageIsServedOpenWithAStrictPolicy) {
  HttpReply page = client().Get("/ui/");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("Content-Security-Policy"), kPolicy);
  EXPECT_EQ(page.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.Header("Cache-Control"), "no-cache");
  EXPECT_THAT(page.Header("ETag"), StartsWith("\""));
  EXPECT_THAT(page.body, HasSubstr(R"(<script type="module" src="app.js"></script>)"));
  // No inline script: every <script> names its file.
  std::regex script("<script[^>]*>");
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), script);
       it != std::sregex_iterator(); ++it) {
    EXPECT_THAT(it->str(), HasSubstr("src=")) << it->str();
  }
  EXPECT_EQ(client().Get("/api/jobs").status, 401);
}

TEST_F(DashboardFilesTest, ScriptsAndStylesHaveTheirTypes) {
  for (const auto& [path, type] : std::vector<std::pair<std::string, std::string>>{
           {"/ui/app.js", "text/javascript; charset=utf-8"},
           {"/ui/pages/jobs.js", "text/javascript; charset=utf-8"},
           {"/ui/style.css", "text/css; charset=utf-8"},
           {"/ui/index.html", "text/html; charset=utf-8"}}) {
    HttpReply reply = client().Get(path);
    EXPECT_EQ(reply.status, 200) << path;
    EXPECT_EQ(reply.Header("Content-Type"), type) << path;
    EXPECT_EQ(reply.Header("Content-Security-Policy"), kPolicy) << path;
    EXPECT_FALSE(reply.body.empty()) << path;
  }
}

TEST_F(DashboardFilesTest, ThePageNeverWritesHtmlFromData) {
  for (const char* path : {"/ui/app.js", "/ui/dom.js", "/ui/pages/jobs.js", "/ui/pages/job.js",
                           "/ui/pages/overview.js", "/ui/pages/pipelines.js",
                           "/ui/pages/schedules.js", "/ui/pages/submit.js", "/ui/chart.js"}) {
    std::string body = client().Get(path).body;
    ASSERT_FALSE(body.empty()) << path;
    EXPECT_EQ(body.find("innerHTML"), std::string::npos) << path;
    EXPECT_EQ(body.find("outerHTML"), std::string::npos) << path;
    EXPECT_EQ(body.find("insertAdjacentHTML"), std::string::npos) << path;
    EXPECT_EQ(body.find("document.write"), std::string::npos) << path;
    EXPECT_EQ(body.find("eval("), std::string::npos) << path;
  }
}

TEST_F(DashboardFilesTest, AnUnchangedFileIsA304) {
  HttpReply first = client().Get("/ui/app.js");
  std::string etag = first.Header("ETag");
  ASSERT_FALSE(etag.empty());
  HttpReply again =
      client().Send({.method = "GET", .path = "/ui/app.js", .headers = {{"If-None-Match", etag}}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("ETag"), etag);
  HttpReply changed = client().Send(
      {.method = "GET", .path = "/ui/app.js", .headers = {{"If-None-Match", "\"other\""}}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, first.body);
}

TEST_F(DashboardFilesTest, UiRedirectsToThePageAndOtherPathsAreRefused) {
  HttpReply redirect = client().Get("/ui");
  EXPECT_EQ(redirect.status, 308);
  EXPECT_EQ(redirect.Header("Location"), "ui/");

  EXPECT_EQ(ErrorMessage(client().Get("/ui/nope.js"), 404), "no dashboard file /ui/nope.js");
  EXPECT_EQ(client().Get("/ui/../api/jobs").status, 404);
  HttpReply post = client().Send({.method = "POST", .path = "/ui/", .body = "{}"});
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET");
}

}  // namespace
}  // namespace valet::e2e
