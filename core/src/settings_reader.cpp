#include "valet/core/settings_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace valet::core {

namespace {

const Json* Find(const AdapterSettings& settings, const char* key) {
  if (!settings.section.is_object()) return nullptr;
  auto it = settings.section.find(key);
  return it == settings.section.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

Status ReadInteger(const AdapterSettings& settings, const char* key, std::int64_t min,
                   std::int64_t max, std::int64_t& out) {
  const Json* value = Find(settings, key);
  if (!value) return Status::Ok();
  if (!value->is_number_integer() || value->get<std::int64_t>() < min ||
      value->get<std::int64_t>() > max) {
    return Status::InvalidArgument(settings.key + "." + key + " must be an integer from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got " +
                                   JsonText(*value));
  }
  out = value->get<std::int64_t>();
  return Status::Ok();
}

Status CheckKeys(const AdapterSettings& settings, std::initializer_list<const char*> known) {
  if (settings.section.is_null()) return Status::Ok();
  std::string valid;
  for (const char* candidate : known) valid += (valid.empty() ? "" : ", ") + std::string(candidate);
  if (!settings.section.is_object()) {
    return Status::InvalidArgument(settings.key + " must be a mapping with the keys " + valid);
  }
  for (const auto& [key, value] : settings.section.items()) {
    bool found = false;
    for (const char* candidate : known) found |= key == candidate;
    if (!found) {
      std::string name = JsonText(Json(key));  // quoted and escaped, for a one-line message
      return Status::InvalidArgument(settings.key + "." + name.substr(1, name.size() - 2) +
                                     ": unknown key - valid keys: " + valid);
    }
  }
  return Status::Ok();
}

Status ReadString(const AdapterSettings& settings, const char* key, std::string& out) {
  const Json* value = Find(settings, key);
  if (!value) return Status::Ok();
  if (!value->is_string()) {
    return Status::InvalidArgument(settings.key + "." + key + " must be a string, got " +
                                   JsonText(*value));
  }
  out = value->get<std::string>();
  return Status::Ok();
}

std::optional<AdapterSettings> Subsection(const AdapterSettings& settings, const char* key) {
  const Json* value = Find(settings, key);
  if (!value) return std::nullopt;
  return AdapterSettings{*value,          settings.key + "." + key, settings.clock,
                         settings.logger, settings.secret,          settings.queue_capacity};
}

Status ReadTlsFiles(const AdapterSettings& settings, TlsFiles& out) {
  std::optional<AdapterSettings> tls = Subsection(settings, "tls");
  if (!tls) return Status::Ok();
  if (Status keys = CheckKeys(*tls, {"cert_file", "key_file"}); !keys.ok()) return keys;
  TlsFiles files;
  for (Status status : {ReadString(*tls, "cert_file", files.cert_file),
                        ReadString(*tls, "key_file", files.key_file)}) {
    if (!status.ok()) return status;
  }
  if (files.cert_file.empty() || files.key_file.empty()) {
    return Status::InvalidArgument(tls->key +
                                   " needs both cert_file and key_file (paths to PEM files)");
  }
  for (const auto& [name, path] :
       {std::pair{"cert_file", &files.cert_file}, std::pair{"key_file", &files.key_file}}) {
    std::ifstream file(*path);
    if (!file) {
      return Status::InvalidArgument(tls->key + "." + name + ": cannot read " + *path + ": " +
                                     std::strerror(errno));
    }
  }
  out = std::move(files);
  return Status::Ok();
}

Status ReadListenHost(const AdapterSettings& settings, const AccessPolicy& access,
                      std::string& host) {
  if (Status read = ReadString(settings, "host", host); !read.ok()) return read;
  if (host.empty()) {
    return Status::InvalidArgument(settings.key + ".host must be a host name or address");
  }
  return access.CheckBindAddress(settings.key + ".host", host);
}

Status ReadPoolOptions(const AdapterSettings& settings, ConnectionPoolOptions& out) {
  std::int64_t lifetime = 0;
  std::int64_t idle = 0;
  std::int64_t open = 0;
  for (Status status : {ReadInteger(settings, "connection_max_lifetime", 0, 86'400'000, lifetime),
                        ReadInteger(settings, "max_idle_connections", 0, 1000, idle),
                        ReadInteger(settings, "max_open_connections", 0, 1000, open)}) {
    if (!status.ok()) return status;
  }
  if (lifetime > 0) out.max_lifetime = std::chrono::milliseconds(lifetime);
  if (idle > 0) out.max_idle = static_cast<int>(idle);
  if (open > 0) out.max_open = static_cast<int>(open);
  return Status::Ok();
}

}  // namespace valet::core
