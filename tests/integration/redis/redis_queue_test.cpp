// What the Redis queue promises beyond the contract: leases that outlive a dead consumer and not
// a live one, fenced receipts, stranded entries recovered, prompt wake-ups and prefetch.
#include <gtest/gtest.h>

#include <thread>

#include "redis_test_support.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

constexpr milliseconds kShortLease{400};

std::optional<Delivery> ReceiveOne(JobQueue& queue, milliseconds wait) {
  auto received = queue.Receive(wait);
  EXPECT_TRUE(received.ok()) << received.status().ToString();
  return received.ok() ? *received : std::nullopt;
}

TEST(RedisQueueTest, JobOfAConsumerThatDiedIsDeliveredAgainAfterItsLease) {
  std::string prefix = FreshPrefix();
  auto survivor = OpenQueue(prefix, kShortLease);
  ASSERT_NE(survivor, nullptr);
  ASSERT_TRUE(survivor->Push("orphaned").ok());
  {
    auto dying = OpenQueue(prefix, kShortLease);
    ASSERT_NE(dying, nullptr);
    auto taken = ReceiveOne(*dying, milliseconds(1000));
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->delivery_count, 1);
  }  // gone without an ack: its lease is no longer renewed

  // Within one receive: the lease ran out and the job came back to the queue.
  auto again = ReceiveOne(*survivor, seconds(30));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->job_id, "orphaned");
  EXPECT_EQ(again->delivery_count, 2);
  EXPECT_TRUE(survivor->Ack(*again).ok());
  EXPECT_FALSE(ReceiveOne(*survivor, milliseconds(kShortLease * 3)).has_value());
}

TEST(RedisQueueTest, HeldJobIsNotDeliveredAgainWhileItsLeaseIsRenewed) {
  std::string prefix = FreshPrefix();
  auto holder = OpenQueue(prefix, kShortLease);
  auto other = OpenQueue(prefix, kShortLease);
  ASSERT_TRUE(holder && other);
  ASSERT_TRUE(holder->Push("long job").ok());
  auto held = ReceiveOne(*holder, milliseconds(1000));
  ASSERT_TRUE(held.has_value());

  // Several lease lengths pass while the holder's process lives.
  EXPECT_FALSE(ReceiveOne(*other, kShortLease * 5).has_value());
  EXPECT_TRUE(holder->Ack(*held).ok());
  EXPECT_FALSE(ReceiveOne(*other, kShortLease * 2).has_value());
}

TEST(RedisQueueTest, StaleReceiptCannotSettleTheNewDelivery) {
  std::string prefix = FreshPrefix();
  auto survivor = OpenQueue(prefix, kShortLease);
  ASSERT_NE(survivor, nullptr);
  ASSERT_TRUE(survivor->Push("fenced").ok());
  Delivery stale;
  {
    auto slow = OpenQueue(prefix, kShortLease);
    ASSERT_NE(slow, nullptr);
    auto taken = ReceiveOne(*slow, milliseconds(1000));
    ASSERT_TRUE(taken.has_value());
    stale = *taken;
  }
  auto fresh = ReceiveOne(*survivor, seconds(5));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_NE(fresh->receipt, stale.receipt);

  EXPECT_EQ(survivor->Ack(stale).code(), StatusCode::kNotFound);
  EXPECT_EQ(survivor->Nack(stale, /*requeue=*/true).code(), StatusCode::kNotFound);
  EXPECT_TRUE(survivor->Ack(*fresh).ok());
  EXPECT_FALSE(ReceiveOne(*survivor, milliseconds(100)).has_value());
}

TEST(RedisQueueTest, EntryStrandedBetweenMoveAndLeaseComesBack) {
  // A receiver that died right after BLMOVE leaves its entry in processing without a lease.
  std::string prefix = FreshPrefix();
  auto connection = OpenConnection();
  ASSERT_NE(connection, nullptr);
  auto pushed =
      connection->Run({"LPUSH", "{" + prefix + "}:queue:processing", "deadbeef1|0|stranded"});
  ASSERT_TRUE(pushed.ok());
  auto queue = OpenQueue(prefix, kShortLease);
  ASSERT_NE(queue, nullptr);
  auto recovered = ReceiveOne(*queue, seconds(5));
  ASSERT_TRUE(recovered.has_value());
  EXPECT_EQ(recovered->job_id, "stranded");
  EXPECT_EQ(recovered->delivery_count, 2);
  EXPECT_TRUE(queue->Ack(*recovered).ok());
}

TEST(RedisQueueTest, BlockedReceiverGetsAJobPushedLater) {
  std::string prefix = FreshPrefix();
  auto receiver = OpenQueue(prefix);
  auto sender = OpenQueue(prefix);
  ASSERT_TRUE(receiver && sender);
  std::optional<Delivery> received;
  std::thread waiting([&] {
    // Far longer than the test's ctest timeout: only the push can end this wait in time.
    received = ReceiveOne(*receiver, hours(1));
  });
  std::this_thread::sleep_for(milliseconds(200));
  ASSERT_TRUE(sender->Push("wake up").ok());
  waiting.join();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->job_id, "wake up");
  EXPECT_TRUE(receiver->Ack(*received).ok());
}

TEST(RedisQueueTest, CloseWakesABlockedReceiver) {
  auto queue = OpenQueue();
  ASSERT_NE(queue, nullptr);
  std::thread waiting([&] {
    // Far longer than the test's ctest timeout: only Close() can end this wait in time.
    auto received = queue->Receive(hours(1));
    EXPECT_TRUE(received.ok() && !received->has_value());
  });
  std::this_thread::sleep_for(milliseconds(200));
  queue->Close();
  waiting.join();
  EXPECT_EQ(queue->Push("late").code(), StatusCode::kUnavailable);
}

TEST(RedisQueueTest, PrefetchedJobsGoBackUndeliveredWhenTheQueueCloses) {
  std::string prefix = FreshPrefix();
  auto prefetching = OpenQueue(prefix, seconds(30), /*prefetch=*/4);
  ASSERT_NE(prefetching, nullptr);
  for (const char* id : {"a", "b", "c", "d"}) ASSERT_TRUE(prefetching->Push(id).ok());
  auto first = ReceiveOne(*prefetching, milliseconds(1000));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->job_id, "a");
  auto second = ReceiveOne(*prefetching, milliseconds(1000));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->job_id, "b");  // from the local buffer
  ASSERT_TRUE(prefetching->Ack(*first).ok());
  ASSERT_TRUE(prefetching->Ack(*second).ok());
  prefetching->Close();

  auto other = OpenQueue(prefix);
  ASSERT_NE(other, nullptr);
  for (const char* id : {"c", "d"}) {
    auto delivery = ReceiveOne(*other, milliseconds(1000));
    ASSERT_TRUE(delivery.has_value());
    EXPECT_EQ(delivery->job_id, id);
    EXPECT_EQ(delivery->delivery_count, 1);
    EXPECT_TRUE(other->Ack(*delivery).ok());
  }
}

TEST(RedisQueueTest, UnreachableServerIsUnavailable) {
  auto endpoint = RedisTestEndpoint();
  ASSERT_TRUE(endpoint.has_value());
  adapters::redis::RedisQueueOptions options;
  options.endpoint = *endpoint;
  options.endpoint.port = 1;
  options.key_prefix = FreshPrefix();
  // Opening does not need the server: calls answer kUnavailable until it can be reached.
  auto queue = adapters::redis::RedisJobQueue::Open(options);
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  EXPECT_EQ((*queue)->CheckHealth().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*queue)->Push("00000000-0000-4000-8000-000000000000").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ((*queue)->Receive(milliseconds(100)).status().code(), StatusCode::kUnavailable);
  (*queue)->Close();
}

}  // namespace
}  // namespace valet::testing
