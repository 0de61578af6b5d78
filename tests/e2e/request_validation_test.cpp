// Requests valetd must refuse, each with a JSON error body and no side effect.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kUnknownUuid = "3f2b0c4e-1d5a-4e8b-9c7d-6a5b4c3d2e1f";

class RequestValidationTest : public ValetdTest {
 protected:
  // Asserts, for the rest of the test, that no job gets created.
  void SetUp() override {
    ValetdTest::SetUp();
    if (HasFatalFailure()) return;
    jobs_before_ = CountJobs(client());
    ASSERT_GE(jobs_before_, 0);
  }
  void ExpectNoJobCreated() { EXPECT_EQ(CountJobs(client()), jobs_before_); }

  std::string PostJobError(const std::string& body, int status) {
    HttpReply reply = client().PostRaw("/api/jobs", body);
    std::string message = ErrorMessage(reply, status);
    ExpectNoJobCreated();
    return message;
  }

  // A valid job request whose description makes the body `size` bytes long.
  static std::string JobBodyOfSize(std::size_t size) {
    Json job{{"name", "big"}, {"task_name", "noop"}, {"description", ""}};
    std::size_t base = job.dump().size();
    job["description"] = std::string(size > base ? size - base : 0, 'x');
    return job.dump();
  }

 private:
  long jobs_before_ = -1;
};

TEST_F(RequestValidationTest, MissingNameIsNameRequired) {
  EXPECT_EQ(PostJobError(R"({"task_name": "echo"})", 400), "name required");
}

TEST_F(RequestValidationTest, MissingTaskNameIsTaskNameRequired) {
  EXPECT_EQ(PostJobError(R"({"name": "n"})", 400), "task_name required");
}

TEST_F(RequestValidationTest, MissingNameAndTaskNameNamesBoth) {
  EXPECT_EQ(PostJobError("{}", 400), "name, task_name required");
}

TEST_F(RequestValidationTest, EmptyBodyIsAnEmptyRequest) {
  HttpReply reply = client().Send({.method = "POST", .path = "/api/jobs"});

  EXPECT_EQ(ErrorMessage(reply, 400), "name, task_name required");
  ExpectNoJobCreated();
}

TEST_F(RequestValidationTest, UnknownTaskListsTheValidTasks) {
  std::string message = PostJobError(R"({"name": "n", "task_name": "nope"})", 400);

  EXPECT_THAT(message, StartsWith("nope is not a valid task name - valid tasks: ["));
  EXPECT_EQ(message,
            "nope is not a valid task name - valid tasks: [dummytask echo fail noop sleep throw]");
}

TEST_F(RequestValidationTest, MalformedJsonCreatesNoJob) {
  PostJobError(R"({"name": "n", "task_name": "echo")", 400);
}

TEST_F(RequestValidationTest, TrailingGarbageAfterJsonCreatesNoJob) {
  PostJobError(R"({"name": "n", "task_name": "echo"} x)", 400);
}

TEST_F(RequestValidationTest, WrongFieldTypeCreatesNoJob) {
  EXPECT_EQ(PostJobError(R"({"name": "n", "task_name": "echo", "timeout": "10"})", 400),
            "timeout must be an integer");
}

TEST_F(RequestValidationTest, TaskParamsThatAreNotAnObjectCreateNoJob) {
  EXPECT_EQ(PostJobError(R"({"name": "n", "task_name": "echo", "task_params": [1]})", 400),
            "task_params must be a JSON object");
}

TEST_F(RequestValidationTest, NegativeTimeoutCreatesNoJob) {
  EXPECT_EQ(PostJobError(R"({"name": "n", "task_name": "echo", "timeout": -1})", 400),
            "timeout must not be negative");
}

TEST_F(RequestValidationTest, NullBodyCreatesNoJob) { PostJobError("null", 400); }

TEST_F(RequestValidationTest, ArrayBodyCreatesNoJob) {
  PostJobError(R"([{"name": "n", "task_name": "echo"}])", 400);
}

TEST_F(RequestValidationTest, RunAtWithoutTimeZoneCreatesNoJob) {
  std::string message =
      PostJobError(R"({"name": "n", "task_name": "echo", "run_at": "2030-01-01T10:00:00"})", 400);

  EXPECT_THAT(message, HasSubstr("run_at"));
}

TEST_F(RequestValidationTest, XmlBodyIs415) {
  HttpReply reply = client().PostRaw("/api/jobs", "<job><name>n</name></job>", "application/xml");

  EXPECT_THAT(ErrorMessage(reply, 415), HasSubstr("application/xml"));
  ExpectNoJobCreated();
}

TEST_F(RequestValidationTest, FormContentTypeAndNoContentTypeAreReadAsJson) {
  const std::string body = R"({"name": "n", "task_name": "noop"})";

  EXPECT_EQ(client().PostRaw("/api/jobs", body, "application/x-www-form-urlencoded").status, 202);
  EXPECT_EQ(client().PostRaw("/api/jobs", body, "").status, 202);
  EXPECT_EQ(client().PostRaw("/api/jobs", body, "application/json; charset=utf-8").status, 202);
}

TEST_F(RequestValidationTest, BodyOverTheLimitIs413) {
  HttpReply reply = client().PostRaw("/api/jobs", JobBodyOfSize(ValetdConfig{}.max_body_bytes + 1));

  EXPECT_THAT(ErrorMessage(reply, 413), HasSubstr("larger than"));
  ExpectNoJobCreated();
}

TEST_F(RequestValidationTest, ChunkedBodyOverTheLimitIs413) {
  HttpReply reply = client().Send({.method = "POST",
                                   .path = "/api/jobs",
                                   .body = JobBodyOfSize(3 * ValetdConfig{}.max_body_bytes),
                                   .chunked = true});

  EXPECT_THAT(ErrorMessage(reply, 413), HasSubstr("larger than"));
  ExpectNoJobCreated();
}

TEST_F(RequestValidationTest, BodiesUpToTheLimitAreAccepted) {
  std::string body = JobBodyOfSize(ValetdConfig{}.max_body_bytes);
  ASSERT_EQ(body.size(), ValetdConfig{}.max_body_bytes);

  EXPECT_EQ(client().PostRaw("/api/jobs", body).status, 202);
  EXPECT_EQ(
      client().Send({.method = "POST", .path = "/api/jobs", .body = body, .chunked = true}).status,
      202);
}

TEST_F(RequestValidationTest, UnknownRouteIs404) {
  EXPECT_FALSE(ErrorMessage(client().Get("/api/nope"), 404).empty());
  EXPECT_FALSE(ErrorMessage(client().Get("/"), 404).empty());
  EXPECT_FALSE(
      ErrorMessage(client().Get("/api/jobs/" + std::string(kUnknownUuid) + "/x"), 404).empty());
}

TEST_F(RequestValidationTest, WrongMethodIs405) {
  HttpReply reply = client().Send({.method = "PUT", .path = "/api/jobs", .body = "{}"});

  EXPECT_FALSE(ErrorMessage(reply, 405).empty());
  EXPECT_EQ(reply.Header("Allow"), "GET, POST");
  ExpectNoJobCreated();
}

TEST_F(RequestValidationTest, NonUuidJobIdIsNotFound) {
  EXPECT_EQ(ErrorMessage(client().Get("/api/jobs/not-a-uuid"), 404),
            "job with ID: not-a-uuid not found");
  EXPECT_EQ(ErrorMessage(client().Get("/api/jobs/not-a-uuid/results"), 404),
            "job result with ID: not-a-uuid not found");
}

TEST_F(RequestValidationTest, UnknownJobIdIsNotFound) {
  EXPECT_EQ(ErrorMessage(client().Get(std::string("/api/jobs/") + kUnknownUuid), 404),
            std::string("job with ID: ") + kUnknownUuid + " not found");
  EXPECT_EQ(ErrorMessage(client().Delete(std::string("/api/jobs/") + kUnknownUuid), 404),
            std::string("job with ID: ") + kUnknownUuid + " not found");
}

}  // namespace
}  // namespace valet::e2e
