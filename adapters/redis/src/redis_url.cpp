#include "valet/adapters/redis/redis_url.hpp"

#include <charconv>

namespace valet::adapters::redis {

namespace {

Status Bad(const std::string& why) {
  return Status::InvalidArgument("REDIS_URL " + why +
                                 " - expected redis://[user:password@]host[:port][/db]");
}

bool ParseNumber(std::string_view text, int min, int max, int& out) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int high = HexDigit(text[i + 1]);
    int low = HexDigit(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

// "[user]:password@" or "password@" (redis-cli's and go-redis's forms) before the host.
Status ParseCredentials(std::string_view userinfo, RedisEndpoint& endpoint) {
  std::size_t colon = userinfo.find(':');
  std::string_view user =
      colon == std::string_view::npos ? std::string_view() : userinfo.substr(0, colon);
  std::string_view password =
      colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
  if (!PercentDecode(user, endpoint.user) || !PercentDecode(password, endpoint.password)) {
    return Bad("has a malformed %-escape in its user or password");
  }
  return Status::Ok();
}

}  // namespace

Result<RedisEndpoint> ParseRedisUrl(const std::string& url) {
  RedisEndpoint endpoint;
  std::string_view rest = url;
  if (rest.starts_with("rediss://")) {
    return Status::InvalidArgument(
        "REDIS_URL asks for TLS (rediss://), which this build cannot do: hiredis 0.14 has no TLS "
        "support, and valet will not fall back to plaintext - use redis:// on a trusted network "
        "or a TLS tunnel (e.g. stunnel) on 127.0.0.1");
  }
  bool unix_socket = rest.starts_with("unix://");
  if (!unix_socket && !rest.starts_with("redis://")) {
    return Bad("must start with redis:// or unix://");
  }
  rest.remove_prefix(unix_socket ? 7 : 8);

  std::string_view query;
  if (std::size_t mark = rest.find('?'); mark != std::string_view::npos) {
    query = rest.substr(mark + 1);
    rest = rest.substr(0, mark);
  }
  // The userinfo ends at the last '@' before the path, so a password may contain '@' unescaped.
  std::size_t path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    if (Status s = ParseCredentials(authority.substr(0, at), endpoint); !s.ok()) return s;
    rest.remove_prefix(at + 1);
    authority.remove_prefix(at + 1);
  }
  if (unix_socket) {
    if (!authority.empty() || rest.empty()) return Bad("unix:// needs an absolute socket path");
    endpoint.host.clear();
    endpoint.unix_path = std::string(rest);
  } else {
    std::string_view path =
        path_start == std::string_view::npos ? std::string_view() : rest.substr(authority.size());
    std::string_view host = authority;
    if (host.starts_with('[')) {  // [::1]:6379
      std::size_t close = host.find(']');
      if (close == std::string_view::npos) return Bad("has an unclosed [ in its host");
      std::string_view after = host.substr(close + 1);
      host = host.substr(1, close - 1);
      if (after.starts_with(':') && !ParseNumber(after.substr(1), 1, 65535, endpoint.port)) {
        return Bad("has an invalid port");
      }
    } else if (std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      if (!ParseNumber(host.substr(colon + 1), 1, 65535, endpoint.port)) {
        return Bad("has an invalid port");
      }
      host = host.substr(0, colon);
      // "redis://:password127.0.0.1:6379", a forgotten '@': the host would hold the password,
      // and the connection errors would show it.
      if (host.find(':') != std::string_view::npos) {
        return Bad("has a ':' in its host (is the '@' after the password missing?)");
      }
    }
    if (!host.empty()) endpoint.host = std::string(host);
    if (path.starts_with('/')) path.remove_prefix(1);
    if (!path.empty() && !ParseNumber(path, 0, 1'000'000, endpoint.database)) {
      return Bad("has an invalid database number \"" + std::string(path) + "\"");
    }
  }
  // Query parameters: db=N (the form unix:// URLs use); others are ignored.
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.starts_with("db=") && !ParseNumber(pair.substr(3), 0, 1'000'000, endpoint.database)) {
      return Bad("has an invalid db parameter");
    }
  }
  return endpoint;
}

}  // namespace valet::adapters::redis
