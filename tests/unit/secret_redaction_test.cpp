#include "valet/core/secret_redaction.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace valet::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SecretRedactionTest, FindsThePasswordOfAUrl) {
  EXPECT_THAT(SecretPartsOf("postgresql://valet:S3cret@db:5432/jobs"), ElementsAre("S3cret"));
  EXPECT_THAT(SecretPartsOf("redis://:S3cret@127.0.0.1:6379/0"), ElementsAre("S3cret"));
  EXPECT_THAT(SecretPartsOf("amqp://guest:p@ss@host/"), ElementsAre("p@ss"));
}

TEST(SecretRedactionTest, WithoutAnAtSignTreatsWhatFollowsTheColonAsSecret) {
  EXPECT_THAT(SecretPartsOf("postgresql://valet:S3cret/jobs"), ElementsAre("S3cret"));
  EXPECT_THAT(SecretPartsOf("postgresql://valet:S3cret:x/jobs"), ElementsAre("S3cret:x", "S3cret"));
  // A plain port is not a secret.
  EXPECT_THAT(SecretPartsOf("postgresql://localhost:5432/jobs"), IsEmpty());
}

TEST(SecretRedactionTest, FindsThePasswordOfKeyValueForm) {
  EXPECT_THAT(SecretPartsOf("host=db user=valet password=S3cret dbname=jobs"),
              ElementsAre("S3cret"));
  EXPECT_THAT(SecretPartsOf("host=db password='two words'"), ElementsAre("two words"));
  EXPECT_THAT(SecretPartsOf("host=db user=valet"), IsEmpty());
}

TEST(SecretRedactionTest, ReplacesEveryOccurrence) {
  EXPECT_EQ(Redacted("invalid integer value \"S3cret\" for \"port\"; S3cret again",
                     "postgresql://valet:S3cret/jobs"),
            "invalid integer value \"***\" for \"port\"; *** again");
  EXPECT_EQ(Redacted("nothing to hide", "postgresql://valet@db/jobs"), "nothing to hide");
}

}  // namespace
}  // namespace valet::core
