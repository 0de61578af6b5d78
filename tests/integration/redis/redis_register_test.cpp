// The adapters as config.yaml builds them: their settings, their defaults and REDIS_URL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "redis_test_support.hpp"
#include "valet/adapters/redis/register.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RedisRegisterTest : public ::testing::Test {
 protected:
  RedisRegisterTest() { adapters::redis::Register(registry_); }

  // Builds the repository from `section`, with REDIS_URL = `url`.
  Status BuildRepository(const Json& section, const std::string& url) {
    core::AdapterSettings settings{
        section, "repository.redis", clock_, logger_,
        [url](const std::string& name) { return name == "REDIS_URL" ? url : std::string(); }};
    const auto* entry = registry_.FindRepository("redis");
    if (!entry) return Status::Internal("redis repository not registered");
    return entry->factory(settings).status();
  }
  Status BuildQueue(const Json& section, const std::string& url) {
    core::AdapterSettings settings{section, "job_queue.redis", clock_, logger_,
                                   [url](const std::string&) { return url; }};
    const auto* entry = registry_.FindQueue("redis");
    if (!entry) return Status::Internal("redis queue not registered");
    return entry->factory(settings).status();
  }

  std::string TestUrl() {
    const char* url = std::getenv("REDIS_URL");
    EXPECT_TRUE(url && *url) << "REDIS_URL is not set: eval \"$(scripts/servers.sh)\"";
    return url ? url : "";
  }

  core::AdapterRegistry registry_;
  FakeClock clock_;
  RecordingLogger logger_;
};

TEST_F(RedisRegisterTest, BuildsBothAdaptersFromTheirSections) {
  EXPECT_TRUE(BuildRepository(Json{{"key_prefix", FreshPrefix()},
                                   {"pool_size", 0},
                                   {"min_idle_conns", 0},
                                   {"result_ttl", 60000}},
                              TestUrl())
                  .ok());
  EXPECT_TRUE(
      BuildQueue(Json{{"key_prefix", FreshPrefix()}, {"lease", 5000}, {"prefetch", 2}}, TestUrl())
          .ok());
  EXPECT_TRUE(BuildQueue(Json(nullptr), TestUrl()).ok());  // every default
}

TEST_F(RedisRegisterTest, MissingRedisUrlSaysWhereToSetIt) {
  Status status = BuildRepository(Json::object(), "");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("REDIS_URL is not set"));
  EXPECT_THAT(status.message(), HasSubstr("/run/secrets/redis_url"));
}

TEST_F(RedisRegisterTest, TlsUrlStopsStartUp) {
  Status status = BuildQueue(Json::object(), "rediss://:hunter2@127.0.0.1:6380/0");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("TLS"));
  EXPECT_THAT(status.message(), Not(HasSubstr("hunter2")));
}

TEST_F(RedisRegisterTest, BadSettingsNameTheirKey) {
  EXPECT_THAT(BuildRepository(Json{{"result_tll", 5}}, TestUrl()).message(),
              HasSubstr("repository.redis.result_tll: unknown key"));
  EXPECT_THAT(BuildQueue(Json{{"lease", 5}}, TestUrl()).message(),
              HasSubstr("job_queue.redis.lease must be an integer from 100"));
  EXPECT_THAT(BuildQueue(Json{{"key_prefix", "a{b}"}}, TestUrl()).message(),
              HasSubstr("job_queue.redis.key_prefix"));
  EXPECT_THAT(BuildRepository(Json{{"pool_size", "ten"}}, TestUrl()).message(),
              HasSubstr("repository.redis.pool_size"));
}

}  // namespace
}  // namespace valet::testing
