#include "valet/core/job_query.hpp"

#include <gtest/gtest.h>

namespace valet::core {
namespace {

using namespace std::chrono;

TEST(LabelsTest, TakesPlainKeysAndAnyValue) {
  EXPECT_TRUE(CheckLabels({}).ok());
  EXPECT_TRUE(CheckLabels({{"customer", "ACME ☃ a:b"}, {"team/billing.v2_x-y", ""}}).ok());
  EXPECT_TRUE(CheckLabels({{std::string(63, 'k'), std::string(255, 'v')}}).ok());
}

TEST(LabelsTest, RefusesBadKeysLongValuesAndTooMany) {
  for (const std::string& key :
       {std::string(), std::string(64, 'k'), std::string("-leading"), std::string("has space"),
        std::string("colon:key"), std::string("quote\"")}) {
    Status status = CheckLabels({{key, "v"}});
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << key;
    EXPECT_NE(status.message().find("invalid label key"), std::string::npos) << status.message();
  }
  EXPECT_EQ(CheckLabels({{"k", std::string(256, 'v')}}).message(),
            "label k: the value is longer than 255 bytes");
  Labels many;
  for (int i = 0; i < 21; ++i) many["k" + std::to_string(i)] = "v";
  EXPECT_EQ(CheckLabels(many).message(), "a job takes at most 20 labels, 21 given");
}

TEST(JobQueryTest, ChecksLimitRangeAndLabels) {
  EXPECT_TRUE(CheckJobQuery({}).ok());
  EXPECT_TRUE(CheckJobQuery({.limit = 1000}).ok());
  EXPECT_EQ(CheckJobQuery({.limit = 1001}).message(), "limit must be from 1 to 1000");
  TimePoint now = sys_days{2030y / 1 / 1};
  EXPECT_EQ(CheckJobQuery({.created_after = now + 1s, .created_before = now}).message(),
            "created_after is later than created_before");
  EXPECT_TRUE(CheckJobQuery({.created_after = now, .created_before = now}).ok());
  EXPECT_EQ(CheckJobQuery({.labels = {{"bad key", "v"}}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckJobQuery({.cursor = "nonsense"}).message(), "invalid cursor");
}

TEST(JobQueryTest, MatchesEveryFilterThatIsSet) {
  Job job;
  job.task_name = "email";
  job.status = JobStatus::kCompleted;
  job.created_at = sys_days{2030y / 1 / 1};
  job.labels = {{"customer", "acme"}, {"tier", "gold"}};
  EXPECT_TRUE(Matches(job, {}));
  EXPECT_TRUE(Matches(job, {.status = JobStatus::kCompleted,
                            .task_name = "email",
                            .labels = {{"tier", "gold"}},
                            .created_after = job.created_at,
                            .created_before = job.created_at}));
  EXPECT_FALSE(Matches(job, {.status = JobStatus::kFailed}));
  EXPECT_FALSE(Matches(job, {.task_name = "resize"}));
  EXPECT_FALSE(Matches(job, {.labels = {{"tier", "silver"}}}));
  EXPECT_FALSE(Matches(job, {.labels = {{"tier", "gold"}, {"region", "eu"}}}));
  EXPECT_FALSE(Matches(job, {.created_after = job.created_at + 1us}));
  EXPECT_FALSE(Matches(job, {.created_before = job.created_at - 1us}));
}

TEST(PageCursorTest, RoundTripsAndIsUrlSafe) {
  PageCursor cursor{1893456000123456, "00000000000000000042:6f1c-aa"};
  std::string text = EncodeCursor(cursor);
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), std::string::npos) << text;
  auto decoded = DecodeCursor(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->created_micros, cursor.created_micros);
  EXPECT_EQ(decoded->tie, cursor.tie);
  auto negative = DecodeCursor(EncodeCursor({-5, "7"}));
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(negative->created_micros, -5);
}

TEST(PageCursorTest, RefusesWhatItDidNotWrite) {
  for (const std::string& text :
       {std::string(), std::string("a"), std::string("zz"), std::string("ABCD"),
        EncodeCursor({1, ""}), std::string("31"), /* "1" */ std::string("2e31"), /* ".1" */
        std::string("312e"), /* "1." */ std::string("782e31"),                   /* "x.1" */
        std::string("312e2f"), /* "1./" */ std::string(402, '3')}) {
    EXPECT_EQ(DecodeCursor(text).status().message(), "invalid cursor") << text;
  }
}

}  // namespace
}  // namespace valet::core
