#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "valet/core/adapter_registry.hpp"
#include "valet/core/connection_pool.hpp"

namespace valet::core {

// Readers for an adapter's config section. A missing or null key leaves `out` as it was (the
// default); a value of the wrong type or out of range is kInvalidArgument naming the full key,
// e.g. "repository.postgres.max_open_connections must be an integer from 1 to 1000, got -1".
// Like config.yaml's own sections: the section must be a mapping (or absent), and a key the
// adapter does not know is a typo, not a default.
Status CheckKeys(const AdapterSettings& settings, std::initializer_list<const char*> known);

Status ReadInteger(const AdapterSettings& settings, const char* key, std::int64_t min,
                   std::int64_t max, std::int64_t& out);
Status ReadString(const AdapterSettings& settings, const char* key, std::string& out);

// The mapping under `key` as settings of its own, named e.g. "server.http.cors"; nullopt when the
// key is absent or null. Its `section` refers into `settings.section`.
std::optional<AdapterSettings> Subsection(const AdapterSettings& settings, const char* key);

// An API server's `tls: {cert_file, key_file}`: PEM files, both or neither. A file that cannot be
// read is an error here, so a typo stops start-up instead of leaving the server in plaintext.
struct TlsFiles {
  std::string cert_file;  // the certificate chain, the server's own certificate first
  std::string key_file;   // its private key, unencrypted
  bool enabled() const { return !cert_file.empty(); }
};
Status ReadTlsFiles(const AdapterSettings& settings, TlsFiles& out);

// An API server's `host`: a non-empty name or address that `access` allows it to listen on.
Status ReadListenHost(const AdapterSettings& settings, const AccessPolicy& access,
                      std::string& host);

// valet's keys for an SQL connection pool: connection_max_lifetime (ms), max_idle_connections and
// max_open_connections. As in valet, 0 keeps the default.
Status ReadPoolOptions(const AdapterSettings& settings, ConnectionPoolOptions& out);

}  // namespace valet::core
