#pragma once

#include <memory>
#include <string>
#include <vector>

#include "redis_connection.hpp"
#include "valet/adapters/redis/redis_job_queue.hpp"
#include "valet/adapters/redis/redis_job_repository.hpp"

namespace valet::testing {

// REDIS_URL parsed, or nullopt after recording a test failure that says how to start the server.
std::optional<adapters::redis::RedisEndpoint> RedisTestEndpoint();

// A key prefix of its own for each adapter a test makes ("valet_test_<pid>_<n>"), so tests can
// run in parallel against one server; the keys of every prefix this process made are deleted
// when the test program ends.
std::string FreshPrefix();

// Adapters on a fresh prefix (or the one given); nullptr, with a test failure recorded, if they
// cannot be opened.
std::unique_ptr<adapters::redis::RedisJobRepository> OpenRepository(
    std::string prefix = FreshPrefix(), std::chrono::milliseconds result_ttl = {});
std::unique_ptr<adapters::redis::RedisJobQueue> OpenQueue(
    std::string prefix = FreshPrefix(),
    std::chrono::milliseconds lease = std::chrono::milliseconds{30000}, int prefetch = 1);

// A plain connection to the test server, for looking at keys directly.
std::unique_ptr<adapters::redis::RedisConnection> OpenConnection();

// Every key under `prefix` (SCAN; fine in a test, never done by the adapters).
std::vector<std::string> KeysUnder(const std::string& prefix);

}  // namespace valet::testing
