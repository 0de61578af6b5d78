// The contract suites for the memory adapters, plus what only the memory queue promises.
#include "job_queue_contract.hpp"
#include "job_repository_contract.hpp"
#include "valet/adapters/memory/memory_job_queue.hpp"
#include "valet/adapters/memory/memory_job_repository.hpp"

namespace valet::testing {
namespace {

using adapters::memory::MemoryJobQueue;
using adapters::memory::MemoryJobRepository;

INSTANTIATE_TEST_SUITE_P(Memory, JobRepositoryContract,
                         ::testing::Values(RepositoryMaker{
                             "memory", [] { return std::make_unique<MemoryJobRepository>(); }}),
                         RepositoryName);

INSTANTIATE_TEST_SUITE_P(Memory, JobQueueContract,
                         ::testing::Values(QueueMaker{
                             "memory", [] { return std::make_unique<MemoryJobQueue>(10000); }}),
                         QueueName);

TEST(MemoryJobQueueTest, FullQueueRefusesWithUnavailable) {
  MemoryJobQueue queue(2);
  ASSERT_TRUE(queue.Push("a").ok());
  ASSERT_TRUE(queue.Push("b").ok());
  Status refused = queue.Push("c");
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.message(), "job queue is full - try again later");
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.Depth().value(), 2);
}

TEST(MemoryJobQueueTest, ClosedQueueRefusesPushes) {
  MemoryJobQueue queue(2);
  queue.Close();
  EXPECT_EQ(queue.Push("a").code(), StatusCode::kUnavailable);
  EXPECT_FALSE(queue.CheckHealth().ok());
}

}  // namespace
}  // namespace valet::testing
