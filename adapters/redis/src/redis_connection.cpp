#include "redis_connection.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <array>
#include <cstdint>
#include <cstdio>

namespace valet::adapters::redis {

namespace {

timeval ToTimeval(std::chrono::milliseconds timeout) {
  return timeval{static_cast<time_t>(timeout.count() / 1000),
                 static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
}

// SHA-1 of a script, the name EVALSHA knows it by (FIPS 180-1; not used for security).
std::string Sha1Hex(const std::string& text) {
  std::array<std::uint32_t, 5> h{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::string data = text;
  std::uint64_t bits = static_cast<std::uint64_t>(text.size()) * 8;
  data += static_cast<char>(0x80);
  while (data.size() % 64 != 56) data += '\0';
  for (int i = 7; i >= 0; --i) data += static_cast<char>((bits >> (i * 8)) & 0xff);
  auto rotl = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (std::size_t chunk = 0; chunk < data.size(); chunk += 64) {
    std::array<std::uint32_t, 80> w{};
    for (int i = 0; i < 16; ++i) {
      for (int b = 0; b < 4; ++b) {
        w[i] = (w[i] << 8) | static_cast<unsigned char>(data[chunk + i * 4 + b]);
      }
    }
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  char hex[41];
  for (int i = 0; i < 5; ++i) std::snprintf(hex + i * 8, 9, "%08x", h[i]);
  return std::string(hex, 40);
}

// hiredis writes with write(2), so a write to a connection the server has closed raises SIGPIPE,
// whose default action ends the process. As libpq does, the signal is blocked in this thread
// while a command is sent, and one it raised is taken off the pending set before the mask is
// restored; nothing changes for the rest of the process.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec no_wait{0, 0};
        sigtimedwait(&pipe_, nullptr, &no_wait);
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
  bool was_pending_ = false;
};

}  // namespace

Status Reply::ErrorStatus() const {
  if (!IsError()) return Status::Ok();
  std::string_view message = text();
  for (std::string_view passing :
       {"LOADING", "BUSY", "MASTERDOWN", "READONLY", "OOM", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (message.starts_with(passing)) {
      return Status::Unavailable("redis: " + std::string(message));
    }
  }
  return Status::Internal("redis: " + std::string(message));
}

Script::Script(std::string text) : body(std::move(text)), sha1(Sha1Hex(body)) {}

Result<std::unique_ptr<RedisConnection>> RedisConnection::Open(const RedisEndpoint& endpoint,
                                                               std::chrono::milliseconds timeout) {
  redisContext* context =
      endpoint.unix_path.empty()
          ? redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, ToTimeval(timeout))
          : redisConnectUnixWithTimeout(endpoint.unix_path.c_str(), ToTimeval(timeout));
  if (context == nullptr) return Status::Unavailable("redis: cannot allocate a connection");
  std::string where = endpoint.unix_path.empty()
                          ? endpoint.host + ":" + std::to_string(endpoint.port)
                          : endpoint.unix_path;
  if (context->err != 0) {
    std::string error = context->errstr;
    redisFree(context);
    return Status::Unavailable("redis: cannot connect to " + where + ": " + error);
  }
  redisSetTimeout(context, ToTimeval(timeout));
  redisEnableKeepAlive(context);
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context, timeout));

  std::vector<Command> setup;
  if (!endpoint.password.empty()) {
    setup.push_back(endpoint.user.empty() ? Command{"AUTH", endpoint.password}
                                          : Command{"AUTH", endpoint.user, endpoint.password});
  }
  if (endpoint.database != 0) setup.push_back({"SELECT", std::to_string(endpoint.database)});
  if (setup.empty()) return connection;
  auto replies = connection->Pipeline(setup);
  if (!replies.ok()) return replies.status();
  for (const Reply& reply : *replies) {
    if (!reply.IsError()) continue;
    Status status = reply.ErrorStatus();
    if (status.code() == StatusCode::kUnavailable) return status;
    // The server's words (WRONGPASS, NOAUTH, DB index out of range) never include the password.
    return Status::InvalidArgument("redis at " + where +
                                   " refused the login or database: " + std::string(reply.text()));
  }
  return connection;
}

RedisConnection::RedisConnection(redisContext* context, std::chrono::milliseconds timeout)
    : context_(context), timeout_(timeout), opened_at_(std::chrono::steady_clock::now()) {}

RedisConnection::~RedisConnection() { redisFree(context_); }

Status RedisConnection::Lost() const {
  return Status::Unavailable(std::string("redis: connection lost: ") +
                             (context_->errstr[0] ? context_->errstr : "unknown error"));
}

Status RedisConnection::Append(const Command& command) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(command.size());
  lengths.reserve(command.size());
  for (const std::string& arg : command) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    return Lost();
  }
  return Status::Ok();
}

Result<Reply> RedisConnection::Read() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
    if (context_->err == 0) context_->err = REDIS_ERR_OTHER;  // never reuse a half-read stream
    return Lost();
  }
  return Reply(static_cast<redisReply*>(raw));
}

Result<Reply> RedisConnection::Run(const Command& command) {
  if (broken()) return Lost();
  SigpipeGuard guard;
  if (Status appended = Append(command); !appended.ok()) return appended;
  return Read();
}

Result<std::vector<Reply>> RedisConnection::Pipeline(const std::vector<Command>& commands) {
  if (broken()) return Lost();
  SigpipeGuard guard;
  for (const Command& command : commands) {
    if (Status appended = Append(command); !appended.ok()) return appended;
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    auto reply = Read();
    if (!reply.ok()) return reply.status();
    replies.push_back(std::move(*reply));
  }
  return replies;
}

Result<Reply> RedisConnection::Eval(const Script& script, const std::vector<std::string>& keys,
                                    const std::vector<std::string>& args) {
  Command command;
  command.reserve(3 + keys.size() + args.size());
  command.push_back("EVALSHA");
  command.push_back(script.sha1);
  command.push_back(std::to_string(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  auto reply = Run(command);
  if (!reply.ok()) return reply;
  if (reply->IsError() && reply->text().starts_with("NOSCRIPT")) {
    command[0] = "EVAL";
    command[1] = script.body;
    reply = Run(command);
    if (!reply.ok()) return reply;
  }
  if (Status error = reply->ErrorStatus(); !error.ok()) return error;
  return reply;
}

void RedisConnection::SetReadTimeout(std::chrono::milliseconds timeout) {
  redisSetTimeout(context_, ToTimeval(timeout));
}

bool RedisConnection::StillAlive() {
  if (broken()) return false;
  pollfd polled{context_->fd, POLLIN, 0};
  int ready = ::poll(&polled, 1, 0);
  return ready == 0;
}

Result<Reply> RunOn(RedisPool& pool, const Command& command) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Run(command);
  if (!reply.ok()) return reply;
  if (Status error = reply->ErrorStatus(); !error.ok()) return error;
  return reply;
}

Status WarmUp(RedisPool& pool, int count) {
  std::vector<RedisPool::Lease> warm;
  for (int i = 0; i < std::max(1, count); ++i) {
    auto lease = pool.Acquire();
    if (!lease.ok()) {
      return lease.status().code() == StatusCode::kUnavailable ? Status::Ok() : lease.status();
    }
    warm.push_back(std::move(*lease));
  }
  auto pong = warm.front()->Run({"PING"});
  if (!pong.ok())
    return pong.status().code() == StatusCode::kUnavailable ? Status::Ok() : pong.status();
  return pong->ErrorStatus();
}

}  // namespace valet::adapters::redis
