#include "valet/core/time_format.hpp"

#include <gtest/gtest.h>

namespace valet::core {
namespace {

using namespace std::chrono;

TEST(TimeFormatTest, FormatsUtcWithTrimmedFraction) {
  TimePoint time = sys_days{2024y / 6 / 1} + 15h + 4min + 5s + 120000us;
  EXPECT_EQ(FormatTime(time), "2024-06-01T15:04:05.12Z");
  EXPECT_EQ(FormatTime(sys_days{2024y / 6 / 1} + 1us), "2024-06-01T00:00:00.000001Z");
  EXPECT_EQ(FormatTime(sys_days{2024y / 6 / 1}), "2024-06-01T00:00:00Z");
}

TEST(TimeFormatTest, ParsesZonesAndFractions) {
  TimePoint expected = sys_days{2024y / 6 / 1} + 13h + 4min + 5s + 999000us;
  EXPECT_EQ(ParseTime("2024-06-01T15:04:05.999+02:00"), expected);
  EXPECT_EQ(ParseTime("2024-06-01T13:04:05.999Z"), expected);
  EXPECT_EQ(ParseTime("2024-06-01T13:04:05.999000999Z"), expected);  // nanoseconds cut
  EXPECT_EQ(ParseTime("2024-06-01T10:04:05.999-03:00"), expected);
}

TEST(TimeFormatTest, RejectsTimesWithoutZoneOrMalformed) {
  EXPECT_EQ(ParseTime("2022-06-06T15:04:05.999"), std::nullopt);  // valet's README example
  EXPECT_EQ(ParseTime("invalid_timestamp_format"), std::nullopt);
  EXPECT_EQ(ParseTime("2024-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseTime("2024-06-01T25:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseTime("2024-06-01T10:00:00.Z"), std::nullopt);
  EXPECT_EQ(ParseTime("2024-06-01T10:00:00Zjunk"), std::nullopt);
  EXPECT_EQ(ParseTime(""), std::nullopt);
}

TEST(TimeFormatTest, RoundTripsBeyond2038) {
  TimePoint far = sys_days{2100y / 1 / 1} + 123456us;
  EXPECT_EQ(ParseTime(FormatTime(far)), far);
}

}  // namespace
}  // namespace valet::core
