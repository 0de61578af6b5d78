// The Idempotency-Key header on POST /api/jobs and /api/pipelines.

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "api_helpers.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class IdempotencyTest : public ValetdTest {
 protected:
  HttpReply PostWithKey(const std::string& path, const Json& body, const std::string& key) {
    return client().Send(HttpRequestSpec{.method = "POST",
                                         .path = path,
                                         .body = body.dump(),
                                         .headers = {{"Idempotency-Key", key}}});
  }
  static std::string UniqueKey(const std::string& name) {
    return name + "-" + std::to_string(NowUtc().time_since_epoch().count());
  }
};

TEST_F(IdempotencyTest, ARepeatedJobSubmitReturnsTheFirstJob) {
  std::string key = UniqueKey("job");
  HttpReply first = PostWithKey("/api/jobs", Json{{"name", "first"}, {"task_name", "noop"}}, key);
  ASSERT_EQ(first.status, 202) << first.body;
  HttpReply repeat = PostWithKey("/api/jobs", Json{{"name", "first"}, {"task_name", "noop"}}, key);
  ASSERT_EQ(repeat.status, 202) << repeat.body;
  EXPECT_EQ(repeat.json().value("id", ""), first.json().value("id", ""));
  HttpReply other =
      PostWithKey("/api/jobs", Json{{"name", "other"}, {"task_name", "noop"}}, key + "-2");
  EXPECT_NE(other.json().value("id", ""), first.json().value("id", ""));
}

TEST_F(IdempotencyTest, ConcurrentIdenticalSubmitsMakeOneJob) {
  constexpr int kClients = 100;
  std::string key = UniqueKey("race");
  long before = CountJobs(client());
  std::vector<std::string> ids(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      HttpClient http(port());
      HttpReply reply =
          http.Send(HttpRequestSpec{.method = "POST",
                                    .path = "/api/jobs",
                                    .body = Json{{"name", "once"}, {"task_name", "noop"}}.dump(),
                                    .headers = {{"Idempotency-Key", key}}});
      ids[i] = reply.status == 202 ? reply.json().value("id", "") : "status " + reply.body;
    });
  }
  for (auto& thread : clients) thread.join();
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), 1u) << ::testing::PrintToString(distinct);
  EXPECT_TRUE(IsUuid(*distinct.begin()));
  EXPECT_EQ(CountJobs(client()), before + 1);
}

TEST_F(IdempotencyTest, ARepeatedPipelineSubmitReturnsTheFirstPipeline) {
  std::string key = UniqueKey("pipeline");
  Json request{
      {"name", "p"},
      {"jobs", {{{"name", "a"}, {"task_name", "noop"}}, {{"name", "b"}, {"task_name", "noop"}}}}};
  HttpReply first = PostWithKey("/api/pipelines", request, key);
  ASSERT_EQ(first.status, 202) << first.body;
  HttpReply repeat = PostWithKey("/api/pipelines", request, key);
  ASSERT_EQ(repeat.status, 202) << repeat.body;
  EXPECT_EQ(repeat.json().value("id", ""), first.json().value("id", ""));
  EXPECT_EQ(repeat.json()["jobs"].size(), 2u);
  EXPECT_EQ(repeat.json()["jobs"][0].value("id", ""), first.json()["jobs"][0].value("id", ""));
}

TEST_F(IdempotencyTest, AKeyTooLongOrNotPrintableIsA400) {
  long before = CountJobs(client());
  HttpReply too_long =
      PostWithKey("/api/jobs", Json{{"name", "x"}, {"task_name", "noop"}}, std::string(256, 'k'));
  EXPECT_EQ(ErrorMessage(too_long, 400),
            "Idempotency-Key must be 1 to 255 printable ASCII characters");
  HttpReply control =
      PostWithKey("/api/jobs", Json{{"name", "x"}, {"task_name", "noop"}}, "tab\there");
  EXPECT_EQ(control.status, 400) << control.body;
  EXPECT_EQ(CountJobs(client()), before);
}

}  // namespace
}  // namespace valet::e2e
