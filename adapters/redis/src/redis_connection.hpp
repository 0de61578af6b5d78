#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "valet/adapters/redis/redis_url.hpp"
#include "valet/core/connection_pool.hpp"
#include "valet/ports/status.hpp"

namespace valet::adapters::redis {

// One reply from the server; frees it when it goes. Error replies are values here: the caller
// decides what they mean (NOSCRIPT, for one, is expected).
class Reply {
 public:
  explicit Reply(redisReply* reply) : reply_(reply, &freeReplyObject) {}

  int type() const { return reply_->type; }
  bool IsError() const { return type() == REDIS_REPLY_ERROR; }
  bool IsNil() const { return type() == REDIS_REPLY_NIL; }
  long long integer() const { return reply_->integer; }
  std::string_view text() const { return {reply_->str ? reply_->str : "", reply_->len}; }
  std::size_t size() const { return type() == REDIS_REPLY_ARRAY ? reply_->elements : 0; }
  const redisReply* at(std::size_t i) const { return reply_->element[i]; }
  const redisReply* raw() const { return reply_.get(); }

  // kUnavailable for errors that pass (LOADING, BUSY, MASTERDOWN, READONLY, OOM, TRYAGAIN),
  // kInternal for the rest, ok for a reply that is not an error.
  Status ErrorStatus() const;

 private:
  std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply_;
};

inline std::string_view TextOf(const redisReply* reply) {
  return {reply->str ? reply->str : "", reply->len};
}

// The arguments of one command; each is sent as a binary-safe bulk string, never spliced into a
// command line.
using Command = std::vector<std::string>;

// A Lua script run with EVALSHA, falling back to EVAL once when the server does not know it (a
// restarted server forgets its script cache).
struct Script {
  std::string body;
  std::string sha1;  // hex, computed when the script is made
  explicit Script(std::string text);
};

// One connection to Redis. Not thread-safe: one user at a time (the pool sees to that).
class RedisConnection {
 public:
  // Connects, logs in (AUTH) and selects the database. kUnavailable when the server cannot be
  // reached, kInvalidArgument when it refuses the credentials or the database.
  static Result<std::unique_ptr<RedisConnection>> Open(const RedisEndpoint& endpoint,
                                                       std::chrono::milliseconds timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command and reads its reply. kUnavailable when the connection fails (it is then
  // broken()); a server's error reply comes back as a Reply.
  Result<Reply> Run(const Command& command);
  // Sends all commands at once, then reads their replies in order: one round trip.
  Result<std::vector<Reply>> Pipeline(const std::vector<Command>& commands);
  // EVALSHA, then EVAL if the server answers NOSCRIPT. Error replies become a Status.
  Result<Reply> Eval(const Script& script, const std::vector<std::string>& keys,
                     const std::vector<std::string>& args);

  // The socket read timeout, for commands that block on the server (BLMOVE).
  void SetReadTimeout(std::chrono::milliseconds timeout);
  int fd() const { return context_->fd; }

  bool broken() const { return context_->err != 0; }
  // An idle connection has nothing to read; if it has (EOF after a server restart, or stray
  // bytes) it is not reusable. Costs one poll(), no round trip.
  bool StillAlive();
  std::chrono::steady_clock::time_point opened_at() const { return opened_at_; }

 private:
  RedisConnection(redisContext* context, std::chrono::milliseconds timeout);
  Status Append(const Command& command);
  Result<Reply> Read();
  Status Lost() const;

  redisContext* context_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point opened_at_;
};

// The shared connection pool. Dropping broken connections is all it takes to reconnect after a
// server restart.
class RedisPool final : public core::ConnectionPool<RedisConnection> {
 public:
  RedisPool(RedisEndpoint endpoint, core::ConnectionPoolOptions options,
            std::chrono::milliseconds timeout)
      : ConnectionPool(options, "redis", [endpoint = std::move(endpoint), timeout] {
          return RedisConnection::Open(endpoint, timeout);
        }) {}
};

// Runs one command on a pooled connection; a server error reply becomes a Status.
Result<Reply> RunOn(RedisPool& pool, const Command& command);

// Opens `count` idle connections and PINGs, so that start-up checks the server and the login.
// A server that cannot be reached is not an error (the pool connects once it answers), so valetd
// starts while Redis is down; refused credentials or a bad database are.
Status WarmUp(RedisPool& pool, int count);

}  // namespace valet::adapters::redis
