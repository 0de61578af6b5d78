#include "amqp_connection.hpp"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <vector>

namespace valet::adapters::rabbitmq {

namespace {

timeval ToTimeval(std::chrono::milliseconds duration) {
  return timeval{static_cast<time_t>(duration.count() / 1000),
                 static_cast<suseconds_t>(duration.count() % 1000 * 1000)};
}

std::string Text(amqp_bytes_t bytes) {
  return std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

}  // namespace

Result<AmqpAddress> ParseAmqpUri(const std::string& uri) {
  if (uri.empty()) {
    return Status::InvalidArgument(
        "RABBITMQ_URI is not set (environment or /run/secrets/rabbitmq_uri); expected "
        "amqp://user:password@host:port/vhost");
  }
  // amqp_parse_url cuts its argument into the fields it returns.
  std::vector<char> buffer(uri.begin(), uri.end());
  buffer.push_back('\0');
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK) {
    return Status::InvalidArgument(
        "RABBITMQ_URI is not a valid AMQP URI; expected amqp://user:password@host:port/vhost");
  }
  if (info.ssl) {
    return Status::InvalidArgument(
        "RABBITMQ_URI: amqps:// (TLS) is not supported by this build; it will not fall back to "
        "plaintext - use amqp:// on a trusted network or a TLS tunnel");
  }
  AmqpAddress address;
  address.host = info.host;
  address.port = info.port;
  // "amqp://host/" names the vhost "" by the letter of the AMQP URI spec, but every valet
  // configuration means "/" by it, as Go's client does.
  address.vhost = *info.vhost ? info.vhost : "/";
  address.user = info.user;
  address.password = info.password;
  address.where = address.host + ":" + std::to_string(address.port) + "/" +
                  (address.vhost == "/" ? "" : address.vhost);
  return address;
}

std::string LibraryError(int status) { return amqp_error_string2(status); }

std::string CloseReason(const amqp_method_t& method) {
  if (method.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_connection_close_t*>(method.decoded);
    return "connection closed by the broker: " + std::to_string(close->reply_code) + " " +
           Text(close->reply_text);
  }
  if (method.id == AMQP_CHANNEL_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_channel_close_t*>(method.decoded);
    return "channel closed by the broker: " + std::to_string(close->reply_code) + " " +
           Text(close->reply_text);
  }
  return std::string("unexpected method ") + amqp_method_name(method.id);
}

std::string ReplyText(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "ok";
    case AMQP_RESPONSE_NONE:
      return "no reply from the broker";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return LibraryError(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      return CloseReason(reply.reply);
  }
  return "unknown reply";
}

Result<std::unique_ptr<AmqpConnection>> AmqpConnection::Open(const AmqpAddress& address,
                                                             int heartbeat_seconds,
                                                             std::chrono::milliseconds timeout) {
  amqp_connection_state_t state = amqp_new_connection();
  if (!state) return Status::Internal("cannot allocate an AMQP connection");
  std::unique_ptr<AmqpConnection> connection(new AmqpConnection(state));
  connection->broken_ = true;  // until logged in, there is nothing to close politely
  auto fail = [&](const std::string& reason) {
    return Status::Unavailable("RabbitMQ at " + address.where + " is unavailable: " + reason);
  };

  amqp_socket_t* socket = amqp_tcp_socket_new(state);
  if (!socket) return Status::Internal("cannot create an AMQP socket");
  timeval limit = ToTimeval(timeout);
  if (int opened = amqp_socket_open_noblock(socket, address.host.c_str(), address.port, &limit);
      opened != AMQP_STATUS_OK) {
    return fail("cannot connect: " + LibraryError(opened));
  }
  amqp_set_handshake_timeout(state, &limit);
  amqp_set_rpc_timeout(state, &limit);
  amqp_rpc_reply_t login =
      amqp_login(state, address.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE, heartbeat_seconds,
                 AMQP_SASL_METHOD_PLAIN, address.user.c_str(), address.password.c_str());
  if (login.reply_type != AMQP_RESPONSE_NORMAL) return fail("login failed: " + ReplyText(login));
  connection->broken_ = false;
  amqp_channel_open(state, kChannel);
  if (Status opened = connection->CheckReply("opening a channel"); !opened.ok()) return opened;
  return connection;
}

AmqpConnection::~AmqpConnection() {
  if (!broken_) {
    amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
}

int AmqpConnection::fd() const { return amqp_get_sockfd(state_); }

Status AmqpConnection::CheckReply(const std::string& what) {
  amqp_rpc_reply_t reply = amqp_get_rpc_reply(state_);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) return Status::Ok();
  // After a failed RPC the connection (or at least the channel) is gone: start afresh.
  broken_ = true;
  return Status::Unavailable("RabbitMQ: " + what + " failed: " + ReplyText(reply));
}

Status DeclareQueue(AmqpConnection& connection, const RabbitmqOptions& options) {
  amqp_queue_declare(connection.state(), AmqpConnection::kChannel, Bytes(options.queue),
                     /*passive=*/0, options.durable, options.exclusive, options.delete_when_unused,
                     amqp_empty_table);
  return connection.CheckReply("declaring the queue '" + options.queue + "'");
}

}  // namespace valet::adapters::rabbitmq
