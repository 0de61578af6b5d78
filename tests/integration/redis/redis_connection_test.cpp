// The connection layer: lost connections are kUnavailable values, never a signal.
#include <gtest/gtest.h>

#include <thread>

#include "redis_test_support.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

TEST(RedisConnectionTest, WritingToAConnectionTheServerClosedIsUnavailableNotSigpipe) {
  auto victim = OpenConnection();
  auto killer = OpenConnection();
  ASSERT_TRUE(victim && killer);
  auto id = victim->Run({"CLIENT", "ID"});
  ASSERT_TRUE(id.ok());
  auto killed = killer->Run({"CLIENT", "KILL", "ID", std::to_string(id->integer())});
  ASSERT_TRUE(killed.ok());
  ASSERT_EQ(killed->integer(), 1);
  std::this_thread::sleep_for(milliseconds(50));

  EXPECT_FALSE(victim->StillAlive());
  // Several large writes: once the server has reset the connection, a write raises SIGPIPE,
  // whose default action would end this test program.
  std::vector<adapters::redis::Command> big(8, {"SET", "{x}:never", std::string(4 << 20, 'x')});
  auto sent = victim->Pipeline(big);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(victim->broken());
  EXPECT_EQ(victim->Run({"PING"}).status().code(), StatusCode::kUnavailable);
}

TEST(RedisConnectionTest, ScriptsRunAgainAfterTheServerForgetsThem) {
  auto connection = OpenConnection();
  ASSERT_NE(connection, nullptr);
  adapters::redis::Script script("return ARGV[1] .. KEYS[1]");
  auto first = connection->Eval(script, {"{t}:k"}, {"v"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->text(), "v{t}:k");
  // As after a restart: EVALSHA gets NOSCRIPT, and the script is sent whole once.
  ASSERT_TRUE(connection->Run({"SCRIPT", "FLUSH"}).ok());
  auto again = connection->Eval(script, {"{t}:k"}, {"w"});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->text(), "w{t}:k");
  auto sha = connection->Run({"SCRIPT", "LOAD", script.body});
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(sha->text(), script.sha1);  // our SHA-1 is the server's
}

}  // namespace
}  // namespace valet::testing
