// What the RabbitMQ queue promises beyond the contract: redelivery when a consumer dies,
// confirmed and persistent publishes, poison messages skipped, bounded prefetch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "rabbitmq_test_support.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono_literals;
using adapters::rabbitmq::RabbitmqOptions;
using ::testing::HasSubstr;

bool Logged(const RecordingLogger& logger, const std::string& text) {
  auto lines = logger.lines();
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

class RabbitmqJobQueueTest : public ::testing::Test {
 protected:
  RecordingLogger logger_;
  core::UuidGenerator ids_;
};

TEST_F(RabbitmqJobQueueTest, JobOfAConsumerThatDiedWithoutAckingIsDeliveredAgain) {
  RabbitmqOptions options = FreshOptions();
  std::string id = ids_.NewId();
  auto first = OpenQueue(options, logger_);
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->Push(id).ok());
  auto taken = first->Receive(5s);
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->delivery_count, 1);
  first.reset();  // dies holding the delivery, unacked

  auto second = OpenQueue(options, logger_);
  ASSERT_NE(second, nullptr);
  auto again = second->Receive(5s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->job_id, id);
  EXPECT_GT((*again)->delivery_count, 1);
  EXPECT_TRUE(second->Ack(**again).ok());
}

TEST_F(RabbitmqJobQueueTest, ConfirmedPushIsOnTheBrokerAsAPersistentMessage) {
  // The queue under test consumes one queue but publishes to another, which nobody consumes, so
  // the broker's own count shows the message.
  RabbitmqOptions options = FreshOptions();
  std::string target = FreshQueueName();
  options.routing_key = target;
  BrokerClient broker;
  ASSERT_TRUE(broker.Declare(target));
  auto queue = OpenQueue(options, logger_);
  ASSERT_NE(queue, nullptr);

  std::string id = ids_.NewId();
  ASSERT_TRUE(queue->Push(id).ok());
  EXPECT_EQ(broker.MessageCount(target), 1);
  auto message = broker.Get(target);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->body, id);
  EXPECT_EQ(message->delivery_mode, 2);  // persistent
}

TEST_F(RabbitmqJobQueueTest, UnroutablePushIsRefused) {
  RabbitmqOptions options = FreshOptions();
  options.routing_key = "valet_test_no_such_queue";
  auto queue = OpenQueue(options, logger_);
  ASSERT_NE(queue, nullptr);

  Status pushed = queue->Push(ids_.NewId());
  EXPECT_EQ(pushed.code(), StatusCode::kUnavailable);
  EXPECT_THAT(pushed.message(), HasSubstr("could not route"));
  // The publisher connection survives the return and answers the same way again.
  EXPECT_EQ(queue->Push(ids_.NewId()).code(), StatusCode::kUnavailable);
}

TEST_F(RabbitmqJobQueueTest, PushRefusesAnIdThatIsNotAUuid) {
  auto queue = OpenQueue(FreshOptions(), logger_);
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->Push("not-a-uuid").code(), StatusCode::kInvalidArgument);
}

TEST_F(RabbitmqJobQueueTest, PoisonMessageIsDroppedAndTheNextJobIsDelivered) {
  RabbitmqOptions options = FreshOptions();
  BrokerClient broker;
  ASSERT_TRUE(broker.Declare(options.queue));
  ASSERT_TRUE(broker.Publish(options.queue, "{\"id\": \"not a job id\"}"));
  ASSERT_TRUE(broker.Publish(options.queue, std::string(100'000, '\xff')));
  auto queue = OpenQueue(options, logger_);
  ASSERT_NE(queue, nullptr);
  std::string id = ids_.NewId();
  ASSERT_TRUE(queue->Push(id).ok());

  auto delivery = queue->Receive(5s);
  ASSERT_TRUE(delivery.ok() && delivery->has_value());
  EXPECT_EQ((*delivery)->job_id, id);
  EXPECT_TRUE(queue->Ack(**delivery).ok());
  EXPECT_TRUE(Logged(logger_, "dropping a message that is not a job id"));
  EXPECT_TRUE(queue->CheckHealth().ok());

  // The consumer goes on: the next job comes through too, and the poison is gone for good.
  std::string next = ids_.NewId();
  ASSERT_TRUE(queue->Push(next).ok());
  auto later = queue->Receive(5s);
  ASSERT_TRUE(later.ok() && later->has_value());
  EXPECT_EQ((*later)->job_id, next);
  EXPECT_TRUE(queue->Ack(**later).ok());
  queue.reset();
  EXPECT_EQ(broker.MessageCount(options.queue), 0);
}

TEST_F(RabbitmqJobQueueTest, PrefetchBoundsTheUnackedDeliveriesOfOneProcess) {
  RabbitmqOptions options = FreshOptions();
  options.prefetch = 2;
  auto holder = OpenQueue(options, logger_);
  ASSERT_NE(holder, nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(holder->Push(ids_.NewId()).ok());

  auto first = holder->Receive(5s);
  auto second = holder->Receive(5s);
  ASSERT_TRUE(first.ok() && first->has_value());
  ASSERT_TRUE(second.ok() && second->has_value());
  auto third = holder->Receive(500ms);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->has_value()) << "got a delivery beyond the prefetch of 2";

  ASSERT_TRUE(holder->Ack(**first).ok());
  auto after_ack = holder->Receive(5s);
  ASSERT_TRUE(after_ack.ok() && after_ack->has_value());
  EXPECT_TRUE(holder->Ack(**second).ok());
  EXPECT_TRUE(holder->Ack(**after_ack).ok());
}

TEST_F(RabbitmqJobQueueTest, CloseHandsBufferedDeliveriesToOtherConsumersAndKeepsAcking) {
  RabbitmqOptions options = FreshOptions();
  options.prefetch = 5;
  auto closing = OpenQueue(options, logger_);
  ASSERT_NE(closing, nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(closing->Push(ids_.NewId()).ok());
  auto held = closing->Receive(5s);
  ASSERT_TRUE(held.ok() && held->has_value());
  std::this_thread::sleep_for(200ms);  // the other two arrive in the local buffer
  closing->Close();

  auto other = OpenQueue(options, logger_);
  ASSERT_NE(other, nullptr);
  for (int i = 0; i < 2; ++i) {
    auto delivery = other->Receive(5s);
    ASSERT_TRUE(delivery.ok() && delivery->has_value());
    EXPECT_NE((*delivery)->job_id, (*held)->job_id);
    EXPECT_TRUE(other->Ack(**delivery).ok());
  }
  EXPECT_TRUE(closing->Ack(**held).ok());  // a worker finishing after Close() can still ack
  EXPECT_FALSE(closing->CheckHealth().ok());
  EXPECT_EQ(closing->Push(ids_.NewId()).code(), StatusCode::kUnavailable);
}

TEST_F(RabbitmqJobQueueTest, SettlingADeliveryTwiceIsRefusedAndTheChannelSurvives) {
  auto queue = OpenQueue(FreshOptions(), logger_);
  ASSERT_NE(queue, nullptr);
  ASSERT_TRUE(queue->Push(ids_.NewId()).ok());
  auto delivery = queue->Receive(5s);
  ASSERT_TRUE(delivery.ok() && delivery->has_value());
  ASSERT_TRUE(queue->Ack(**delivery).ok());
  EXPECT_EQ(queue->Ack(**delivery).code(), StatusCode::kNotFound);
  EXPECT_EQ(queue->Nack(**delivery, true).code(), StatusCode::kNotFound);

  std::string id = ids_.NewId();
  ASSERT_TRUE(queue->Push(id).ok());
  auto next = queue->Receive(5s);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->job_id, id);
  EXPECT_TRUE(queue->CheckHealth().ok());
}

TEST_F(RabbitmqJobQueueTest, AutoAckStillDeliversAndRequeuesByPushingAgain) {
  RabbitmqOptions options = FreshOptions();
  options.auto_ack = true;
  auto queue = OpenQueue(options, logger_);
  ASSERT_NE(queue, nullptr);
  std::string id = ids_.NewId();
  ASSERT_TRUE(queue->Push(id).ok());
  auto delivery = queue->Receive(5s);
  ASSERT_TRUE(delivery.ok() && delivery->has_value());
  ASSERT_TRUE(queue->Nack(**delivery, /*requeue=*/true).ok());
  auto again = queue->Receive(5s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->job_id, id);
  EXPECT_TRUE(queue->Ack(**again).ok());
}

TEST_F(RabbitmqJobQueueTest, ConcurrentPushesAreEachConfirmedAndDeliveredOnce) {
  RabbitmqOptions options = FreshOptions();
  options.prefetch = 50;
  auto queue = OpenQueue(options, logger_);
  ASSERT_NE(queue, nullptr);
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::string> pushed(kThreads * kEach);
  for (auto& id : pushed) id = ids_.NewId();
  std::vector<std::thread> pushers;
  for (int t = 0; t < kThreads; ++t) {
    pushers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) EXPECT_TRUE(queue->Push(pushed[t * kEach + i]).ok());
    });
  }
  for (auto& pusher : pushers) pusher.join();

  std::vector<std::string> received;
  while (received.size() < pushed.size()) {
    auto delivery = queue->Receive(5s);
    ASSERT_TRUE(delivery.ok() && delivery->has_value()) << received.size() << " received";
    received.push_back((*delivery)->job_id);
    EXPECT_TRUE(queue->Ack(**delivery).ok());
  }
  std::sort(pushed.begin(), pushed.end());
  std::sort(received.begin(), received.end());
  EXPECT_EQ(received, pushed);
}

TEST_F(RabbitmqJobQueueTest, QueueDeclaredWithOtherSettingsIsAClearError) {
  RabbitmqOptions options = FreshOptions();
  BrokerClient broker;
  ASSERT_TRUE(broker.Declare(options.queue));  // durable
  options.durable = false;
  auto queue = adapters::rabbitmq::RabbitmqJobQueue::Open(options, logger_);
  ASSERT_FALSE(queue.ok());
  EXPECT_EQ(queue.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(queue.status().message(), HasSubstr(options.queue));
  EXPECT_THAT(queue.status().message(), HasSubstr("PRECONDITION_FAILED"));
}

TEST_F(RabbitmqJobQueueTest, UnreachableBrokerOpensUnavailableAndNamesNoPassword) {
  RabbitmqOptions options = FreshOptions();
  options.uri = "amqp://guest:s3cret@127.0.0.1:1/";
  // Opening does not need the broker: calls answer kUnavailable until it can be reached.
  auto queue = adapters::rabbitmq::RabbitmqJobQueue::Open(options, logger_);
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  Status health = (*queue)->CheckHealth();
  EXPECT_EQ(health.code(), StatusCode::kUnavailable);
  Status pushed = (*queue)->Push("00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(pushed.code(), StatusCode::kUnavailable);
  EXPECT_THAT(pushed.message(), HasSubstr("127.0.0.1:1"));
  EXPECT_THAT(pushed.message(), ::testing::Not(HasSubstr("s3cret")));
  EXPECT_THAT(health.message(), ::testing::Not(HasSubstr("s3cret")));
  (*queue)->Close();
}

}  // namespace
}  // namespace valet::testing
