#include "valet/core/access_policy.hpp"

#include <cctype>

namespace valet::core {

namespace {

// Time depends on the length of the secret only, never on where a guess first differs.
bool SameSecret(std::string_view presented, const std::string& secret) {
  unsigned difference = presented.size() == secret.size() ? 0u : 1u;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    unsigned char given = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
    difference |= given ^ static_cast<unsigned char>(secret[i]);
  }
  return difference == 0;
}

bool AnyMatches(std::string_view presented, const std::vector<std::string>& secrets) {
  bool matched = false;
  for (const std::string& secret : secrets) matched |= SameSecret(presented, secret);
  return matched;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

AccessPolicy::AccessPolicy(std::vector<std::string> full_tokens,
                           std::vector<std::string> read_tokens, bool allow_unauthenticated)
    : full_tokens_(std::move(full_tokens)),
      read_tokens_(std::move(read_tokens)),
      allow_unauthenticated_(allow_unauthenticated) {}

Access AccessPolicy::Grant(std::string_view token) const {
  if (open()) return Access::kFull;
  if (token.empty()) return Access::kNone;
  // Both lists are always checked, so the time taken does not tell which one matched.
  bool full = AnyMatches(token, full_tokens_);
  bool read = AnyMatches(token, read_tokens_);
  if (full) return Access::kFull;
  return read ? Access::kRead : Access::kNone;
}

Access AccessPolicy::GrantHeader(std::string_view authorization) const {
  if (open()) return Access::kFull;
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoringCase(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return Access::kNone;
  }
  std::string_view token = authorization.substr(kScheme.size() + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return Grant(token);
}

Status AccessPolicy::CheckBindAddress(const std::string& key, const std::string& host) const {
  if (!open() || allow_unauthenticated_ || IsLoopbackHost(host)) return Status::Ok();
  return Status::InvalidArgument(
      key + " is " + host +
      ", which is not a loopback address, and no API token is configured: set "
      "VALET_API_TOKEN (or /run/secrets/valet_api_token), or server.allow_unauthenticated: "
      "true to serve without authentication");
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8 in dotted form: four numbers, the first 127.
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return dots == 3;
}

bool IsReadMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace valet::core
