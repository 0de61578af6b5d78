#include "valet/core/job_history.hpp"

#include <gtest/gtest.h>

#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class JobHistoryTest : public ::testing::Test {
 protected:
  // 10:00:30 on some day: half a minute into a minute.
  JobHistoryTest() : clock_(TimePoint{std::chrono::hours{24 * 365 * 50 + 10} + seconds{30}}) {}

  testing::FakeClock clock_;
  JobHistory history_{clock_};
};

TEST_F(JobHistoryTest, AnEmptyHistoryIsSixtyMinutesOfZerosEndingWithTheCurrentMinute) {
  auto hour = history_.LastHour();
  ASSERT_EQ(hour.size(), 60u);
  EXPECT_EQ(hour.back().start, std::chrono::floor<minutes>(clock_.Now()));
  EXPECT_EQ(hour.front().start, hour.back().start - minutes{59});
  for (std::size_t i = 1; i < hour.size(); ++i) {
    EXPECT_EQ(hour[i].start - hour[i - 1].start, minutes{1});
    EXPECT_EQ(hour[i].completed, 0u);
    EXPECT_EQ(hour[i].failed, 0u);
  }
}

TEST_F(JobHistoryTest, CountsCompletedAndFailedRunsInTheirMinute) {
  history_.Record(JobStatus::kCompleted);
  history_.Record(JobStatus::kCompleted);
  history_.Record(JobStatus::kFailed);
  history_.Record(JobStatus::kPending);    // a retry: not an outcome
  history_.Record(JobStatus::kCancelled);  // not counted either
  clock_.Advance(minutes{3});
  history_.Record(JobStatus::kFailed);

  auto hour = history_.LastHour();
  EXPECT_EQ(hour[59].completed, 0u);
  EXPECT_EQ(hour[59].failed, 1u);
  EXPECT_EQ(hour[56].completed, 2u);
  EXPECT_EQ(hour[56].failed, 1u);
  EXPECT_EQ(hour[57].completed + hour[57].failed + hour[58].completed + hour[58].failed, 0u);
}

TEST_F(JobHistoryTest, ForgetsMinutesOlderThanAnHour) {
  history_.Record(JobStatus::kCompleted);
  clock_.Advance(minutes{59});
  EXPECT_EQ(history_.LastHour().front().completed, 1u);

  clock_.Advance(minutes{1});  // the first minute is now 60 minutes ago
  for (const auto& minute : history_.LastHour()) EXPECT_EQ(minute.completed, 0u);

  // Its slot is reused by the new minute, which starts from zero.
  history_.Record(JobStatus::kFailed);
  EXPECT_EQ(history_.LastHour().back().completed, 0u);
  EXPECT_EQ(history_.LastHour().back().failed, 1u);
}

TEST_F(JobHistoryTest, AfterALongSilenceEveryMinuteIsZero) {
  history_.Record(JobStatus::kCompleted);
  clock_.Advance(std::chrono::hours{5} + seconds{10});
  for (const auto& minute : history_.LastHour()) {
    EXPECT_EQ(minute.completed + minute.failed, 0u);
  }
}

}  // namespace
}  // namespace valet::core
