#include "job_queue_contract.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

namespace valet::testing {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kWait{2000};

// Job ids are UUIDs, as the core makes them; a queue may refuse anything else.
std::string JobId(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return id;
}

std::optional<Delivery> ReceiveOne(JobQueue& queue, milliseconds wait = kWait) {
  auto received = queue.Receive(wait);
  EXPECT_TRUE(received.ok()) << received.status().ToString();
  return received.ok() ? *received : std::nullopt;
}

TEST_P(JobQueueContract, DeliversPushedJobsInOrder) {
  for (int id : {1, 2, 3}) ASSERT_TRUE(queue().Push(JobId(id)).ok());
  for (int id : {1, 2, 3}) {
    auto delivery = ReceiveOne(queue());
    ASSERT_TRUE(delivery.has_value());
    EXPECT_EQ(delivery->job_id, JobId(id));
    EXPECT_EQ(delivery->delivery_count, 1);
    EXPECT_TRUE(queue().Ack(*delivery).ok());
  }
}

TEST_P(JobQueueContract, ReceiveOnAnEmptyQueueReturnsNothingAfterTheWait) {
  auto received = queue().Receive(milliseconds(20));
  ASSERT_TRUE(received.ok());
  EXPECT_FALSE(received->has_value());
}

TEST_P(JobQueueContract, AckedJobIsNotDeliveredAgain) {
  ASSERT_TRUE(queue().Push(JobId(10)).ok());
  auto delivery = ReceiveOne(queue());
  ASSERT_TRUE(delivery.has_value());
  ASSERT_TRUE(queue().Ack(*delivery).ok());
  EXPECT_FALSE(ReceiveOne(queue(), milliseconds(50)).has_value());
}

TEST_P(JobQueueContract, NackWithRequeueDeliversTheJobAgain) {
  ASSERT_TRUE(queue().Push(JobId(11)).ok());
  auto first = ReceiveOne(queue());
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(queue().Nack(*first, /*requeue=*/true).ok());
  auto second = ReceiveOne(queue());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->job_id, JobId(11));
  EXPECT_EQ(second->delivery_count, 2);
  EXPECT_TRUE(queue().Ack(*second).ok());
}

TEST_P(JobQueueContract, NackWithoutRequeueDropsTheJob) {
  ASSERT_TRUE(queue().Push(JobId(12)).ok());
  auto delivery = ReceiveOne(queue());
  ASSERT_TRUE(delivery.has_value());
  ASSERT_TRUE(queue().Nack(*delivery, /*requeue=*/false).ok());
  EXPECT_FALSE(ReceiveOne(queue(), milliseconds(50)).has_value());
}

TEST_P(JobQueueContract, CloseWakesABlockedReceiver) {
  std::atomic<bool> returned{false};
  std::thread receiver([&] {
    auto received = queue().Receive(std::chrono::seconds(30));
    EXPECT_TRUE(!received.ok() || !received->has_value());
    returned = true;
  });
  std::this_thread::sleep_for(milliseconds(20));
  queue().Close();
  receiver.join();  // would hang for 30 s if Close() did not wake it
  EXPECT_TRUE(returned);
}

TEST_P(JobQueueContract, ConcurrentConsumersReceiveEachJobOnce) {
  constexpr int kJobs = 2000;
  std::mutex mutex;
  std::multiset<std::string> received;
  std::atomic<int> count{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < 4; ++c) {
    consumers.emplace_back([&] {
      while (count < kJobs) {
        auto delivery = queue().Receive(milliseconds(20));
        if (!delivery.ok() || !delivery->has_value()) continue;
        EXPECT_TRUE(queue().Ack(**delivery).ok());
        std::lock_guard lock(mutex);
        received.insert((*delivery)->job_id);
        ++count;
      }
    });
  }
  std::thread producer([&] {
    for (int i = 0; i < kJobs; ++i) {
      while (!queue().Push(JobId(100 + i)).ok()) std::this_thread::yield();
    }
  });
  producer.join();
  for (auto& consumer : consumers) consumer.join();
  EXPECT_EQ(received.size(), static_cast<std::size_t>(kJobs));
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(received.count(JobId(100 + i)), 1u);
}

TEST_P(JobQueueContract, ReportsHealthy) { EXPECT_TRUE(queue().CheckHealth().ok()); }

// A broker that pushes may hand jobs to this process's consumer ahead of Receive(), and those no
// longer wait in the broker: the depth is at most what was pushed, and none once all are taken.
TEST_P(JobQueueContract, DepthCountsOnlyJobsStillWaiting) {
  auto empty = queue().Depth();
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(*empty, 0);
  for (int id : {30, 31, 32}) ASSERT_TRUE(queue().Push(JobId(id)).ok());
  auto pushed = queue().Depth();
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  EXPECT_GE(*pushed, 0);
  EXPECT_LE(*pushed, 3);

  for (int i = 0; i < 3; ++i) {
    auto delivery = ReceiveOne(queue());
    ASSERT_TRUE(delivery.has_value());
    ASSERT_TRUE(queue().Ack(*delivery).ok());
  }
  auto drained = queue().Depth();
  ASSERT_TRUE(drained.ok()) << drained.status().message();
  EXPECT_EQ(*drained, 0);
}

// Receives up to `count` deliveries in batches of at most `max`, for as long as kWait.
std::vector<Delivery> ReceiveInBatches(JobQueue& queue, std::size_t count, std::size_t max) {
  std::vector<Delivery> received;
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (received.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto batch = queue.ReceiveBatch(max, milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) break;
    EXPECT_LE(batch->size(), max);
    for (Delivery& delivery : *batch) received.push_back(std::move(delivery));
  }
  return received;
}

TEST_P(JobQueueContract, ReceiveBatchTakesWaitingJobsInOrderAndAckBatchForgetsThem) {
  for (int id = 40; id < 45; ++id) ASSERT_TRUE(queue().Push(JobId(id)).ok());
  std::vector<Delivery> received = ReceiveInBatches(queue(), 5, 2);
  ASSERT_EQ(received.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(received[static_cast<std::size_t>(i)].job_id, JobId(40 + i));
    EXPECT_EQ(received[static_cast<std::size_t>(i)].delivery_count, 1);
  }
  EXPECT_TRUE(queue().AckBatch(received).ok());
  auto after = queue().ReceiveBatch(10, milliseconds(50));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
  EXPECT_TRUE(queue().AckBatch({}).ok());
}

TEST_P(JobQueueContract, ReceiveBatchReturnsWhatWaitsWithoutWaitingForAFullBatch) {
  for (int id : {50, 51}) ASSERT_TRUE(queue().Push(JobId(id)).ok());
  // Asking for more than there is still returns both, and no delivery twice.
  std::vector<Delivery> received = ReceiveInBatches(queue(), 2, 100);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_NE(received[0].receipt, received[1].receipt);
  EXPECT_TRUE(queue().AckBatch(received).ok());
  auto empty = queue().ReceiveBatch(5, milliseconds(20));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_P(JobQueueContract, AckBatchAcksEveryKnownDeliveryAndReportsAnUnknownOne) {
  for (int id : {60, 61}) ASSERT_TRUE(queue().Push(JobId(id)).ok());
  std::vector<Delivery> received = ReceiveInBatches(queue(), 2, 2);
  ASSERT_EQ(received.size(), 2u);
  ASSERT_TRUE(queue().Ack(received[0]).ok());
  // The first was acked already, so its receipt matches nothing now.
  EXPECT_FALSE(queue().AckBatch(received).ok());
  auto after = queue().ReceiveBatch(10, milliseconds(50));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty()) << "the second delivery was acked too";
}

TEST_P(JobQueueContract, ReceiveBatchAfterCloseReturnsNothing) {
  ASSERT_TRUE(queue().Push(JobId(70)).ok());
  queue().Close();
  auto received = queue().ReceiveBatch(4, kWait);
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
}

TEST_P(JobQueueContract, PushBatchQueuesEveryJobInOrder) {
  std::vector<std::string> ids;
  for (int id = 80; id < 90; ++id) ids.push_back(JobId(id));
  ASSERT_TRUE(queue().PushBatch(ids).ok());
  ASSERT_TRUE(queue().Push(JobId(90)).ok());
  // Acked as they come: a broker may hold back deliveries beyond its prefetch until then.
  std::vector<std::string> received;
  for (int round = 0; round < 20 && received.size() < 11; ++round) {
    std::vector<Delivery> batch = ReceiveInBatches(queue(), 1, 4);
    EXPECT_TRUE(queue().AckBatch(batch).ok());
    for (const Delivery& delivery : batch) received.push_back(delivery.job_id);
  }
  ASSERT_EQ(received.size(), 11u);
  for (std::size_t i = 0; i < received.size(); ++i) {
    EXPECT_EQ(received[i], JobId(80 + static_cast<int>(i)));
  }
  EXPECT_TRUE(queue().PushBatch({}).ok());
}

}  // namespace
}  // namespace valet::testing
