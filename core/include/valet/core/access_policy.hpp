#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "valet/ports/status.hpp"

namespace valet::core {

// What a caller of the API may do.
enum class Access { kNone, kRead, kFull };

// The API's bearer tokens: full ones (read and write) and read-only ones. With none configured
// the API is open, which is safe only on a loopback address (see CheckBindAddress). Tokens are
// compared in constant time, so the time a guess takes says nothing about how close it was.
class AccessPolicy {
 public:
  AccessPolicy() = default;  // open
  AccessPolicy(std::vector<std::string> full_tokens, std::vector<std::string> read_tokens,
               bool allow_unauthenticated = false);

  bool open() const { return full_tokens_.empty() && read_tokens_.empty(); }

  // The access a presented token gives (kFull for anyone when the policy is open).
  Access Grant(std::string_view token) const;

  // The access an HTTP Authorization header value ("Bearer <token>") gives.
  Access GrantHeader(std::string_view authorization) const;

  // Whether a server may listen on `host`: always with tokens; without, only on loopback
  // unless `allow_unauthenticated` was set. The kInvalidArgument error names `key` and says what
  // to do.
  Status CheckBindAddress(const std::string& key, const std::string& host) const;

 private:
  std::vector<std::string> full_tokens_;
  std::vector<std::string> read_tokens_;
  bool allow_unauthenticated_ = false;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

// Whether an HTTP method only reads (GET, HEAD, OPTIONS).
bool IsReadMethod(std::string_view method);

}  // namespace valet::core
