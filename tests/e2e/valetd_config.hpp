#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace valet::e2e {

// The settings of a valetd under test; everything in memory, HTTP on 127.0.0.1, times in
// milliseconds so that tests can use short timeouts.
struct ValetdConfig {
  int port = 0;                           // 0: FreePort() is used
  std::string host = "127.0.0.1";         // server.http.host
  bool allow_unauthenticated = false;     // server.allow_unauthenticated
  std::vector<std::string> cors_origins;  // server.http.cors.allowed_origins when not empty
  std::size_t max_body_bytes = 4096;
  int max_connections = 0;     // server.http.max_connections when > 0
  int request_timeout_ms = 0;  // server.http.request_timeout when > 0
  // server.http.tls and server.grpc.tls, when set: both servers use this certificate and key.
  std::string tls_cert_file;
  std::string tls_key_file;
  // server.protocol. HTTP stays on with gRPC, so that the harness can wait on /api/status.
  std::vector<std::string> protocols{"http"};
  int grpc_port = 0;                       // with "grpc": 0 uses FreePort(), -1 writes port 0
  std::size_t grpc_max_message_bytes = 0;  // server.grpc.max_message_bytes when > 0
  int grpc_max_threads = 0;                // server.grpc.max_threads when > 0
  int grpc_handshake_timeout_ms = 0;       // server.grpc.handshake_timeout when > 0
  int grpc_idle_timeout_ms = 0;            // server.grpc.idle_timeout when > 0
  int workers = 4;
  int queue_capacity = 10000;  // job_queue.memory_job_queue.capacity
  int repository_polling_interval_ms = 200;
  int shutdown_grace_period_ms = 5000;
  // "memory", "postgres", "mysql" or "redis" (a schema, database or key prefix of its own per
  // valetd, on POSTGRES_DSN, MYSQL_DSN or REDIS_URL). The default comes from
  // VALET_E2E_REPOSITORY, so one suite can run against each repository.
  std::string repository = DefaultRepository();
  // "memory", "redis" or "rabbitmq" (a queue of its own per valetd, on REDIS_URL or
  // RABBITMQ_URI). The default comes from VALET_E2E_QUEUE.
  std::string queue = DefaultQueue();
  // The schema, database, key prefix or broker queue the backends use; "" gives each valetd a
  // fresh one. Two valetd with the same name share their jobs (a restart after a crash).
  std::string backend_name;
  int redis_lease_ms = 0;             // job_queue.redis.lease when > 0
  int lease_ms = 0;                   // worker_pool.lease when > 0
  int max_retries = 0;                // worker_pool.max_retries
  int retry_backoff_ms = 0;           // worker_pool.retry_backoff when > 0
  int requeue_stranded_after_ms = 0;  // scheduler.requeue_stranded_after when > 0
  std::string role;                   // `role` when not empty
  std::string binary;                 // the server to start; "" for valetd
  std::string extra_yaml;             // appended as it is, e.g. a `schedules:` section

  bool Serves(const std::string& protocol) const;

  static std::string DefaultRepository();
  static std::string DefaultQueue();

  std::string ToYaml() const;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int FreePort();

}  // namespace valet::e2e
