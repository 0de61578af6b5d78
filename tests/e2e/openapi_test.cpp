// GET /api/openapi.json against the real routes: every route is documented, and every documented
// route and method answers (not "no route", not 405).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

// Every route the HTTP API serves, as the router knows them (README's table).
const std::set<std::string> kRoutes = {"GET /api/jobs",
                                       "POST /api/jobs",
                                       "POST /api/jobs/batch",
                                       "GET /api/jobs/{id}",
                                       "PATCH /api/jobs/{id}",
                                       "DELETE /api/jobs/{id}",
                                       "POST /api/jobs/{id}/cancel",
                                       "POST /api/jobs/{id}/retry",
                                       "GET /api/jobs/{id}/results",
                                       "DELETE /api/jobs/{id}/results",
                                       "GET /api/pipelines",
                                       "POST /api/pipelines",
                                       "GET /api/pipelines/{id}",
                                       "PATCH /api/pipelines/{id}",
                                       "DELETE /api/pipelines/{id}",
                                       "POST /api/pipelines/{id}/cancel",
                                       "GET /api/pipelines/{id}/jobs",
                                       "GET /api/groups",
                                       "POST /api/groups",
                                       "GET /api/groups/{id}",
                                       "DELETE /api/groups/{id}",
                                       "POST /api/groups/{id}/cancel",
                                       "GET /api/schedules",
                                       "POST /api/schedules",
                                       "GET /api/schedules/{id}",
                                       "PATCH /api/schedules/{id}",
                                       "DELETE /api/schedules/{id}",
                                       "POST /api/schedules/{id}/pause",
                                       "POST /api/schedules/{id}/resume",
                                       "GET /api/tasks",
                                       "GET /api/stats",
                                       "GET /api/status",
                                       "GET /api/openapi.json",
                                       "GET /healthz",
                                       "GET /readyz",
                                       "GET /metrics"};

const std::set<std::string> kMethods = {"get", "post", "patch", "delete", "put"};

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

class OpenApiTest : public ValetdTest {
 protected:
  Json Document() {
    HttpReply reply = client().Get("/api/openapi.json");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.Header("Content-Type"), "application/json");
    return reply.json();
  }

  std::set<std::string> Documented() {
    std::set<std::string> routes;
    Json document = Document();
    for (const auto& [path, operations] : document["paths"].items()) {
      for (const auto& [method, operation] : operations.items()) {
        if (kMethods.count(method)) routes.insert(Upper(method) + " " + path);
      }
    }
    return routes;
  }
};

TEST_F(OpenApiTest, IsAnOpenApi3DocumentWithTheServersVersion) {
  Json document = Document();
  ASSERT_TRUE(document.is_object());
  EXPECT_EQ(document["openapi"].get<std::string>().substr(0, 2), "3.");
  Json status = client().Get("/api/status").json();
  EXPECT_EQ("v" + document["info"]["version"].get<std::string>(), status["version"]);
  EXPECT_TRUE(document["components"]["schemas"].contains("Job"));
}

TEST_F(OpenApiTest, DocumentsEveryRoute) {
  std::set<std::string> documented = Documented();
  for (const std::string& route : kRoutes) EXPECT_TRUE(documented.count(route)) << route;
}

TEST_F(OpenApiTest, EveryDocumentedRouteAnswers) {
  std::set<std::string> documented = Documented();
  ASSERT_FALSE(documented.empty());
  const std::string id = "00000000-0000-4000-8000-000000000000";
  for (const std::string& route : documented) {
    EXPECT_TRUE(kRoutes.count(route)) << route << " is documented but not a known route";
    std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, id);
    HttpRequestSpec request{.method = method, .path = path};
    if (method == "POST" || method == "PATCH") request.body = "{}";
    HttpReply reply = client().Send(request);
    EXPECT_NE(reply.status, 405) << route << ": " << reply.body;
    EXPECT_NE(reply.status, 0) << route << ": " << reply.body;
    EXPECT_THAT(reply.body, ::testing::Not(::testing::HasSubstr("no route for"))) << route;
  }
}

}  // namespace
}  // namespace valet::e2e
