#include "valet/core/access_policy.hpp"

#include <gtest/gtest.h>

namespace valet::core {
namespace {

const AccessPolicy kTokens({"full-0123456789abcdef", "second-full-0123456789"},
                           {"read-0123456789abcdef"});

TEST(AccessPolicyTest, WithoutTokensEveryoneHasFullAccess) {
  AccessPolicy open;
  EXPECT_TRUE(open.open());
  EXPECT_EQ(open.Grant(""), Access::kFull);
  EXPECT_EQ(open.GrantHeader("Bearer anything"), Access::kFull);
}

TEST(AccessPolicyTest, EachTokenGivesItsOwnScope) {
  EXPECT_FALSE(kTokens.open());
  EXPECT_EQ(kTokens.Grant("full-0123456789abcdef"), Access::kFull);
  EXPECT_EQ(kTokens.Grant("second-full-0123456789"), Access::kFull);
  EXPECT_EQ(kTokens.Grant("read-0123456789abcdef"), Access::kRead);
}

TEST(AccessPolicyTest, ANearMissIsNoAccess) {
  for (const char* guess : {"", "full-0123456789abcde", "full-0123456789abcdefg",
                            "Full-0123456789abcdef", "full-0123456789abcdeF", "read"}) {
    EXPECT_EQ(kTokens.Grant(guess), Access::kNone) << guess;
  }
}

TEST(AccessPolicyTest, TheHeaderMustUseTheBearerScheme) {
  EXPECT_EQ(kTokens.GrantHeader("Bearer full-0123456789abcdef"), Access::kFull);
  EXPECT_EQ(kTokens.GrantHeader("bearer   read-0123456789abcdef "), Access::kRead);
  EXPECT_EQ(kTokens.GrantHeader("Basic full-0123456789abcdef"), Access::kNone);
  EXPECT_EQ(kTokens.GrantHeader("Bearerfull-0123456789abcdef"), Access::kNone);
  EXPECT_EQ(kTokens.GrantHeader("full-0123456789abcdef"), Access::kNone);
  EXPECT_EQ(kTokens.GrantHeader("Bearer"), Access::kNone);
  EXPECT_EQ(kTokens.GrantHeader(""), Access::kNone);
}

TEST(AccessPolicyTest, AnOpenApiMayListenOnLoopbackOnly) {
  AccessPolicy open;
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "::1"}) {
    EXPECT_TRUE(open.CheckBindAddress("server.http.host", host).ok()) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "127.0.0.1.example.com", "example.com"}) {
    Status refused = open.CheckBindAddress("server.http.host", host);
    EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument) << host;
    const std::string& error = refused.message();
    EXPECT_NE(error.find("server.http.host is " + std::string(host)), std::string::npos) << error;
    EXPECT_NE(error.find("VALET_API_TOKEN"), std::string::npos) << error;
  }
  EXPECT_TRUE(kTokens.CheckBindAddress("server.http.host", "0.0.0.0").ok());
  EXPECT_TRUE(AccessPolicy({}, {}, /*allow_unauthenticated=*/true)
                  .CheckBindAddress("server.grpc.host", "0.0.0.0")
                  .ok());
}

TEST(AccessPolicyTest, OnlyGetHeadAndOptionsAreReads) {
  for (const char* method : {"GET", "HEAD", "OPTIONS"}) EXPECT_TRUE(IsReadMethod(method));
  for (const char* method : {"POST", "PATCH", "PUT", "DELETE", "get"}) {
    EXPECT_FALSE(IsReadMethod(method)) << method;
  }
}

}  // namespace
}  // namespace valet::core
