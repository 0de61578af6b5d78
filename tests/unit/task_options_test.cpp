// Task options, middleware and hooks as a worker applies them: the executor against the memory
// repository, with the task registry of the test.

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "job_executor_fixture.hpp"
#include "valet/core/job_factory.hpp"
#include "valet/core/prometheus_text.hpp"

namespace valet::core {
namespace {

using std::chrono::milliseconds;

// What the hooks saw, in order: "success:<job id>", "retrying:<error>", ...
class HookLog {
 public:
  JobHook Record(std::string point) {
    return [this, point](const JobEvent& event) {
      std::lock_guard lock(mutex_);
      seen_.push_back(point + ":" +
                      (event.error.empty() ? event.job.id : std::string(event.error)));
    };
  }
  JobHooks All(const std::string& prefix = "") {
    return JobHooks{Record(prefix + "processing"), Record(prefix + "success"),
                    Record(prefix + "retrying"), Record(prefix + "failure"),
                    Record(prefix + "cancelled")};
  }
  std::vector<std::string> Seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> seen_;
};

std::string TextOf(const JobMetrics& metrics) {
  PrometheusText text;
  metrics.WriteTo(text);
  return text.text();
}

class TaskOptionsTest : public JobExecutorTest {
 protected:
  void Register(const std::string& name, TaskFunction task, TaskOptions options) {
    ASSERT_TRUE(tasks_.Register(name, std::move(task), std::move(options)).ok());
  }
  using JobExecutorTest::Register;

  HookLog hooks_;
};

TEST_F(TaskOptionsTest, MiddlewareWrapsTheTaskGlobalOnesOutermostInTheOrderAdded) {
  std::vector<std::string> calls;
  auto layer = [&calls](std::string name) -> TaskMiddleware {
    return [&calls, name](TaskContext& ctx, const TaskFunction& next) {
      calls.push_back(name + ">");
      TaskResult result = next(ctx);
      calls.push_back("<" + name);
      return result;
    };
  };
  ASSERT_TRUE(tasks_.Use(layer("first")).ok());
  ASSERT_TRUE(tasks_.Use(layer("second")).ok());
  Register(
      "wrapped",
      [&calls](TaskContext&) -> TaskResult {
        calls.push_back("task");
        return Json{{"ran", true}};
      },
      TaskOptions{.middleware = {layer("own")}});

  Job job = StoreJob("wrapped");
  Run(job.id);

  EXPECT_EQ(calls, (std::vector<std::string>{"first>", "second>", "own>", "task", "<own", "<second",
                                             "<first"}));
  EXPECT_EQ(Reload(job.id).status, JobStatus::kCompleted);
  EXPECT_EQ(repository_.GetResult(job.id)->metadata, (Json{{"ran", true}}));
}

TEST_F(TaskOptionsTest, MiddlewareMayAnswerInsteadOfTheTask) {
  bool task_ran = false;
  ASSERT_TRUE(tasks_
                  .Use([](TaskContext& ctx, const TaskFunction& next) -> TaskResult {
                    if (ctx.RawParams().value("blocked", false)) return PermanentFailure("blocked");
                    return next(ctx);
                  })
                  .ok());
  Register("guarded", [&task_ran](TaskContext&) -> TaskResult {
    task_ran = true;
    return "ran";
  });

  Job job = StoreJob("guarded", Json{{"blocked", true}});
  Run(job.id);

  EXPECT_FALSE(task_ran);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kFailed);
  EXPECT_EQ(Reload(job.id).failure_reason, "blocked");
}

TEST_F(TaskOptionsTest, AMiddlewareThatThrowsFailsTheJobAsATaskWould) {
  ASSERT_TRUE(tasks_
                  .Use([](TaskContext&, const TaskFunction&) -> TaskResult {
                    throw std::runtime_error("middleware broke");
                  })
                  .ok());
  Job job = StoreJob("echo");
  Run(job.id);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kFailed);
  EXPECT_EQ(Reload(job.id).failure_reason, "middleware broke");
}

TEST_F(TaskOptionsTest, HooksSeeTheJobProcessedThenSucceedGlobalOnesFirst) {
  tasks_.AddHooks(hooks_.All("global."));
  Register(
      "hooked", [](TaskContext&) -> TaskResult { return "ok"; },
      TaskOptions{.hooks = hooks_.All("own.")});

  Job job = StoreJob("hooked");
  Run(job.id);

  EXPECT_EQ(hooks_.Seen(),
            (std::vector<std::string>{"global.processing:" + job.id, "own.processing:" + job.id,
                                      "global.success:" + job.id, "own.success:" + job.id}));
}

TEST_F(TaskOptionsTest, HooksSeeARetryThenTheFinalFailureWithTheReason) {
  tasks_.AddHooks(
      JobHooks{.on_retrying = hooks_.Record("retrying"), .on_failure = hooks_.Record("failure")});
  Job job = StoreJob("fail");
  job.max_retries = 1;
  ASSERT_TRUE(repository_.DeleteJob(job.id).ok());
  ASSERT_TRUE(repository_.CreateJob(job).ok());

  Run(job.id);
  ASSERT_EQ(Reload(job.id).status, JobStatus::kPending);
  Run(job.id);
  ASSERT_EQ(Reload(job.id).status, JobStatus::kFailed);

  EXPECT_EQ(hooks_.Seen(), (std::vector<std::string>{"retrying:it broke", "failure:it broke"}));
}

TEST_F(TaskOptionsTest, AHookThatThrowsIsLoggedAndTheJobStillCompletes) {
  tasks_.AddHooks(JobHooks{.on_processing = [](const JobEvent&) { throw std::runtime_error("x"); },
                           .on_success = [](const JobEvent&) { throw 42; }});
  tasks_.AddHooks(JobHooks{.on_success = hooks_.Record("success")});
  Job job = StoreJob("echo");
  Run(job.id);

  EXPECT_EQ(Reload(job.id).status, JobStatus::kCompleted);
  EXPECT_EQ(hooks_.Seen(), (std::vector<std::string>{"success:" + job.id}));
  auto lines = logger_.lines();
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& line) {
                            return line.starts_with("worker: a job hook threw; the job goes on");
                          }),
            2);
}

TEST_F(TaskOptionsTest, OnCancelledWhenTheJobIsCancelledWhileItsTaskRuns) {
  tasks_.AddHooks(
      JobHooks{.on_success = hooks_.Record("success"), .on_cancelled = hooks_.Record("cancelled")});
  Register("cancelled_midway", [this](TaskContext& ctx) -> TaskResult {
    // What a cancel through the API does while the task runs.
    Transition cancel{JobStatus::kInProgress, JobStatus::kCancelled, clock_.Now(),
                      "cancelled by a user", std::nullopt};
    EXPECT_TRUE(repository_.TransitionJob(ctx.JobId(), cancel).ok());
    return "finished anyway";
  });
  Job job = StoreJob("cancelled_midway");
  Run(job.id);

  EXPECT_EQ(Reload(job.id).status, JobStatus::kCancelled);
  EXPECT_EQ(hooks_.Seen(), (std::vector<std::string>{"cancelled:cancelled by a user"}));
}

TEST_F(TaskOptionsTest, AJobOverTheConcurrencyLimitWaitsWithoutRunningOrUsingAnAttempt) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> first_running;
  std::atomic<int> runs{0};
  Register(
      "one_at_a_time",
      [&](TaskContext&) -> TaskResult {
        if (runs.fetch_add(1) == 0) {
          first_running.set_value();
          released.wait();
        }
        return "done";
      },
      TaskOptions{.concurrency = 1, .concurrency_retry_after = milliseconds(500)});
  JobMetrics metrics({"one_at_a_time"});
  executor_.SetMetrics(metrics);

  Job first = StoreJob("one_at_a_time");
  Job second = StoreJob("one_at_a_time");
  auto running = std::async(std::launch::async, [&] { return Run(first.id); });
  first_running.get_future().wait();

  EXPECT_EQ(Run(second.id).disposition, JobExecutor::Disposition::kAck);
  Job waiting = Reload(second.id);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(waiting.status, JobStatus::kPending);
  ASSERT_TRUE(waiting.run_at.has_value());
  EXPECT_EQ(*waiting.run_at, clock_.Now() + milliseconds(500));
  EXPECT_TRUE(waiting.attempts.is_null() || waiting.attempts.empty());

  release.set_value();
  running.get();
  Run(second.id);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Reload(second.id).status, JobStatus::kCompleted);

  std::string text = TextOf(metrics);
  EXPECT_NE(text.find("valet_jobs_postponed_total{task=\"one_at_a_time\"} 1"), std::string::npos);
  EXPECT_NE(text.find("valet_jobs_started_total{task=\"one_at_a_time\"} 2"), std::string::npos);
}

TEST_F(TaskOptionsTest, TheTasksTimeoutAppliesToJobsThatGiveNone) {
  Register(
      "slow",
      [](TaskContext& ctx) -> TaskResult {
        while (!ctx.StopRequested()) std::this_thread::sleep_for(milliseconds(1));
        return Cancelled();
      },
      TaskOptions{.timeout = milliseconds(30)});
  Job job = StoreJob("slow");
  Run(job.id);
  EXPECT_EQ(Reload(job.id).status, JobStatus::kFailed);
  EXPECT_EQ(Reload(job.id).failure_reason, "job timed out after 30ms");
}

TEST_F(TaskOptionsTest, NoResultCompletesTheJobAndStoresNoResult) {
  Register("effect_only", [](TaskContext&) { return NoResult(); });
  JobMetrics metrics({"effect_only"});
  executor_.SetMetrics(metrics);
  Job job = StoreJob("effect_only");
  Run(job.id);

  EXPECT_EQ(Reload(job.id).status, JobStatus::kCompleted);
  EXPECT_EQ(repository_.GetResult(job.id).status().code(), StatusCode::kNotFound);
  std::string text = TextOf(metrics);
  EXPECT_NE(text.find("valet_jobs_completed_without_result_total{task=\"effect_only\"} 1"),
            std::string::npos);
}

TEST_F(TaskOptionsTest, APermanentFailureIsCountedAsSuch) {
  Register("refuses", [](TaskContext&) { return PermanentFailure("never"); });
  JobMetrics metrics({"refuses", "fail"});
  executor_.SetMetrics(metrics);
  Job refused = StoreJob("refuses");
  Job failed = StoreJob("fail");
  Run(refused.id);
  Run(failed.id);

  std::string text = TextOf(metrics);
  EXPECT_NE(text.find("valet_jobs_failed_permanently_total{task=\"refuses\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("valet_jobs_failed_permanently_total{task=\"fail\"} 0"), std::string::npos);
}

TEST_F(TaskOptionsTest, TheTasksMaxRetriesIsTheDefaultForItsJobs) {
  Register(
      "flaky", [](TaskContext&) { return Failure("again"); }, TaskOptions{.max_retries = 7});
  JobFactory factory(tasks_, clock_, ids_, /*default_max_retries=*/2);

  EXPECT_EQ(factory.Build({.name = "a", .task_name = "flaky"}, true)->max_retries, 7);
  EXPECT_EQ(factory.Build({.name = "b", .task_name = "flaky", .max_retries = 0}, true)->max_retries,
            0);
  EXPECT_EQ(factory.Build({.name = "c", .task_name = "echo"}, true)->max_retries, 2);
}

TEST(TaskRegistryOptions, OptionsOutOfRangeAreRefusedWithAReason) {
  TaskRegistry tasks;
  auto task = [](TaskContext&) -> TaskResult { return "ok"; };
  EXPECT_EQ(tasks.Register("a", task, TaskOptions{.concurrency = -1}).message(),
            "task a: concurrency must not be negative");
  EXPECT_EQ(tasks.Register("b", task, TaskOptions{.timeout = milliseconds(-5)}).message(),
            "task b: timeout must not be negative");
  EXPECT_EQ(tasks.Register("c", task, TaskOptions{.max_retries = 101}).message(),
            "task c: max_retries must be from 0 to 100");
  EXPECT_EQ(tasks.Register("d", task, TaskOptions{.middleware = {TaskMiddleware{}}}).message(),
            "task d: a middleware is empty");
  EXPECT_EQ(tasks.Use(TaskMiddleware{}).message(), "middleware must not be empty");
  EXPECT_TRUE(tasks.Names().empty());
}

}  // namespace
}  // namespace valet::core
