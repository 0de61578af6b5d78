#include "rabbitmq_publisher.hpp"

#include <amqp.h>
#include <amqp_framing.h>

#include <algorithm>
#include <chrono>

namespace valet::adapters::rabbitmq {

namespace {

timeval Remaining(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() < 0) left = std::chrono::microseconds{0};
  return timeval{static_cast<time_t>(left.count() / 1'000'000),
                 static_cast<suseconds_t>(left.count() % 1'000'000)};
}

}  // namespace

Status RabbitmqPublisher::Connect() {
  if (connection_) return Status::Ok();
  published_ = 0;
  // No heartbeats: an idle publisher calls into the library too rarely to send them, and a dead
  // connection shows itself on the next publish, which then reconnects.
  auto opened = AmqpConnection::Open(address_, /*heartbeat_seconds=*/0, options_.connect_timeout);
  if (!opened.ok()) return opened.status();
  AmqpConnection& connection = **opened;
  amqp_confirm_select(connection.state(), AmqpConnection::kChannel);
  if (Status confirming = connection.CheckReply("enabling publisher confirms"); !confirming.ok()) {
    return confirming;
  }
  // So that a Push made before the consumer's first connection still finds the queue. An
  // exclusive queue belongs to the consumer's connection alone.
  if (!options_.exclusive) {
    if (Status declared = DeclareQueue(connection, options_); !declared.ok()) return declared;
  }
  amqp_maybe_release_buffers(connection.state());
  connection_ = std::move(*opened);
  return Status::Ok();
}

Result<std::int64_t> RabbitmqPublisher::QueueDepth() {
  if (Status connected = Connect(); !connected.ok()) return connected;
  amqp_queue_declare_ok_t* declared = amqp_queue_declare(
      connection_->state(), AmqpConnection::kChannel, Bytes(options_.queue), /*passive=*/1,
      /*durable=*/0, /*exclusive=*/0, /*auto_delete=*/0, amqp_empty_table);
  Status reply = connection_->CheckReply("counting the jobs in the queue '" + options_.queue + "'");
  if (!reply.ok() || !declared) {
    connection_.reset();
    return reply.ok() ? Status::Unavailable("RabbitMQ gave no queue.declare-ok") : reply;
  }
  return static_cast<std::int64_t>(declared->message_count);
}

Status RabbitmqPublisher::Drop(const std::string& reason) {
  connection_->MarkBroken();
  connection_.reset();
  return Status::Unavailable("RabbitMQ did not take the job: " + reason);
}

Status RabbitmqPublisher::Publish(const std::vector<std::string>& bodies, bool& may_retry) {
  may_retry = false;
  bool reused = connection_ != nullptr;
  if (Status connected = Connect(); !connected.ok()) return connected;
  amqp_connection_state_t state = connection_->state();

  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
  properties.content_type = amqp_cstring_bytes("text/plain");
  properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  // Every message goes out before the first confirm is read: the broker confirms them while
  // later ones are still on their way, so a batch waits for about one confirm, not one each.
  const std::uint64_t first = published_ + 1;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    int sent = amqp_basic_publish(state, AmqpConnection::kChannel, Bytes(options_.exchange),
                                  Bytes(options_.routing_key), options_.mandatory,
                                  /*immediate=*/0, &properties, Bytes(bodies[i]));
    if (sent != AMQP_STATUS_OK) {
      // Only a first message on a connection that broke while idle surely never arrived.
      may_retry = reused && i == 0;
      return Drop(LibraryError(sent));
    }
    ++published_;
  }
  const std::uint64_t last = published_;
  std::uint64_t unconfirmed = last - first + 1;
  std::vector<bool> confirmed(unconfirmed, false);
  auto confirm = [&](std::uint64_t tag) {
    if (tag < first || tag > last || confirmed[tag - first]) return;
    confirmed[tag - first] = true;
    --unconfirmed;
  };

  // Confirms (ack or nack, one tag or all up to it with `multiple`) name the channel's publish
  // sequence numbers; a tag before `first` is an earlier batch's late confirm. A mandatory
  // publish that no queue takes is returned (basic.return) before its ack.
  std::string returned;
  bool refused = false;
  auto deadline = std::chrono::steady_clock::now() + options_.confirm_timeout;
  while (unconfirmed > 0) {
    timeval left = Remaining(deadline);
    amqp_frame_t frame;
    int read = amqp_simple_wait_frame_noblock(state, &frame, &left);
    if (read == AMQP_STATUS_TIMEOUT) {
      return Drop("no publisher confirm within " +
                  std::to_string(options_.confirm_timeout.count()) + " ms");
    }
    if (read != AMQP_STATUS_OK) {
      // A connection the broker closed while it was idle fails here: the close was on its way
      // before our publish.
      may_retry = reused && read != AMQP_STATUS_HEARTBEAT_TIMEOUT;
      return Drop(LibraryError(read));
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    const amqp_method_t& method = frame.payload.method;
    if (method.id == AMQP_BASIC_RETURN_METHOD) {
      const auto* back = static_cast<const amqp_basic_return_t*>(method.decoded);
      returned =
          std::to_string(back->reply_code) + " " +
          std::string(static_cast<const char*>(back->reply_text.bytes), back->reply_text.len);
      amqp_message_t message;
      amqp_rpc_reply_t read_back = amqp_read_message(state, frame.channel, &message, 0);
      if (read_back.reply_type != AMQP_RESPONSE_NORMAL) return Drop(ReplyText(read_back));
      amqp_destroy_message(&message);
      continue;
    }
    if (method.id == AMQP_BASIC_ACK_METHOD || method.id == AMQP_BASIC_NACK_METHOD) {
      bool acked = method.id == AMQP_BASIC_ACK_METHOD;
      const auto* ack = static_cast<const amqp_basic_ack_t*>(method.decoded);
      const auto* nack = static_cast<const amqp_basic_nack_t*>(method.decoded);
      std::uint64_t tag = acked ? ack->delivery_tag : nack->delivery_tag;
      bool multiple = acked ? ack->multiple != 0 : nack->multiple != 0;
      amqp_maybe_release_buffers(state);
      if (tag >= first && !acked) refused = true;
      if (multiple) {
        for (std::uint64_t each = first; each <= std::min(tag, last); ++each) confirm(each);
      } else {
        confirm(tag);
      }
      continue;
    }
    if (method.id == AMQP_CHANNEL_CLOSE_METHOD || method.id == AMQP_CONNECTION_CLOSE_METHOD) {
      may_retry = reused && method.id == AMQP_CONNECTION_CLOSE_METHOD;
      return Drop(CloseReason(method));
    }
  }
  if (refused) return Status::Unavailable("RabbitMQ refused a job (basic.nack)");
  if (!returned.empty()) {
    return Status::Unavailable("RabbitMQ could not route the job to a queue (exchange '" +
                               options_.exchange + "', routing key '" + options_.routing_key +
                               "'): " + returned);
  }
  return Status::Ok();
}

}  // namespace valet::adapters::rabbitmq
