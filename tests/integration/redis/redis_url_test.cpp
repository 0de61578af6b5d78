#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valet/adapters/redis/redis_url.hpp"

namespace valet::adapters::redis {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RedisUrlTest, ReadsHostPortAndDatabase) {
  auto endpoint = ParseRedisUrl("redis://10.0.0.5:6380/3");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  EXPECT_EQ(endpoint->host, "10.0.0.5");
  EXPECT_EQ(endpoint->port, 6380);
  EXPECT_EQ(endpoint->database, 3);
  EXPECT_TRUE(endpoint->password.empty());
}

TEST(RedisUrlTest, DefaultsToPort6379AndDatabaseZero) {
  auto endpoint = ParseRedisUrl("redis://cache");
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->host, "cache");
  EXPECT_EQ(endpoint->port, 6379);
  EXPECT_EQ(endpoint->database, 0);
}

TEST(RedisUrlTest, ReadsUserAndPercentEncodedPassword) {
  auto endpoint = ParseRedisUrl("redis://valet:p%40ss%3Aw0rd@127.0.0.1:56379/1");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  EXPECT_EQ(endpoint->user, "valet");
  EXPECT_EQ(endpoint->password, "p@ss:w0rd");
  EXPECT_EQ(endpoint->host, "127.0.0.1");

  auto password_only = ParseRedisUrl("redis://:secret@localhost");
  ASSERT_TRUE(password_only.ok());
  EXPECT_EQ(password_only->user, "");
  EXPECT_EQ(password_only->password, "secret");
}

TEST(RedisUrlTest, ReadsUnixSockets) {
  auto endpoint = ParseRedisUrl("unix:///run/redis/redis.sock?db=2");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  EXPECT_EQ(endpoint->unix_path, "/run/redis/redis.sock");
  EXPECT_EQ(endpoint->database, 2);
}

TEST(RedisUrlTest, RefusesTlsRatherThanFallingBackToPlaintext) {
  auto endpoint = ParseRedisUrl("rediss://:secret@cache.example.com:6380/0");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(endpoint.status().message(), HasSubstr("TLS"));
  EXPECT_THAT(endpoint.status().message(), HasSubstr("plaintext"));
  EXPECT_THAT(endpoint.status().message(), Not(HasSubstr("secret")));
}

TEST(RedisUrlTest, RejectsMalformedUrlsWithoutRepeatingThePassword) {
  for (const char* url : {"http://cache:6379", "redis://cache:notaport", "redis://cache:0",
                          "redis://cache/db", "redis://:pw%zz@cache", "cache:6379",
                          "redis://:pw-no-at-sign127.0.0.1:6379/0", "redis://user:pw.cache:6379"}) {
    auto endpoint = ParseRedisUrl(url);
    EXPECT_EQ(endpoint.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(endpoint.status().message(), Not(HasSubstr("pw"))) << url;
  }
}

}  // namespace
}  // namespace valet::adapters::redis
