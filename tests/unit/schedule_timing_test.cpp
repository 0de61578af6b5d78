#include "valet/core/schedule_timing.hpp"

#include <gtest/gtest.h>

#include <string>

#include "valet/core/time_format.hpp"

namespace valet::core {
namespace {

using namespace std::chrono_literals;

TimePoint At(const std::string& rfc3339) {
  auto time = ParseTime(rfc3339);
  EXPECT_TRUE(time.has_value()) << rfc3339;
  return time.value_or(TimePoint{});
}

std::string Text(const std::optional<TimePoint>& time) { return time ? FormatTime(*time) : "none"; }

ScheduleTiming Timing(const ScheduleTimingSpec& spec,
                      TimePoint anchor = At("2026-01-01T00:00:00Z")) {
  auto timing = ScheduleTiming::Parse(spec, anchor);
  EXPECT_TRUE(timing.ok()) << timing.status().ToString();
  return timing.ok() ? *timing : *ScheduleTiming::Parse({.every = "1h"}, anchor);
}

TEST(ScheduleTimingTest, EveryCountsFromTheAnchor) {
  ScheduleTiming timing = Timing({.every = "15m"}, At("2026-01-01T10:07:00Z"));
  EXPECT_EQ(Text(timing.NextAfter(At("2026-01-01T10:07:00Z"))), "2026-01-01T10:22:00Z");
  EXPECT_EQ(Text(timing.NextAfter(At("2026-01-01T10:21:59Z"))), "2026-01-01T10:22:00Z");
  EXPECT_EQ(Text(timing.NextAfter(At("2026-01-01T10:22:00Z"))), "2026-01-01T10:37:00Z");
  EXPECT_EQ(Text(timing.NextAfter(At("2026-01-01T09:00:00Z"))), "2026-01-01T10:22:00Z");
  // A day later, still on the same grid.
  EXPECT_EQ(Text(timing.NextAfter(At("2026-01-02T10:10:00Z"))), "2026-01-02T10:22:00Z");
}

TEST(ScheduleTimingTest, CronTicksInItsZone) {
  ScheduleTiming timing = Timing({.cron = "0 9 * * MON", .time_zone = "America/New_York"});
  // 2026-01-05 is a Monday; 09:00 EST is 14:00 UTC.
  EXPECT_EQ(Text(timing.NextAfter(At("2026-01-01T00:00:00Z"))), "2026-01-05T14:00:00Z");
  EXPECT_EQ(timing.spec().time_zone, "America/New_York");
  EXPECT_EQ(timing.missed(), MissedTicks::kSkip);
}

TEST(ScheduleTimingTest, BadSpecsSayWhatIsWrong) {
  auto message = [](const ScheduleTimingSpec& spec) {
    auto timing = ScheduleTiming::Parse(spec, TimePoint{});
    EXPECT_EQ(timing.status().code(), StatusCode::kInvalidArgument);
    return timing.status().message();
  };
  EXPECT_EQ(message({}), "cron or every required");
  EXPECT_EQ(message({.cron = "* * * * *", .every = "1m"}),
            "cron and every cannot both be given: choose one");
  EXPECT_EQ(message({.every = "often"}),
            "invalid every \"often\": expected a duration such as 30s, 15m or 1h (units ms, s, m "
            "and h)");
  EXPECT_EQ(message({.every = "500ms"}), "every must be at least 1s");
  EXPECT_EQ(message({.every = "0s"}), "every must be at least 1s");
  EXPECT_EQ(message({.cron = "* * *"}).rfind("invalid cron expression \"* * *\": ", 0), 0u);
  EXPECT_EQ(message({.cron = "@daily", .time_zone = "Moon/Base"})
                .rfind("unknown time zone \"Moon/Base\"", 0),
            0u);
  EXPECT_EQ(message({.every = "1h", .missed = "catch_up"}),
            "invalid missed \"catch_up\": expected skip or run_once");
}

TEST(PlanTickTest, ATickOnTimeRunsAndTheNextFollowsIt) {
  ScheduleTiming timing = Timing({.every = "1m"});
  TickPlan plan = PlanTick(timing, At("2026-01-01T10:00:00Z"), At("2026-01-01T10:00:00.300Z"));
  EXPECT_EQ(Text(plan.run), "2026-01-01T10:00:00Z");
  EXPECT_EQ(Text(plan.next), "2026-01-01T10:01:00Z");
  EXPECT_EQ(plan.missed, 0);
}

TEST(PlanTickTest, ALateTickBeyondTheAllowanceIsMissed) {
  ScheduleTiming timing = Timing({.every = "1h"});
  TickPlan plan = PlanTick(timing, At("2026-01-01T10:00:00Z"), At("2026-01-01T10:00:11Z"));
  EXPECT_FALSE(plan.run.has_value());
  EXPECT_EQ(plan.missed, 1);
  EXPECT_EQ(Text(plan.next), "2026-01-01T11:00:00Z");
}

TEST(PlanTickTest, AfterAnOutageSkipRunsNothingAndRunOnceRunsOnce) {
  // Down from 09:55 to 11:02:30 on a 10-minute schedule: 10:00 ... 11:00 came, seven ticks.
  TimePoint due = At("2026-01-01T10:00:00Z");
  TimePoint now = At("2026-01-01T11:02:30Z");
  TickPlan skipped = PlanTick(Timing({.every = "10m"}), due, now);
  EXPECT_FALSE(skipped.run.has_value());
  EXPECT_EQ(skipped.missed, 7);
  EXPECT_EQ(Text(skipped.next), "2026-01-01T11:10:00Z");

  TickPlan once = PlanTick(Timing({.every = "10m", .missed = "run_once"}), due, now);
  EXPECT_EQ(Text(once.run), "2026-01-01T11:00:00Z");
  EXPECT_EQ(once.missed, 7);
  EXPECT_EQ(Text(once.next), "2026-01-01T11:10:00Z");
}

TEST(PlanTickTest, AnOutageEndingJustBeforeATickStillRunsThatTickOnTime) {
  // Back at 11:00:04: the 11:00 tick is on time and runs; 10:00 to 10:50 are missed.
  TickPlan plan =
      PlanTick(Timing({.every = "10m"}), At("2026-01-01T10:00:00Z"), At("2026-01-01T11:00:04Z"));
  EXPECT_EQ(Text(plan.run), "2026-01-01T11:00:00Z");
  EXPECT_EQ(plan.missed, 6);
  EXPECT_EQ(Text(plan.next), "2026-01-01T11:10:00Z");
}

TEST(PlanTickTest, ADaylightSavingChangeNeitherSkipsNorDoublesADailyTick) {
  // Berlin, 02:30 every day: on 2026-03-29 it does not exist, on 2026-10-25 it comes twice.
  ScheduleTiming timing = Timing({.cron = "30 2 * * *", .time_zone = "Europe/Berlin"});
  for (const char* day : {"2026-03-28T01:30:00Z", "2026-10-24T00:30:00Z"}) {
    TimePoint due = At(day);
    int runs = 0;
    for (int i = 0; i < 3; ++i) {
      TickPlan plan = PlanTick(timing, due, due + 1s);
      ASSERT_TRUE(plan.run && plan.next) << day;
      EXPECT_EQ(plan.missed, 0) << day;
      ++runs;
      EXPECT_GT(*plan.next - due, 22h) << FormatTime(due);
      EXPECT_LT(*plan.next - due, 26h) << FormatTime(due);
      due = *plan.next;
    }
    EXPECT_EQ(runs, 3) << day;
  }
}

}  // namespace
}  // namespace valet::core
