// The server restarts under a live repository and queue: calls fail as unavailable while it is
// down, and work again once it is back, with the data kept (appendonly) and no new adapters.
// Runs alone (RUN_SERIAL): it stops the server every other Redis test uses.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "redis_test_support.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"
#include "valet/testing/server_control.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

template <typename Adapter>
bool WaitHealthy(Adapter& adapter) {
  for (int i = 0; i < 300; ++i) {
    if (adapter.CheckHealth().ok()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST(RedisRestartTest, RepositoryAndQueueRecoverAfterTheServerRestarts) {
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  auto queue = OpenQueue(prefix);
  ASSERT_TRUE(repository && queue);

  core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = "before";
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1};
  ASSERT_TRUE(repository->CreateJob(job).ok());
  ASSERT_TRUE(queue->Push(job.id).ok());

  ASSERT_EQ(StopServer(TestServer::kRedis), "");
  EXPECT_FALSE(repository->CheckHealth().ok());
  EXPECT_FALSE(queue->CheckHealth().ok());
  EXPECT_EQ(repository->GetJob(job.id).status().code(), StatusCode::kUnavailable);
  Job during = job;
  during.id = ids.NewId();
  EXPECT_EQ(repository->CreateJob(during).code(), StatusCode::kUnavailable);
  EXPECT_EQ(queue->Push(during.id).code(), StatusCode::kUnavailable);
  auto received = queue->Receive(milliseconds(200));
  EXPECT_EQ(received.status().code(), StatusCode::kUnavailable);

  ASSERT_EQ(StartServers(), "");
  ASSERT_TRUE(WaitHealthy(*repository));
  ASSERT_TRUE(WaitHealthy(*queue));
  auto kept = repository->GetJob(job.id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->name, "before");
  EXPECT_EQ(repository->GetJob(during.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository->CreateJob(during).ok());
  EXPECT_TRUE(repository->StartJob(job.id, testing::LeaseAt(job.created_at + 1s))
                  .ok());  // scripts load again

  auto delivery = queue->Receive(seconds(2));
  ASSERT_TRUE(delivery.ok()) << delivery.status().ToString();
  ASSERT_TRUE(delivery->has_value());
  EXPECT_EQ((*delivery)->job_id, job.id);
  EXPECT_TRUE(queue->Ack(**delivery).ok());
}

TEST(RedisRestartTest, AdaptersOpenWhileTheServerIsDownAndWorkOnceItIsUp) {
  ASSERT_EQ(StopServer(TestServer::kRedis), "");
  std::string prefix = FreshPrefix();
  auto repository = OpenRepository(prefix);
  auto queue = OpenQueue(prefix);
  ASSERT_TRUE(repository && queue);
  EXPECT_EQ(repository->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ(queue->Push(core::UuidGenerator().NewId()).code(), StatusCode::kUnavailable);

  ASSERT_EQ(StartServers(), "");
  ASSERT_TRUE(WaitHealthy(*repository));
  ASSERT_TRUE(WaitHealthy(*queue));
  Job job;
  job.id = core::UuidGenerator().NewId();
  job.name = "late";
  job.task_name = "noop";
  job.created_at = sys_days{2030y / 1 / 1};
  EXPECT_TRUE(repository->CreateJob(job).ok());
  ASSERT_TRUE(queue->Push(job.id).ok());
  auto delivery = queue->Receive(seconds(2));
  ASSERT_TRUE(delivery.ok() && delivery->has_value());
  EXPECT_EQ((*delivery)->job_id, job.id);
  // The upgrade Open could not run happens before the first read of the indexes it fills.
  auto stranded = repository->ClaimStrandedJobs(job.created_at + 1s, job.created_at + 1s, 10);
  ASSERT_TRUE(stranded.ok()) << stranded.status().ToString();
  EXPECT_EQ(stranded->size(), 1u);
  auto connection = OpenConnection();
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->Run({"GET", "{" + prefix + "}:schema_version"})->text(), "2");
}

}  // namespace
}  // namespace valet::testing
