#include "mysql_dsn.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace valet::adapters::mysql {

namespace {

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned int byte = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16).ptr ==
            text.data() + i + 3) {
      out.push_back(static_cast<char>(byte));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

Status BadDsn(const std::string& why) {
  return Status::InvalidArgument("MYSQL_DSN: " + why +
                                 " (expected mysql://user:password@host:port/database)");
}

}  // namespace

Result<MysqlEndpoint> ParseDsn(const std::string& dsn) {
  MysqlEndpoint endpoint;
  std::string rest = dsn;
  bool uri = rest.rfind("mysql://", 0) == 0 || rest.rfind("mariadb://", 0) == 0;
  if (uri) rest = rest.substr(rest.find("://") + 3);
  if (auto query = rest.find('?'); query != std::string::npos) rest.resize(query);
  // The credentials end at the last '@' before the address: a password may contain '@'.
  std::string address = rest;
  // Only text after the credentials is ever quoted back: without an '@' any part may be the
  // password.
  bool credentials_split = false;
  auto quoted = [&](const std::string& part) {
    return credentials_split ? " \"" + part + "\"" : std::string();
  };
  if (auto at = rest.rfind('@', rest.find('/')); at != std::string::npos) {
    credentials_split = true;
    std::string credentials = rest.substr(0, at);
    address = rest.substr(at + 1);
    auto colon = credentials.find(':');
    endpoint.user = credentials.substr(0, colon);
    if (colon != std::string::npos) endpoint.password = credentials.substr(colon + 1);
    if (uri) {
      endpoint.user = PercentDecode(endpoint.user);
      endpoint.password = PercentDecode(endpoint.password);
    }
  }
  auto slash = address.find('/');
  std::string host_port = address.substr(0, slash);
  if (slash != std::string::npos) endpoint.database = address.substr(slash + 1);
  if (!uri) {
    // Go form: tcp(host:port); anything else (unix sockets) is not supported.
    if (host_port.rfind("tcp(", 0) != 0 || host_port.back() != ')') {
      return BadDsn("unsupported address" + quoted(host_port));
    }
    host_port = host_port.substr(4, host_port.size() - 5);
  }
  if (auto colon = host_port.rfind(':'); colon != std::string::npos) {
    std::string port = host_port.substr(colon + 1);
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), endpoint.port);
    if (error != std::errc() || end != port.data() + port.size() || endpoint.port == 0 ||
        endpoint.port > 65535) {
      return BadDsn("bad port" + quoted(port));
    }
    host_port.resize(colon);
  }
  if (!host_port.empty()) endpoint.host = host_port;
  if (endpoint.user.empty()) return BadDsn("no user");
  if (endpoint.database.empty()) return BadDsn("no database");
  return endpoint;
}

bool IsValidDatabaseName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '_';
  });
}

}  // namespace valet::adapters::mysql
