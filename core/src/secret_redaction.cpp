#include "valet/core/secret_redaction.hpp"

namespace valet::core {

namespace {

std::string PasswordValue(const std::string& dsn) {
  // key=value form: password=secret or password='secret with spaces'
  auto at = dsn.find("password=");
  if (at == std::string::npos || (at > 0 && dsn[at - 1] != ' ')) return "";
  std::size_t start = at + 9;
  if (start < dsn.size() && dsn[start] == '\'') {
    auto end = dsn.find('\'', start + 1);
    return dsn.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
  }
  return dsn.substr(start, dsn.find(' ', start) - start);
}

}  // namespace

std::vector<std::string> SecretPartsOf(const std::string& dsn) {
  std::vector<std::string> parts;
  auto scheme = dsn.find("://");
  if (scheme == std::string::npos) {
    if (std::string password = PasswordValue(dsn); !password.empty()) parts.push_back(password);
    return parts;
  }
  std::size_t start = scheme + 3;
  std::size_t end = dsn.find_first_of("/?#", start);
  std::string authority = dsn.substr(start, end == std::string::npos ? end : end - start);
  auto at = authority.rfind('@');
  std::string userinfo = at == std::string::npos ? authority : authority.substr(0, at);
  auto colon = userinfo.find(':');
  if (colon != std::string::npos && colon + 1 < userinfo.size()) {
    std::string secret = userinfo.substr(colon + 1);
    // Without an '@', digits after the ':' are just the port.
    if (at == std::string::npos && secret.find_first_not_of("0123456789") == std::string::npos) {
      return parts;
    }
    parts.push_back(secret);
    // A client may quote a fragment of it: up to the next ':' (the "port" of host:port:...).
    if (auto next = secret.find(':'); next != std::string::npos && next > 0) {
      parts.push_back(secret.substr(0, next));
    }
  }
  return parts;
}

std::string Redacted(std::string message, const std::string& dsn) {
  for (const std::string& secret : SecretPartsOf(dsn)) {
    for (auto at = message.find(secret); at != std::string::npos;
         at = message.find(secret, at + 3)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

}  // namespace valet::core
