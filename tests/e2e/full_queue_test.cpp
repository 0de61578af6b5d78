// A full job queue refuses work with 503 and stores nothing of what it refused.

#include <gtest/gtest.h>

#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

constexpr int kMaxAttempts = 20;

class FullQueueTest : public ValetdTest {
 protected:
  // A server of its own for each test, since each one fills the queue and counts the jobs. One
  // worker and room for one waiting job: the third sleeper in a row cannot be queued.
  static void SetUpTestSuite() {}
  void SetUp() override {
    ValetdConfig config;
    config.workers = 1;
    config.queue_capacity = 1;
    StartServer(config);
    ValetdTest::SetUp();
    if (HasFatalFailure()) return;
  }
  void TearDown() override {
    ValetdTest::TearDown();
    StopServer();
  }

  // Occupies the worker with a sleeper, then posts more until one is refused; returns the ids of
  // those accepted. The queue then stays full until the first sleeper wakes up.
  std::vector<std::string> FillQueue() {
    const Json sleeper{{"name", "filler"}, {"task_name", "sleep"}, {"task_params", {{"ms", 1000}}}};
    std::vector<std::string> accepted{SubmitJob(client(), sleeper)};
    EXPECT_TRUE(WaitForJobStatus(client(), accepted.front(), "IN_PROGRESS"));
    for (int i = 0; i < kMaxAttempts; ++i) {
      HttpReply reply = client().Post("/api/jobs", sleeper);
      if (reply.status == 202) {
        accepted.push_back(reply.json().value("id", ""));
        continue;
      }
      EXPECT_EQ(ErrorMessage(reply, 503), "job queue is full - try again later");
      return accepted;
    }
    ADD_FAILURE() << kMaxAttempts << " jobs were accepted by a queue of capacity 1";
    return accepted;
  }
};

TEST_F(FullQueueTest, RefusedJobIsNotStored) {
  std::vector<std::string> accepted = FillQueue();

  EXPECT_EQ(accepted.size(), 2u) << "one running, one waiting";
  EXPECT_EQ(CountJobs(client()), static_cast<long>(accepted.size()));
}

TEST_F(FullQueueTest, AcceptedJobsStillCompleteAndTheQueueTakesJobsAgain) {
  std::vector<std::string> accepted = FillQueue();

  for (const std::string& id : accepted) {
    EXPECT_EQ(WaitForJob(client(), id)["status"], "COMPLETED") << id;
  }
  std::string later = SubmitJob(client(), {{"name", "later"}, {"task_name", "noop"}});
  ASSERT_FALSE(later.empty());
  EXPECT_EQ(WaitForJob(client(), later)["status"], "COMPLETED");
}

TEST_F(FullQueueTest, RefusedPipelineIsNotStored) {
  std::vector<std::string> accepted = FillQueue();
  ASSERT_FALSE(accepted.empty());

  HttpReply reply = client().Post(
      "/api/pipelines",
      {{"name", "refused"},
       {"jobs", {{{"name", "a"}, {"task_name", "noop"}}, {{"name", "b"}, {"task_name", "noop"}}}}});

  EXPECT_EQ(ErrorMessage(reply, 503), "job queue is full - try again later");
  EXPECT_EQ(client().Get("/api/pipelines").json(), (Json{{"pipelines", Json::array()}}));
  EXPECT_EQ(CountJobs(client()), static_cast<long>(accepted.size()));
}

}  // namespace
}  // namespace valet::e2e
