#include "rabbitmq_consumer.hpp"

#include <amqp.h>
#include <amqp_framing.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::rabbitmq {

namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds{100};
constexpr auto kLongestBackoff = std::chrono::milliseconds{5000};
// Longest the I/O thread sleeps without looking at the connection: heartbeats are sent from its
// reads, and a missing broker heartbeat is only noticed there.
constexpr int kPollMillis = 500;
constexpr int kFramesPerRound = 64;

// A receipt is "<connection generation>:<delivery tag>".
std::string Receipt(std::uint64_t generation, std::uint64_t tag) {
  return std::to_string(generation) + ":" + std::to_string(tag);
}

bool ParseReceipt(const std::string& receipt, std::uint64_t& generation, std::uint64_t& tag) {
  auto colon = receipt.find(':');
  if (colon == std::string::npos) return false;
  const char* begin = receipt.data();
  const char* end = begin + receipt.size();
  return std::from_chars(begin, begin + colon, generation).ec == std::errc{} &&
         std::from_chars(begin + colon + 1, end, tag).ptr == end;
}

// A poison body in a log line: printable ASCII, at most 64 characters.
std::string Printable(const std::string& body) {
  std::string text;
  for (char c : body.substr(0, 64)) text += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (body.size() > 64) text += "... (" + std::to_string(body.size()) + " bytes)";
  return text;
}

}  // namespace

RabbitmqConsumer::RabbitmqConsumer(const RabbitmqOptions& options, AmqpAddress address,
                                   Logger& logger)
    : options_(options),
      address_(std::move(address)),
      logger_(logger),
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

RabbitmqConsumer::~RabbitmqConsumer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    closed_ = true;
  }
  ready_.notify_all();
  stopped_.notify_all();
  Wake();
  if (thread_.joinable()) thread_.join();
  connection_.reset();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Status RabbitmqConsumer::Start() {
  if (wake_fd_ < 0) return Status::Internal("cannot create an eventfd for the RabbitMQ consumer");
  bool reached = false;
  if (Status connected = Connect(&reached); !connected.ok()) {
    if (reached) return connected;
    std::lock_guard lock(mutex_);
    last_error_ = connected.message();
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

Status RabbitmqConsumer::Connect(bool* reached) {
  auto opened =
      AmqpConnection::Open(address_, options_.heartbeat_seconds, options_.connect_timeout);
  if (!opened.ok()) return opened.status();
  if (reached) *reached = true;
  AmqpConnection& connection = **opened;
  if (Status declared = DeclareQueue(connection, options_); !declared.ok()) return declared;
  amqp_basic_qos(connection.state(), AmqpConnection::kChannel, 0,
                 static_cast<std::uint16_t>(options_.prefetch), 0);
  if (Status qos = connection.CheckReply("setting the prefetch"); !qos.ok()) return qos;
  amqp_maybe_release_buffers(connection.state());
  connection_ = std::move(*opened);
  cancelled_ = false;
  consuming_ = false;
  bool wanted;
  {
    std::lock_guard lock(mutex_);
    connected_ = true;
    last_error_.clear();
    wanted = wanted_;
  }
  if (wanted) return Consume();
  return Status::Ok();
}

Status RabbitmqConsumer::Consume() {
  amqp_basic_consume_ok_t* consuming =
      amqp_basic_consume(connection_->state(), AmqpConnection::kChannel, Bytes(options_.queue),
                         Bytes(options_.consumer_tag), options_.no_local, options_.auto_ack,
                         options_.consume_exclusive, amqp_empty_table);
  if (Status consumed = connection_->CheckReply("consuming from '" + options_.queue + "'");
      !consumed.ok()) {
    Disconnect(consumed.message());
    return consumed;
  }
  consumer_tag_.assign(static_cast<const char*>(consuming->consumer_tag.bytes),
                       consuming->consumer_tag.len);
  consuming_ = true;
  return Status::Ok();
}

void RabbitmqConsumer::Run() {
  auto backoff = kFirstBackoff;
  bool reported = false;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) break;
      // After Close() a lost connection is not worth restoring: nothing more is received, and
      // the acks still owed are void with it.
      if (!connection_ && closed_) {
        stopped_.wait(lock, [this] { return stopping_; });
        break;
      }
    }
    if (connection_) {
      ServeOnce();
      continue;
    }
    if (Status connected = Connect(); !connected.ok()) {
      if (!reported) {
        logger_.Log(LogLevel::kWarning, "rabbitmq", "cannot reach RabbitMQ; retrying",
                    {{"error", connected.message()}});
        reported = true;
      }
      std::unique_lock lock(mutex_);
      last_error_ = connected.message();
      stopped_.wait_for(lock, backoff, [this] { return stopping_; });
      backoff = std::min(backoff * 2, kLongestBackoff);
      continue;
    }
    logger_.Log(LogLevel::kInfo, "rabbitmq", "connected to RabbitMQ again; consuming",
                {{"queue", options_.queue}});
    backoff = kFirstBackoff;
    reported = false;
  }
  // Acks given just before the stop are still owed: without them the broker would deliver
  // those finished jobs again.
  if (connection_) SendSettlements();
}

void RabbitmqConsumer::ServeOnce() {
  CancelAfterClose();
  if (connection_ && !consuming_ && !cancelled_) {
    bool wanted;
    {
      std::lock_guard lock(mutex_);
      wanted = wanted_;
    }
    if (wanted && !Consume().ok()) return;
  }
  if (connection_) SendSettlements();
  if (!connection_) return;
  amqp_connection_state_t state = connection_->state();
  if (!amqp_frames_enqueued(state) && !amqp_data_in_buffer(state)) {
    pollfd fds[2] = {{connection_->fd(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    ::poll(fds, 2, kPollMillis);
  }
  std::uint64_t drained;
  while (::read(wake_fd_, &drained, sizeof drained) > 0) {
  }
  // A short wait rather than none: the library notices a missing broker heartbeat, and sends
  // its own, only in reads that may wait.
  timeval brief{0, 1000};
  for (int i = 0; i < kFramesPerRound && connection_; ++i) {
    amqp_frame_t frame;
    int read = amqp_simple_wait_frame_noblock(state, &frame, &brief);
    if (read == AMQP_STATUS_TIMEOUT) break;
    if (read != AMQP_STATUS_OK) {
      Disconnect(LibraryError(read));
      break;
    }
    if (!HandleFrame(frame)) break;
    amqp_maybe_release_buffers(state);
    brief = timeval{0, 0};
  }
}

void RabbitmqConsumer::SendSettlements() {
  std::vector<Pending> pending;
  std::uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    pending.swap(pending_);
    generation = generation_;
  }
  amqp_connection_state_t state = connection_->state();
  for (const Pending& settlement : pending) {
    if (settlement.generation != generation) continue;
    int sent = AMQP_STATUS_OK;
    switch (settlement.settlement) {
      case Settlement::kAck:
        sent = amqp_basic_ack(state, AmqpConnection::kChannel, settlement.tag, 0);
        break;
      case Settlement::kRequeue:
        sent = amqp_basic_nack(state, AmqpConnection::kChannel, settlement.tag, 0, 1);
        break;
      case Settlement::kDrop:
        sent = amqp_basic_reject(state, AmqpConnection::kChannel, settlement.tag, 0);
        break;
    }
    if (sent != AMQP_STATUS_OK) {
      Disconnect("sending an ack: " + LibraryError(sent));
      return;
    }
  }
}

void RabbitmqConsumer::CancelAfterClose() {
  std::deque<Buffered> unreceived;
  {
    std::lock_guard lock(mutex_);
    if (!closed_ || cancelled_) return;
    unreceived.swap(buffer_);
  }
  cancelled_ = true;
  if (!consuming_) return;  // nothing was ever asked for on this connection
  amqp_connection_state_t state = connection_->state();
  // Deliveries that arrive before cancel-ok are kept by the library and handed back below, in
  // HandleDelivery, since the queue is closed by then.
  amqp_basic_cancel(state, AmqpConnection::kChannel, Bytes(consumer_tag_));
  if (Status cancelled = connection_->CheckReply("cancelling the consumer"); !cancelled.ok()) {
    Disconnect(cancelled.message());
    return;
  }
  if (options_.auto_ack) return;
  for (const Buffered& delivery : unreceived) {
    if (amqp_basic_nack(state, AmqpConnection::kChannel, delivery.tag, 0, 1) != AMQP_STATUS_OK) {
      Disconnect("handing back a delivery");
      return;
    }
  }
}

bool RabbitmqConsumer::HandleFrame(const amqp_frame_t& frame) {
  if (frame.frame_type != AMQP_FRAME_METHOD) return true;
  switch (frame.payload.method.id) {
    case AMQP_BASIC_DELIVER_METHOD:
      return HandleDelivery(frame);
    case AMQP_BASIC_CANCEL_METHOD:
      Disconnect("the broker cancelled the consumer (was the queue deleted?)");
      return false;
    case AMQP_CHANNEL_CLOSE_METHOD:
    case AMQP_CONNECTION_CLOSE_METHOD:
      Disconnect(CloseReason(frame.payload.method));
      return false;
    default:
      return true;
  }
}

bool RabbitmqConsumer::HandleDelivery(const amqp_frame_t& frame) {
  const auto* deliver = static_cast<const amqp_basic_deliver_t*>(frame.payload.method.decoded);
  std::uint64_t tag = deliver->delivery_tag;
  bool redelivered = deliver->redelivered != 0;
  amqp_connection_state_t state = connection_->state();
  amqp_message_t message;
  amqp_rpc_reply_t read = amqp_read_message(state, frame.channel, &message, 0);
  if (read.reply_type != AMQP_RESPONSE_NORMAL) {
    Disconnect("reading a delivery: " + ReplyText(read));
    return false;
  }
  std::string body(static_cast<const char*>(message.body.bytes), message.body.len);
  amqp_destroy_message(&message);

  if (!core::IsUuid(body)) {
    // Not something valet pushed: no worker could do anything with it, and requeueing would
    // only bring it back. Drop it, loudly, and go on with the next delivery.
    logger_.Log(LogLevel::kError, "rabbitmq", "dropping a message that is not a job id",
                {{"queue", options_.queue}, {"body", Printable(body)}});
    if (!options_.auto_ack &&
        amqp_basic_reject(state, AmqpConnection::kChannel, tag, 0) != AMQP_STATUS_OK) {
      Disconnect("rejecting a message");
      return false;
    }
    return true;
  }
  bool hand_back;
  {
    std::lock_guard lock(mutex_);
    hand_back = closed_;
    if (!hand_back) buffer_.push_back(Buffered{std::move(body), tag, redelivered});
  }
  if (hand_back) {
    if (!options_.auto_ack &&
        amqp_basic_nack(state, AmqpConnection::kChannel, tag, 0, 1) != AMQP_STATUS_OK) {
      Disconnect("handing back a delivery");
      return false;
    }
    return true;
  }
  ready_.notify_one();
  return true;
}

void RabbitmqConsumer::Disconnect(const std::string& reason) {
  connection_->MarkBroken();
  connection_.reset();
  bool report;
  {
    std::lock_guard lock(mutex_);
    report = !stopping_;
    connected_ = false;
    ++generation_;
    buffer_.clear();
    outstanding_.clear();
    pending_.clear();
    last_error_ = reason;
  }
  if (report) {
    logger_.Log(LogLevel::kWarning, "rabbitmq",
                "lost the consumer connection to RabbitMQ; reconnecting (unacked jobs are "
                "delivered again)",
                {{"error", reason}});
  }
}

void RabbitmqConsumer::Wake() {
  std::uint64_t one = 1;
  // A full counter already wakes the thread, so a failed write loses nothing.
  if (wake_fd_ >= 0 && ::write(wake_fd_, &one, sizeof one) < 0) return;
}

Result<std::vector<Delivery>> RabbitmqConsumer::Receive(std::size_t max,
                                                        std::chrono::milliseconds wait) {
  std::vector<Delivery> received;
  std::unique_lock lock(mutex_);
  if (!wanted_ && !closed_) {
    // The first receiver: only now does this process take deliveries (and a prefetch of them)
    // from the broker, so a process that never receives (valetd --role api) holds none.
    wanted_ = true;
    Wake();
  }
  ready_.wait_for(lock, wait, [this] { return closed_ || !buffer_.empty(); });
  if (closed_) return received;
  while (received.size() < std::max<std::size_t>(max, 1) && !buffer_.empty()) {
    Buffered next = std::move(buffer_.front());
    buffer_.pop_front();
    outstanding_.insert(next.tag);
    received.push_back(
        Delivery{std::move(next.job_id), Receipt(generation_, next.tag), next.redelivered ? 2 : 1});
  }
  return received;
}

Status RabbitmqConsumer::Settle(const std::vector<Delivery>& deliveries, Settlement settlement) {
  Status first = Status::Ok();
  bool queued = false;
  {
    std::lock_guard lock(mutex_);
    for (const Delivery& delivery : deliveries) {
      std::uint64_t generation = 0;
      std::uint64_t tag = 0;
      Status settled = Status::Ok();
      if (!ParseReceipt(delivery.receipt, generation, tag)) {
        settled = Status::NotFound("no delivery with receipt " + delivery.receipt);
      } else if (generation != generation_) {
        settled = Status::Unavailable(
            "the connection to RabbitMQ was lost after this job was received; the broker "
            "delivers it again");
      } else if (outstanding_.erase(tag) == 0) {
        // Settling a tag twice would make the broker close the channel: refuse it here.
        settled = Status::NotFound("no delivery with receipt " + delivery.receipt);
      } else if (!options_.auto_ack) {
        pending_.push_back(Pending{generation, tag, settlement});
        queued = true;
      }
      if (!settled.ok() && first.ok()) first = settled;
    }
  }
  // One wake-up for the batch: the I/O thread sends every pending settlement in one go.
  if (queued) Wake();
  return first;
}

Status RabbitmqConsumer::CheckHealth() {
  std::lock_guard lock(mutex_);
  if (closed_) return Status::Unavailable("job queue is closed");
  if (!connected_) {
    return Status::Unavailable("RabbitMQ consumer is not connected: " + last_error_);
  }
  return Status::Ok();
}

bool RabbitmqConsumer::closed() {
  std::lock_guard lock(mutex_);
  return closed_;
}

void RabbitmqConsumer::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
  Wake();
}

}  // namespace valet::adapters::rabbitmq
