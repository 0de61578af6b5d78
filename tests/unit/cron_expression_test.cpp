#include "valet/core/cron_expression.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "valet/core/time_format.hpp"

namespace valet::core {
namespace {

TimePoint At(const std::string& rfc3339) {
  auto time = ParseTime(rfc3339);
  EXPECT_TRUE(time.has_value()) << rfc3339;
  return time.value_or(TimePoint{});
}

TimeZone Zone(const std::string& name) {
  auto zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

CronExpression Cron(const std::string& text) {
  auto cron = CronExpression::Parse(text);
  EXPECT_TRUE(cron.ok()) << cron.status().ToString();
  return cron.ok() ? *cron : *CronExpression::Parse("* * * * *");
}

// The next `count` instants after `from`, as RFC 3339 in UTC.
std::vector<std::string> Next(const std::string& text, const std::string& from, int count,
                              const std::string& zone = "UTC") {
  CronExpression cron = Cron(text);
  TimeZone tz = Zone(zone);
  std::vector<std::string> times;
  TimePoint after = At(from);
  for (int i = 0; i < count; ++i) {
    auto next = cron.NextAfter(after, tz);
    if (!next) break;
    times.push_back(FormatTime(*next));
    after = *next;
  }
  return times;
}

using Times = std::vector<std::string>;

TEST(CronExpressionTest, FiveFieldsStartOnTheMinuteAndStrictlyAfter) {
  EXPECT_EQ(Next("*/15 * * * *", "2026-01-01T10:00:00Z", 3),
            (Times{"2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z", "2026-01-01T10:45:00Z"}));
  EXPECT_EQ(Next("0 9 * * *", "2026-01-01T08:59:59.999999Z", 2),
            (Times{"2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z"}));
}

TEST(CronExpressionTest, SixFieldsHaveSecondsFirst) {
  EXPECT_EQ(Next("*/20 * * * * *", "2026-01-01T10:00:05Z", 3),
            (Times{"2026-01-01T10:00:20Z", "2026-01-01T10:00:40Z", "2026-01-01T10:01:00Z"}));
  EXPECT_EQ(Next("30 5 4 * * *", "2026-01-01T00:00:00Z", 1), (Times{"2026-01-01T04:05:30Z"}));
}

TEST(CronExpressionTest, ListsRangesStepsAndNames) {
  EXPECT_EQ(Next("0 8-10,17 * * *", "2026-01-01T09:30:00Z", 3),
            (Times{"2026-01-01T10:00:00Z", "2026-01-01T17:00:00Z", "2026-01-02T08:00:00Z"}));
  EXPECT_EQ(Next("10-50/20 * * * *", "2026-01-01T00:00:00Z", 4),
            (Times{"2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z",
                   "2026-01-01T01:10:00Z"}));
  EXPECT_EQ(Next("45/10 * * * *", "2026-01-01T00:00:00Z", 3),
            (Times{"2026-01-01T00:45:00Z", "2026-01-01T00:55:00Z", "2026-01-01T01:45:00Z"}));
  // 2026-01-01 is a Thursday.
  EXPECT_EQ(Next("0 12 * * MON-fri", "2026-01-01T13:00:00Z", 2),
            (Times{"2026-01-02T12:00:00Z", "2026-01-05T12:00:00Z"}));
  EXPECT_EQ(Next("0 0 1 jul,Dec *", "2026-01-01T00:00:00Z", 2),
            (Times{"2026-07-01T00:00:00Z", "2026-12-01T00:00:00Z"}));
}

TEST(CronExpressionTest, SundayIsZeroOrSeven) {
  Times sundays{"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"};
  EXPECT_EQ(Next("0 0 * * 0", "2026-01-01T00:00:00Z", 2), sundays);
  EXPECT_EQ(Next("0 0 * * 7", "2026-01-01T00:00:00Z", 2), sundays);
  EXPECT_EQ(Next("0 0 * * sun", "2026-01-01T00:00:00Z", 2), sundays);
  EXPECT_EQ(Next("0 0 * * 5-7", "2026-01-01T00:00:00Z", 3),
            (Times{"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"}));
}

TEST(CronExpressionTest, BothDayFieldsRestrictedMeansEither) {
  // The 13th, or any Friday (2026-01-02 and -09 are Fridays).
  EXPECT_EQ(Next("0 0 13 * FRI", "2026-01-01T00:00:00Z", 3),
            (Times{"2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z"}));
  // `?` is `*`: only Fridays.
  EXPECT_EQ(Next("0 0 ? * FRI", "2026-01-01T00:00:00Z", 2),
            (Times{"2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z"}));
}

TEST(CronExpressionTest, MacrosStandForTheirExpressions) {
  EXPECT_EQ(Next("@hourly", "2026-01-01T10:20:00Z", 1), (Times{"2026-01-01T11:00:00Z"}));
  EXPECT_EQ(Next("@daily", "2026-01-01T10:20:00Z", 1), (Times{"2026-01-02T00:00:00Z"}));
  EXPECT_EQ(Next("@midnight", "2026-01-01T10:20:00Z", 1), (Times{"2026-01-02T00:00:00Z"}));
  EXPECT_EQ(Next("@weekly", "2026-01-01T10:20:00Z", 1), (Times{"2026-01-04T00:00:00Z"}));
  EXPECT_EQ(Next("@monthly", "2026-01-01T10:20:00Z", 1), (Times{"2026-02-01T00:00:00Z"}));
  EXPECT_EQ(Next("@yearly", "2026-01-01T10:20:00Z", 1), (Times{"2027-01-01T00:00:00Z"}));
  EXPECT_EQ(Next("@annually", "2026-01-01T10:20:00Z", 1), (Times{"2027-01-01T00:00:00Z"}));
  EXPECT_EQ(Cron("@daily").text(), "@daily");
}

TEST(CronExpressionTest, LeapDaysComeEveryFourYearsButNotIn2100) {
  EXPECT_EQ(Next("0 0 29 2 *", "2025-03-01T00:00:00Z", 2),
            (Times{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}));
  EXPECT_EQ(Next("0 0 29 2 *", "2096-03-01T00:00:00Z", 1), (Times{"2104-02-29T00:00:00Z"}));
  // The 31st skips the months that have none.
  EXPECT_EQ(Next("0 0 31 * *", "2026-01-31T00:00:00Z", 2),
            (Times{"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"}));
}

TEST(CronExpressionTest, LocalTimesFollowTheZone) {
  // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
  EXPECT_EQ(Next("0 9 * * *", "2026-01-15T00:00:00Z", 1, "Europe/Berlin"),
            (Times{"2026-01-15T08:00:00Z"}));
  EXPECT_EQ(Next("0 9 * * *", "2026-07-15T00:00:00Z", 1, "Europe/Berlin"),
            (Times{"2026-07-15T07:00:00Z"}));
  EXPECT_EQ(Next("0 9 * * *", "2026-07-15T00:00:00Z", 1, "America/New_York"),
            (Times{"2026-07-15T13:00:00Z"}));
}

TEST(CronExpressionTest, ATimeTheClocksSkipFiresOnceAtTheChange) {
  // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:30 never happens that day.
  EXPECT_EQ(Next("30 2 * * *", "2026-03-28T00:00:00Z", 3, "Europe/Berlin"),
            (Times{"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}));
  // Hourly: 01:00 CET, then 02:00 (skipped) and 03:00 CEST are the same instant, one tick.
  EXPECT_EQ(Next("0 * * * *", "2026-03-28T23:30:00Z", 3, "Europe/Berlin"),
            (Times{"2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"}));
}

TEST(CronExpressionTest, ATimeTheClocksRepeatFiresOnlyTheFirstTime) {
  // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:30 happens twice, at 00:30
  // and 01:30 UTC. The daily job runs once, at the first.
  EXPECT_EQ(Next("30 2 * * *", "2026-10-24T00:00:00Z", 3, "Europe/Berlin"),
            (Times{"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}));
  // Asked from inside the second 02:xx, the 02:30 already happened: the next is 03:00 CET.
  EXPECT_EQ(Next("30 2,3 * * *", "2026-10-25T01:10:00Z", 1, "Europe/Berlin"),
            (Times{"2026-10-25T02:30:00Z"}));
  // Every 20 minutes: the repeated hour is not run twice.
  EXPECT_EQ(Next("*/20 * * * *", "2026-10-25T00:30:00Z", 4, "Europe/Berlin"),
            (Times{"2026-10-25T00:40:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:20:00Z",
                   "2026-10-25T02:40:00Z"}));
}

TEST(CronExpressionTest, BadExpressionsSayWhatIsWrong) {
  auto message = [](const std::string& text) {
    auto cron = CronExpression::Parse(text);
    EXPECT_FALSE(cron.ok()) << text;
    EXPECT_EQ(cron.status().code(), StatusCode::kInvalidArgument) << text;
    return cron.status().message();
  };
  EXPECT_EQ(message("* * *"),
            "invalid cron expression \"* * *\": expected 5 fields (minute hour day-of-month month "
            "day-of-week) or 6 (with seconds first), got 3");
  EXPECT_EQ(message(""),
            "invalid cron expression \"\": expected 5 fields (minute hour day-of-month month "
            "day-of-week) or 6 (with seconds first), got 0");
  EXPECT_EQ(message("61 * * * *"),
            "invalid cron expression \"61 * * * *\": minute field \"61\": 61 is out of range 0-59");
  EXPECT_EQ(message("* 24 * * *"),
            "invalid cron expression \"* 24 * * *\": hour field \"24\": 24 is out of range 0-23");
  EXPECT_EQ(message("* * 0 * *"),
            "invalid cron expression \"* * 0 * *\": day-of-month field \"0\": 0 is out of range "
            "1-31");
  EXPECT_EQ(message("* * * 13 *"),
            "invalid cron expression \"* * * 13 *\": month field \"13\": 13 is out of range 1-12");
  EXPECT_EQ(message("* * * * 8"),
            "invalid cron expression \"* * * * 8\": day-of-week field \"8\": 8 is out of range "
            "0-7");
  EXPECT_EQ(message("*/0 * * * *"),
            "invalid cron expression \"*/0 * * * *\": minute field \"*/0\": step \"0\" is not a "
            "positive number");
  EXPECT_EQ(message("5-3 * * * *"),
            "invalid cron expression \"5-3 * * * *\": minute field \"5-3\": range \"5-3\" runs "
            "backwards");
  EXPECT_EQ(message("1,,2 * * * *"),
            "invalid cron expression \"1,,2 * * * *\": minute field \"1,,2\": an empty list item");
  EXPECT_EQ(message("? * * * *"),
            "invalid cron expression \"? * * * *\": minute field \"?\": \"?\" is not a number");
  EXPECT_EQ(message("* * * foo *"),
            "invalid cron expression \"* * * foo *\": month field \"foo\": \"foo\" is not a number "
            "or name");
  EXPECT_EQ(message("0 0 30 2 *"),
            "invalid cron expression \"0 0 30 2 *\": it matches no day of the year");
  EXPECT_EQ(message("@often"),
            "invalid cron expression \"@often\": unknown macro; expected @yearly, @annually, "
            "@monthly, @weekly, @daily, @midnight or @hourly");
  EXPECT_EQ(message("-1 * * * *"),
            "invalid cron expression \"-1 * * * *\": minute field \"-1\": \"\" is not a number");
}

TEST(TimeZoneTest, UnknownOrMalformedNamesAreRefused) {
  for (const char* name :
       {"Mars/Olympus", "", "../../etc/passwd", "/etc/localtime", "Europe//Berlin"}) {
    auto zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().message(),
              std::string("unknown time zone \"") + name +
                  "\": expected a tz database name such as UTC, Europe/Berlin or America/New_York");
  }
  EXPECT_EQ(Zone("Etc/GMT+5").name(), "Etc/GMT+5");
  EXPECT_EQ(TimeZone::Utc().name(), "UTC");
}

}  // namespace
}  // namespace valet::core
