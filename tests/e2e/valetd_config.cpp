#include "valetd_config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace valet::e2e {

std::string ValetdConfig::DefaultRepository() {
  const char* repository = std::getenv("VALET_E2E_REPOSITORY");
  return repository && *repository ? repository : "memory";
}

std::string ValetdConfig::DefaultQueue() {
  const char* queue = std::getenv("VALET_E2E_QUEUE");
  return queue && *queue ? queue : "memory";
}

bool ValetdConfig::Serves(const std::string& protocol) const {
  return std::find(protocols.begin(), protocols.end(), protocol) != protocols.end();
}

std::string ValetdConfig::ToYaml() const {
  // Each valetd gets an empty schema (database, on MySQL; key prefix, on Redis), as it would get
  // an empty memory repository.
  static int started = 0;
  std::string name = backend_name.empty()
                         ? "e2e_" + std::to_string(getpid()) + "_" + std::to_string(++started)
                         : backend_name;
  std::string yaml;
  yaml += "server:\n";
  std::string protocol_list;
  for (const std::string& protocol : protocols) {
    protocol_list += (protocol_list.empty() ? "" : ", ") + protocol;
  }
  yaml +=
      "  protocol: " + (protocols.size() == 1 ? protocol_list : "[" + protocol_list + "]") + "\n";
  if (allow_unauthenticated) yaml += "  allow_unauthenticated: true\n";
  yaml += "  http:\n";
  yaml += "    host: " + host + "\n";
  yaml += "    port: " + std::to_string(port) + "\n";
  yaml += "    max_body_bytes: " + std::to_string(max_body_bytes) + "\n";
  if (max_connections > 0) yaml += "    max_connections: " + std::to_string(max_connections) + "\n";
  if (request_timeout_ms > 0) {
    yaml += "    request_timeout: " + std::to_string(request_timeout_ms) + "\n";
  }
  if (!cors_origins.empty()) {
    std::string list;
    for (const std::string& origin : cors_origins) {
      list += (list.empty() ? "\"" : ", \"") + origin + "\"";
    }
    yaml += "    cors:\n      allowed_origins: [" + list + "]\n";
  }
  std::string tls;
  if (!tls_cert_file.empty()) {
    tls =
        "    tls:\n      cert_file: " + tls_cert_file + "\n      key_file: " + tls_key_file + "\n";
  }
  yaml += tls;
  if (Serves("grpc")) {
    yaml += "  grpc:\n";
    yaml += "    host: 127.0.0.1\n";
    yaml += "    port: " + std::to_string(grpc_port < 0 ? 0 : grpc_port) + "\n";
    if (grpc_max_message_bytes > 0) {
      yaml += "    max_message_bytes: " + std::to_string(grpc_max_message_bytes) + "\n";
    }
    if (grpc_max_threads > 0) yaml += "    max_threads: " + std::to_string(grpc_max_threads) + "\n";
    if (grpc_handshake_timeout_ms > 0) {
      yaml += "    handshake_timeout: " + std::to_string(grpc_handshake_timeout_ms) + "\n";
    }
    if (grpc_idle_timeout_ms > 0) {
      yaml += "    idle_timeout: " + std::to_string(grpc_idle_timeout_ms) + "\n";
    }
    yaml += tls;
  }
  yaml += "job_queue:\n";
  yaml += "  option: " + queue + "\n";
  yaml += "  memory_job_queue:\n";
  yaml += "    capacity: " + std::to_string(queue_capacity) + "\n";
  if (queue == "redis") {
    yaml += "  redis:\n";
    yaml += "    key_prefix: " + name + "\n";
    if (redis_lease_ms > 0) yaml += "    lease: " + std::to_string(redis_lease_ms) + "\n";
  }
  if (queue == "rabbitmq") {
    // A queue of its own per valetd, deleted by the broker once that valetd stops consuming.
    yaml += "  rabbitmq:\n";
    yaml += "    queue_params:\n";
    yaml += "      name: " + name + "\n";
    // A named queue outlives its valetd, for the next one.
    if (backend_name.empty()) yaml += "      delete_when_unused: true\n";
  }
  yaml += "worker_pool:\n";
  yaml += "  workers: " + std::to_string(workers) + "\n";
  yaml += "  max_retries: " + std::to_string(max_retries) + "\n";
  if (lease_ms > 0) yaml += "  lease: " + std::to_string(lease_ms) + "ms\n";
  if (retry_backoff_ms > 0) yaml += "  retry_backoff: " + std::to_string(retry_backoff_ms) + "ms\n";
  yaml += "scheduler:\n";
  yaml += "  repository_polling_interval: " + std::to_string(repository_polling_interval_ms) + "\n";
  yaml += "  job_queue_polling_interval: 100\n";
  if (requeue_stranded_after_ms > 0) {
    yaml += "  requeue_stranded_after: " + std::to_string(requeue_stranded_after_ms) + "ms\n";
  }
  if (!role.empty()) yaml += "role: " + role + "\n";
  yaml += "repository:\n";
  yaml += "  option: " + repository + "\n";
  if (repository == "postgres" || repository == "mysql") {
    yaml += "  " + repository + ":\n";
    yaml += std::string(repository == "postgres" ? "    schema: " : "    database: ") + name + "\n";
  } else if (repository == "redis") {
    yaml += "  redis:\n";
    yaml += "    key_prefix: " + name + "\n";
  }
  yaml += "timeout_unit: millisecond\n";
  yaml += "shutdown_grace_period: " + std::to_string(shutdown_grace_period_ms) + "\n";
  yaml += "logging_format: text\n";
  yaml += extra_yaml;
  return yaml;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::string error = std::strerror(errno);
    close(fd);
    throw std::runtime_error("cannot find a free port: " + error);
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace valet::e2e
