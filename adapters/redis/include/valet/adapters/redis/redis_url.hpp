#pragma once

#include <string>

#include "valet/ports/status.hpp"

namespace valet::adapters::redis {

// Where a Redis server is and how to log in, from REDIS_URL.
struct RedisEndpoint {
  std::string host = "127.0.0.1";  // empty when `unix_path` is set
  int port = 6379;
  std::string unix_path;
  std::string user;  // Redis 6 ACL user; empty: AUTH with the password alone
  std::string password;
  int database = 0;
};

// Parses `redis://[[user]:password@]host[:port][/db]` and `unix://[[user]:password@]/path[?db=N]`
// (user and password percent-decoded). `rediss://` (TLS) is refused with kInvalidArgument: the
// hiredis this is built on cannot speak TLS, and valet never falls back to plaintext. Error
// messages never repeat the password.
Result<RedisEndpoint> ParseRedisUrl(const std::string& url);

}  // namespace valet::adapters::redis
