#include "rabbitmq_test_support.hpp"

#include <amqp.h>
#include <amqp_framing.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace valet::testing {

using adapters::rabbitmq::AmqpConnection;
using adapters::rabbitmq::Bytes;

namespace {

std::mutex queues_mutex;
std::vector<std::string>& Queues() {
  static std::vector<std::string> queues;
  return queues;
}

class DeleteQueues : public ::testing::Environment {
 public:
  void TearDown() override {
    const char* uri = std::getenv("RABBITMQ_URI");
    if (!uri || !*uri) return;
    BrokerClient client;
    if (!client.ok()) return;
    std::lock_guard lock(queues_mutex);
    for (const auto& queue : Queues()) client.Delete(queue);
  }
};

const auto* const kDeleteQueues = ::testing::AddGlobalTestEnvironment(new DeleteQueues);

std::string Text(amqp_bytes_t bytes) {
  return std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

}  // namespace

std::string RabbitmqUri() {
  const char* uri = std::getenv("RABBITMQ_URI");
  if (!uri || !*uri) {
    ADD_FAILURE() << "RABBITMQ_URI is not set: start the test broker with "
                     "eval \"$(scripts/servers.sh)\"";
    return "";
  }
  return uri;
}

std::string FreshQueueName() {
  static std::atomic<int> next{0};
  std::string queue = "valet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next);
  std::lock_guard lock(queues_mutex);
  Queues().push_back(queue);
  return queue;
}

adapters::rabbitmq::RabbitmqOptions FreshOptions() {
  adapters::rabbitmq::RabbitmqOptions options;
  options.uri = RabbitmqUri();
  options.queue = FreshQueueName();
  options.connect_timeout = std::chrono::milliseconds{2000};
  return options;
}

std::unique_ptr<adapters::rabbitmq::RabbitmqJobQueue> OpenQueue(
    const adapters::rabbitmq::RabbitmqOptions& options, Logger& logger) {
  auto queue = adapters::rabbitmq::RabbitmqJobQueue::Open(options, logger);
  if (!queue.ok()) {
    ADD_FAILURE() << "cannot open the RabbitMQ queue: " << queue.status().ToString();
    return nullptr;
  }
  return std::move(*queue);
}

BrokerClient::BrokerClient() {
  auto address = adapters::rabbitmq::ParseAmqpUri(RabbitmqUri());
  if (!address.ok()) {
    ADD_FAILURE() << address.status().ToString();
    return;
  }
  auto connection = AmqpConnection::Open(*address, 0, std::chrono::milliseconds{5000});
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status().ToString();
    return;
  }
  amqp_confirm_select((*connection)->state(), AmqpConnection::kChannel);
  if (Status s = (*connection)->CheckReply("confirm.select"); !s.ok()) {
    ADD_FAILURE() << s.ToString();
    return;
  }
  connection_ = std::move(*connection);
}

bool BrokerClient::Declare(const std::string& queue) {
  if (!connection_) return false;
  amqp_queue_declare(connection_->state(), AmqpConnection::kChannel, Bytes(queue), 0, 1, 0, 0,
                     amqp_empty_table);
  Status declared = connection_->CheckReply("declare");
  EXPECT_TRUE(declared.ok()) << declared.ToString();
  return declared.ok();
}

int BrokerClient::MessageCount(const std::string& queue) {
  if (!connection_) return -1;
  amqp_queue_declare_ok_t* ok = amqp_queue_declare(connection_->state(), AmqpConnection::kChannel,
                                                   Bytes(queue), 1, 0, 0, 0, amqp_empty_table);
  Status declared = connection_->CheckReply("passive declare");
  EXPECT_TRUE(declared.ok()) << declared.ToString();
  return declared.ok() ? static_cast<int>(ok->message_count) : -1;
}

bool BrokerClient::Publish(const std::string& queue, const std::string& body) {
  if (!connection_) return false;
  amqp_connection_state_t state = connection_->state();
  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
  properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  if (amqp_basic_publish(state, AmqpConnection::kChannel, amqp_empty_bytes, Bytes(queue), 1, 0,
                         &properties, Bytes(body)) != AMQP_STATUS_OK) {
    return false;
  }
  ++published_;
  while (true) {
    amqp_frame_t frame;
    timeval limit{5, 0};
    if (amqp_simple_wait_frame_noblock(state, &frame, &limit) != AMQP_STATUS_OK) return false;
    if (frame.frame_type == AMQP_FRAME_METHOD && frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
      return true;
    }
  }
}

std::optional<BrokerClient::Message> BrokerClient::Get(const std::string& queue) {
  if (!connection_) return std::nullopt;
  amqp_connection_state_t state = connection_->state();
  amqp_rpc_reply_t reply = amqp_basic_get(state, AmqpConnection::kChannel, Bytes(queue), 1);
  if (reply.reply_type != AMQP_RESPONSE_NORMAL || reply.reply.id != AMQP_BASIC_GET_OK_METHOD) {
    return std::nullopt;
  }
  amqp_message_t message;
  if (amqp_read_message(state, AmqpConnection::kChannel, &message, 0).reply_type !=
      AMQP_RESPONSE_NORMAL) {
    return std::nullopt;
  }
  Message got{Text(message.body), message.properties.delivery_mode};
  amqp_destroy_message(&message);
  return got;
}

bool BrokerClient::Delete(const std::string& queue) {
  if (!connection_) return false;
  amqp_queue_delete(connection_->state(), AmqpConnection::kChannel, Bytes(queue), 0, 0);
  return connection_->CheckReply("delete").ok();
}

}  // namespace valet::testing
