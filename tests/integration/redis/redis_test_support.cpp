#include "redis_test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace valet::testing {

namespace {

using adapters::redis::RedisConnection;

std::mutex prefixes_mutex;
std::vector<std::string>& Prefixes() {
  static std::vector<std::string> prefixes;
  return prefixes;
}

std::vector<std::string> ScanKeys(RedisConnection& connection, const std::string& prefix) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = connection.Run({"SCAN", cursor, "MATCH", "{" + prefix + "}:*", "COUNT", "1000"});
    if (!reply.ok() || reply->size() != 2) break;
    cursor = std::string(adapters::redis::TextOf(reply->at(0)));
    const redisReply* batch = reply->at(1);
    for (std::size_t i = 0; i < batch->elements; ++i) {
      keys.emplace_back(adapters::redis::TextOf(batch->element[i]));
    }
  } while (cursor != "0");
  return keys;
}

class DeleteKeys : public ::testing::Environment {
 public:
  void TearDown() override {
    const char* url = std::getenv("REDIS_URL");
    if (!url || !*url) return;
    auto connection = OpenConnection();
    if (!connection) return;
    std::lock_guard lock(prefixes_mutex);
    for (const auto& prefix : Prefixes()) {
      for (const auto& key : ScanKeys(*connection, prefix)) {
        connection->Run({"UNLINK", key}).status().IgnoreError();
      }
    }
  }
};

const auto* const kDeleteKeys = ::testing::AddGlobalTestEnvironment(new DeleteKeys);

}  // namespace

std::optional<adapters::redis::RedisEndpoint> RedisTestEndpoint() {
  const char* url = std::getenv("REDIS_URL");
  if (!url || !*url) {
    ADD_FAILURE() << "REDIS_URL is not set: start the test server with "
                     "eval \"$(scripts/servers.sh)\"";
    return std::nullopt;
  }
  auto endpoint = adapters::redis::ParseRedisUrl(url);
  if (!endpoint.ok()) {
    ADD_FAILURE() << endpoint.status().ToString();
    return std::nullopt;
  }
  return *endpoint;
}

std::string FreshPrefix() {
  static std::atomic<int> next{0};
  std::string prefix = "valet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next);
  std::lock_guard lock(prefixes_mutex);
  Prefixes().push_back(prefix);
  return prefix;
}

std::unique_ptr<adapters::redis::RedisJobRepository> OpenRepository(
    std::string prefix, std::chrono::milliseconds result_ttl) {
  auto endpoint = RedisTestEndpoint();
  if (!endpoint) return nullptr;
  adapters::redis::RedisRepositoryOptions options;
  options.endpoint = *endpoint;
  options.key_prefix = std::move(prefix);
  options.min_idle_conns = 2;
  options.result_ttl = result_ttl;
  auto repository = adapters::redis::RedisJobRepository::Open(options);
  if (!repository.ok()) {
    ADD_FAILURE() << "cannot open the redis repository: " << repository.status().ToString();
    return nullptr;
  }
  return std::move(*repository);
}

std::unique_ptr<adapters::redis::RedisJobQueue> OpenQueue(std::string prefix,
                                                          std::chrono::milliseconds lease,
                                                          int prefetch) {
  auto endpoint = RedisTestEndpoint();
  if (!endpoint) return nullptr;
  adapters::redis::RedisQueueOptions options;
  options.endpoint = *endpoint;
  options.key_prefix = std::move(prefix);
  options.min_idle_conns = 2;
  options.lease = lease;
  options.prefetch = prefetch;
  auto queue = adapters::redis::RedisJobQueue::Open(options);
  if (!queue.ok()) {
    ADD_FAILURE() << "cannot open the redis queue: " << queue.status().ToString();
    return nullptr;
  }
  return std::move(*queue);
}

std::unique_ptr<adapters::redis::RedisConnection> OpenConnection() {
  auto endpoint = RedisTestEndpoint();
  if (!endpoint) return nullptr;
  auto connection = RedisConnection::Open(*endpoint, std::chrono::milliseconds{5000});
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status().ToString();
    return nullptr;
  }
  return std::move(*connection);
}

std::vector<std::string> KeysUnder(const std::string& prefix) {
  auto connection = OpenConnection();
  if (!connection) return {};
  return ScanKeys(*connection, prefix);
}

}  // namespace valet::testing
