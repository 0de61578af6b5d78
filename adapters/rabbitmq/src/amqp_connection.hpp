#pragma once

#include <amqp.h>

#include <chrono>
#include <memory>
#include <string>

#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::rabbitmq {

// The parts of an amqp:// URI. `where` ("host:port/vhost") names the broker in messages without
// the credentials.
struct AmqpAddress {
  std::string host;
  int port = 5672;
  std::string vhost = "/";
  std::string user = "guest";
  std::string password = "guest";
  std::string where;
};

// Parses RABBITMQ_URI with amqp_parse_url. kInvalidArgument (never echoing the password) for an
// empty or malformed URI, and for amqps://, which this adapter does not speak: it refuses rather
// than fall back to plaintext.
Result<AmqpAddress> ParseAmqpUri(const std::string& uri);

// One logged-in AMQP connection with channel 1 open. Not thread-safe: it has one owner at a time.
// The destructor closes the connection politely when it is still sound, so the broker requeues
// the unacked deliveries at once either way.
class AmqpConnection {
 public:
  static constexpr amqp_channel_t kChannel = 1;

  // Connects, logs in and opens channel 1; every step is bounded by `timeout`. kUnavailable with
  // the broker's or the library's reason on failure.
  static Result<std::unique_ptr<AmqpConnection>> Open(const AmqpAddress& address,
                                                      int heartbeat_seconds,
                                                      std::chrono::milliseconds timeout);
  ~AmqpConnection();
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  amqp_connection_state_t state() const { return state_; }
  int fd() const;
  // OK if the last RPC on this connection succeeded, else kUnavailable naming `what`.
  Status CheckReply(const std::string& what);
  // The connection failed: the destructor must not talk to the broker any more.
  void MarkBroken() { broken_ = true; }
  bool broken() const { return broken_; }

 private:
  explicit AmqpConnection(amqp_connection_state_t state) : state_(state) {}

  amqp_connection_state_t state_;
  bool broken_ = false;
};

// Readable text for a library status code and for an RPC reply (including the broker's
// connection.close / channel.close reason).
std::string LibraryError(int status);
std::string ReplyText(const amqp_rpc_reply_t& reply);
// The close reason carried by a connection.close or channel.close method frame.
std::string CloseReason(const amqp_method_t& method);

inline amqp_bytes_t Bytes(const std::string& text) {
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
}

// Declares the queue as the options say (durable, exclusive, auto-delete); kUnavailable with the
// broker's reason, e.g. when the queue exists with other settings.
Status DeclareQueue(AmqpConnection& connection, const RabbitmqOptions& options);

}  // namespace valet::adapters::rabbitmq
