#include "valet/core/duration_format.hpp"

#include <gtest/gtest.h>

namespace valet::core {
namespace {

using std::chrono::milliseconds;

TEST(DurationFormatTest, ReadsGoStyleDurations) {
  EXPECT_EQ(ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(ParseDuration("30s"), milliseconds(30'000));
  EXPECT_EQ(ParseDuration("15m"), milliseconds(900'000));
  EXPECT_EQ(ParseDuration("1h30m"), milliseconds(5'400'000));
  EXPECT_EQ(ParseDuration("1m1s1ms"), milliseconds(61'001));
  EXPECT_EQ(ParseDuration("0s"), milliseconds(0));
}

TEST(DurationFormatTest, RefusesAnythingElse) {
  for (const char* text :
       {"", "30", "s", "1.5s", "-1s", "1d", "1 s", "1s ", "ms", "1hh", "99999999999999999999h"}) {
    EXPECT_FALSE(ParseDuration(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace valet::core
