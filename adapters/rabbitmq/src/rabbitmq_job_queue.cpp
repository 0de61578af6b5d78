#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"

#include <amqp.h>
#include <amqp_framing.h>

#include "amqp_connection.hpp"
#include "rabbitmq_consumer.hpp"
#include "valet/core/uuid_generator.hpp"

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

RabbitmqJobQueue::RabbitmqJobQueue(const RabbitmqOptions& options, Logger& logger)
    : options_(options), logger_(logger) {}

RabbitmqJobQueue::~RabbitmqJobQueue() = default;

Result<std::unique_ptr<RabbitmqJobQueue>> RabbitmqJobQueue::Open(const RabbitmqOptions& options,
                                                                 Logger& logger) {
  auto address = ParseAmqpUri(options.uri);
  if (!address.ok()) return address.status();
  if (options.prefetch < 1 || options.prefetch > 65535) {
    return Status::InvalidArgument("RabbitMQ prefetch must be from 1 to 65535, got " +
                                   std::to_string(options.prefetch));
  }
  RabbitmqOptions effective = options;
  // The default exchange routes by queue name.
  if (effective.routing_key.empty() && effective.exchange.empty()) {
    effective.routing_key = effective.queue;
  }
  std::unique_ptr<RabbitmqJobQueue> queue(new RabbitmqJobQueue(effective, logger));
  queue->consumer_ = std::make_unique<RabbitmqConsumer>(queue->options_, *address, logger);
  if (Status started = queue->consumer_->Start(); !started.ok()) return started;
  std::lock_guard lock(queue->publisher_mutex_);
  if (Status connected = queue->ConnectPublisher(); !connected.ok()) return connected;
  return queue;
}

Status RabbitmqJobQueue::ConnectPublisher() {
  published_ = 0;
  auto address = ParseAmqpUri(options_.uri);
  if (!address.ok()) return address.status();
  // No heartbeats: an idle publisher calls into the library too rarely to send them, and a dead
  // connection shows itself on the next publish, which then reconnects.
  auto opened = AmqpConnection::Open(*address, /*heartbeat_seconds=*/0, options_.connect_timeout);
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
  publisher_ = std::move(*opened);
  return Status::Ok();
}

Status RabbitmqJobQueue::Push(const std::string& job_id) {
  if (!core::IsUuid(job_id)) {
    return Status::InvalidArgument("a job id must be a UUID, got \"" + job_id + "\"");
  }
  if (consumer_->closed()) return Status::Unavailable("job queue is closed");
  std::lock_guard lock(publisher_mutex_);
  bool may_retry = false;
  Status pushed = PublishOnce(job_id, may_retry);
  // A connection that broke while idle (the broker restarted) fails the publish itself, before
  // the broker could have taken it: one more try on a fresh connection.
  if (!pushed.ok() && may_retry) pushed = PublishOnce(job_id, may_retry);
  return pushed;
}

Status RabbitmqJobQueue::PublishOnce(const std::string& job_id, bool& may_retry) {
  bool reused = publisher_ != nullptr;
  may_retry = false;
  if (!publisher_) {
    if (Status connected = ConnectPublisher(); !connected.ok()) return connected;
  }
  amqp_connection_state_t state = publisher_->state();
  auto fail = [&](const std::string& reason) {
    publisher_->MarkBroken();
    publisher_.reset();
    return Status::Unavailable("RabbitMQ did not take the job: " + reason);
  };

  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
  properties.content_type = amqp_cstring_bytes("text/plain");
  properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  int sent = amqp_basic_publish(state, AmqpConnection::kChannel, Bytes(options_.exchange),
                                Bytes(options_.routing_key), options_.mandatory,
                                /*immediate=*/0, &properties, Bytes(job_id));
  if (sent != AMQP_STATUS_OK) {
    may_retry = reused;
    return fail(LibraryError(sent));
  }
  std::uint64_t sequence = ++published_;

  // Confirms come in order on this channel, and this is its only publish in flight; a mandatory
  // publish that no queue takes is returned (basic.return) before its ack.
  std::string returned;
  auto deadline = std::chrono::steady_clock::now() + options_.confirm_timeout;
  while (true) {
    timeval left = Remaining(deadline);
    amqp_frame_t frame;
    int read = amqp_simple_wait_frame_noblock(state, &frame, &left);
    if (read == AMQP_STATUS_TIMEOUT) {
      return fail("no publisher confirm within " +
                  std::to_string(options_.confirm_timeout.count()) + " ms");
    }
    if (read != AMQP_STATUS_OK) {
      // A stale connection shows itself here when the broker closed it while idle: its close
      // came before anything we sent could be read.
      may_retry = reused && read != AMQP_STATUS_HEARTBEAT_TIMEOUT;
      return fail(LibraryError(read));
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
      if (read_back.reply_type != AMQP_RESPONSE_NORMAL) return fail(ReplyText(read_back));
      amqp_destroy_message(&message);
      continue;
    }
    if (method.id == AMQP_BASIC_ACK_METHOD || method.id == AMQP_BASIC_NACK_METHOD) {
      bool acked = method.id == AMQP_BASIC_ACK_METHOD;
      std::uint64_t tag = acked
                              ? static_cast<const amqp_basic_ack_t*>(method.decoded)->delivery_tag
                              : static_cast<const amqp_basic_nack_t*>(method.decoded)->delivery_tag;
      amqp_maybe_release_buffers(state);
      if (tag < sequence) continue;  // an earlier publish's late confirm
      if (!acked) return Status::Unavailable("RabbitMQ refused the job (basic.nack)");
      if (!returned.empty()) {
        return Status::Unavailable("RabbitMQ could not route the job to a queue (exchange '" +
                                   options_.exchange + "', routing key '" + options_.routing_key +
                                   "'): " + returned);
      }
      return Status::Ok();
    }
    if (method.id == AMQP_CHANNEL_CLOSE_METHOD || method.id == AMQP_CONNECTION_CLOSE_METHOD) {
      may_retry = reused && method.id == AMQP_CONNECTION_CLOSE_METHOD;
      return fail(CloseReason(method));
    }
  }
}

Result<std::optional<Delivery>> RabbitmqJobQueue::Receive(std::chrono::milliseconds wait) {
  return consumer_->Receive(wait);
}

Status RabbitmqJobQueue::Ack(const Delivery& delivery) {
  return consumer_->Settle(delivery, RabbitmqConsumer::Settlement::kAck);
}

Status RabbitmqJobQueue::Nack(const Delivery& delivery, bool requeue) {
  Status settled = consumer_->Settle(delivery, requeue ? RabbitmqConsumer::Settlement::kRequeue
                                                       : RabbitmqConsumer::Settlement::kDrop);
  // With auto_ack the broker forgot the job on delivery: giving it back means pushing it again.
  if (settled.ok() && requeue && options_.auto_ack) return Push(delivery.job_id);
  return settled;
}

Status RabbitmqJobQueue::CheckHealth() { return consumer_->CheckHealth(); }

void RabbitmqJobQueue::Close() { consumer_->Close(); }

}  // namespace valet::adapters::rabbitmq
