#include <gtest/gtest.h>

#include "valet/core/task.hpp"
#include "valet/core/task_registry.hpp"
#include "valet/testing/fakes.hpp"

namespace valet {
namespace {

struct Download {
  std::string url;
  int retries = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Download, url, retries)

TEST(TaskContextTest, DecodesTypedParams) {
  Json params{{"url", "http://x"}, {"retries", 3}};
  TaskContext context("id", params, std::nullopt, {});
  Download download = context.Params<Download>();
  EXPECT_EQ(download.url, "http://x");
  EXPECT_EQ(download.retries, 3);
}

TEST(TaskContextTest, BadParamsThrowTaskParamsErrorNamingTheProblem) {
  Json params{{"url", 42}};
  TaskContext context("id", params, std::nullopt, {});
  try {
    context.Params<Download>();
    FAIL() << "expected TaskParamsError";
  } catch (const TaskParamsError& error) {
    EXPECT_NE(std::string(error.what()).find("invalid task_params"), std::string::npos);
  }
}

TEST(TaskContextTest, ReportsStopRequests) {
  std::stop_source stop;
  Json params;
  TaskContext context("id", params, Json("before"), stop.get_token());
  EXPECT_FALSE(context.StopRequested());
  stop.request_stop();
  EXPECT_TRUE(context.StopRequested());
  EXPECT_EQ(*context.PreviousResult(), "before");
}

TEST(TaskContextTest, LogLinesCarryTheJobTaskAndAttemptBeforeTheTasksFields) {
  Json params;
  TaskContext context("job-7", params, std::nullopt, {}, /*attempt=*/3);
  context.Log(LogLevel::kInfo, "not written: no logger yet");
  testing::RecordingLogger logger;
  context.SetLogger(logger, "resize");

  context.Log(LogLevel::kInfo, "resized", {{"width", "640"}});

  ASSERT_EQ(logger.lines().size(), 1u);
  EXPECT_EQ(logger.lines()[0], "task: resized job_id=job-7 task=resize attempt=3 width=640");
}

TEST(TaskResultTest, ConvertsValuesAndNamesOutcomes) {
  TaskResult text = "done";
  EXPECT_EQ(text.kind(), TaskResult::Kind::kSuccess);
  EXPECT_EQ(text.metadata(), "done");
  TaskResult failure = Failure("boom", Json{{"partial", 1}});
  EXPECT_EQ(failure.kind(), TaskResult::Kind::kFailure);
  EXPECT_EQ(failure.error(), "boom");
  EXPECT_EQ(failure.metadata()["partial"], 1);
  EXPECT_EQ(Cancelled().kind(), TaskResult::Kind::kCancelled);
  EXPECT_TRUE(TaskResult().metadata().is_null());
}

TEST(TaskRegistryTest, RefusesDuplicatesAndListsSorted) {
  core::TaskRegistry registry;
  auto task = [](TaskContext&) { return TaskResult(); };
  ASSERT_TRUE(registry.Register("zeta", task).ok());
  ASSERT_TRUE(registry.Register("alpha", task).ok());
  EXPECT_EQ(registry.Register("alpha", task).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Register("", task).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_NE(registry.Find("zeta"), nullptr);
  EXPECT_EQ(registry.Find("missing"), nullptr);
}

}  // namespace
}  // namespace valet
