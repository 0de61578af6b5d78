#include "valet/core/uuid_generator.hpp"

#include <gtest/gtest.h>

#include <set>

namespace valet::core {
namespace {

TEST(UuidGeneratorTest, MakesDistinctVersion4Uuids) {
  UuidGenerator ids;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = ids.NewId();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(UuidGeneratorTest, NameBasedUuidsAreVersion8AndAFunctionOfTheName) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string name = "schedule:6df41391-1203-4958-9a98-dc94366e1428@" + std::to_string(i);
    std::string id = NameBasedUuid(name);
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '8');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_EQ(NameBasedUuid(name), id);
    EXPECT_TRUE(seen.insert(id).second) << name;
  }
  EXPECT_NE(NameBasedUuid("a"), NameBasedUuid("b"));
  EXPECT_NE(NameBasedUuid(""), NameBasedUuid(std::string(1, '\0')));
}

TEST(UuidGeneratorTest, RecognisesOnlyCanonicalUuids) {
  EXPECT_TRUE(IsUuid("6DF41391-1203-4958-9a98-dc94366e1428"));
  EXPECT_FALSE(IsUuid("6df41391120349589a98dc94366e1428"));
  EXPECT_FALSE(IsUuid("6df41391-1203-4958-9a98-dc94366e142g"));
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid(""));
}

}  // namespace
}  // namespace valet::core
