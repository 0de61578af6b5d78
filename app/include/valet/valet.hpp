#pragma once

// The public API of valet: register tasks, then Run().
//
//   struct Download { std::string url; };
//   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Download, url)
//
//   valet::TaskResult DownloadTask(valet::TaskContext& ctx) {
//     auto params = ctx.Params<Download>();
//     if (ctx.StopRequested()) return valet::Cancelled();
//     return valet::Json{{"bytes", 42}};
//   }
//   int main() {
//     valet::Valet v{"config.yaml"};
//     v.RegisterTask("download", DownloadTask);
//     return v.Run();
//   }
//
// Or, to submit jobs in-process without HTTP (the API servers of the config still run):
//
//   if (v.Start() != 0) return 1;
//   auto job = v.Submit({.name = "get", .task_name = "download", .task_params = {{"url", u}}});
//   auto done = v.WaitForJob(job->id, std::chrono::seconds(30));
//   v.Shutdown();

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "valet/app/config.hpp"
#include "valet/core/group_service.hpp"
#include "valet/core/pipeline_service.hpp"
#include "valet/core/requests.hpp"
#include "valet/core/task.hpp"
#include "valet/core/task_options.hpp"
#include "valet/ports/schedule.hpp"

namespace valet {

using JobRequest = core::JobRequest;
using PipelineRequest = core::PipelineRequest;
using PipelineWithJobs = core::PipelineWithJobs;
using ScheduleRequest = core::ScheduleRequest;
using SchedulePatch = core::SchedulePatch;
using GroupRequest = core::GroupRequest;
using GroupMemberRequest = core::GroupMemberRequest;
using GroupWithMembers = core::GroupWithMembers;

class Valet {
 public:
  // Reads and validates the config file; throws app::ConfigError with a one-line reason.
  explicit Valet(const std::string& config_path = "config.yaml");
  explicit Valet(app::Config config);
  ~Valet();
  Valet(const Valet&) = delete;
  Valet& operator=(const Valet&) = delete;

  // Adds a task by name, with its options (concurrency, default timeout and max_retries, its own
  // hooks and middleware); call before Run() or Start(), or it throws std::logic_error. Throws
  // std::invalid_argument for an empty or duplicate name or an option out of range.
  //
  //   v.RegisterTask("resize", ResizeTask, {.concurrency = 2, .max_retries = 5});
  void RegisterTask(const std::string& name, TaskFunction task, TaskOptions options = {});

  // Middleware around every task, outside each task's own; the first added is outermost. Call
  // before Run() or Start().
  void Use(TaskMiddleware middleware);
  // Lifecycle callbacks for every job this process runs, before each task's own hooks. Call
  // before Run() or Start().
  void AddHooks(JobHooks hooks);

  // Declares a recurring job in code, like config.yaml's `schedules`; call before Run() or
  // Start(). At start-up it is created, or its stored definition brought to this one (whether it
  // is paused stays as stored); Start() fails with code 2 if it could never run. Throws
  // std::invalid_argument for a missing or repeated name.
  //
  //   v.AddSchedule({.name = "nightly", .timing = {.cron = "0 3 * * *", .time_zone = "UTC"},
  //                  .job = valet::JobRequest{.name = "report", .task_name = "report"}});
  void AddSchedule(const ScheduleRequest& schedule);

  // Builds the configured adapters, serves the API and runs jobs until SIGINT, SIGTERM or Stop().
  // Then it stops taking requests, lets running jobs finish within shutdown_grace_period and
  // returns 0. Returns 2 after logging one line if the config names something that cannot be
  // built, and 1 if a backend or the server cannot start. SIGINT and SIGTERM are blocked in the
  // calling thread and every thread it starts.
  int Run();

  // Makes Run() return; safe from any thread, also before Run() started.
  void Stop();

  // Builds and starts what Run() does (adapters, workers, the configured API servers), then
  // returns: 0 once started, otherwise Run()'s codes after logging why. Unlike Run() it leaves
  // signals alone. Call Shutdown() to stop; Start() after Start() returns 1.
  int Start();
  // Stops what Start() started, as Run() does on SIGTERM: the servers, then the workers within
  // shutdown_grace_period. Does nothing when nothing runs; the destructor calls it.
  void Shutdown();

  // In-process twins of the HTTP API, between Start() and Shutdown(), with its checks and
  // messages (InvalidArgument for a bad request, NotFound, Unavailable while a backend is
  // down); Conflict when valet is not started.
  Result<Job> Submit(const JobRequest& job, const std::string& idempotency_key = "");
  // Several jobs in one write and one push, as POST /api/jobs/batch (1 to 1000 of them; all are
  // checked before any is stored). The jobs in request order.
  Result<std::vector<Job>> Submit(const std::vector<JobRequest>& jobs);
  Result<PipelineWithJobs> Submit(const PipelineRequest& pipeline,
                                  const std::string& idempotency_key = "");
  Result<Job> GetJob(const std::string& id);
  Result<PipelineWithJobs> GetPipeline(const std::string& id);
  Result<JobResult> GetResult(const std::string& job_id);
  Result<GroupWithMembers> Submit(const GroupRequest& group);
  Result<GroupWithMembers> GetGroup(const std::string& id);
  Result<Schedule> CreateSchedule(const ScheduleRequest& schedule);
  Result<Schedule> GetSchedule(const std::string& id);
  Result<std::vector<Schedule>> ListSchedules();
  Result<Schedule> PatchSchedule(const std::string& id, const SchedulePatch& patch);
  Status DeleteSchedule(const std::string& id);
  // Waits until the job or pipeline has finished (COMPLETED, FAILED or CANCELLED) and returns
  // it; Timeout if it has not after `timeout`. Works for jobs that a worker of another
  // process runs, since it watches the repository.
  Result<Job> WaitForJob(const std::string& id, std::chrono::milliseconds timeout);
  Result<PipelineWithJobs> WaitForPipeline(const std::string& id,
                                           std::chrono::milliseconds timeout);
  // Waits until every member of the group has finished and the group is settled (its then job,
  // if any, is submitted by then; wait for it with WaitForJob(group.then_job_id)).
  Result<GroupWithMembers> WaitForGroup(const std::string& id, std::chrono::milliseconds timeout);

  // Overrides the config's `role` (valetd --role): "all", "api" or "worker". Call before Run();
  // throws app::ConfigError for anything else.
  void SetRole(const std::string& role);

  // "0.1.0"
  static std::string Version();
  // The adapters linked into this binary, e.g. "repository: memory; job_queue: memory; server:
  // http".
  static std::string LinkedAdapters();

 private:
  struct Tasks;
  struct Runtime;
  app::Config config_;
  std::unique_ptr<Tasks> tasks_;
  std::unique_ptr<Runtime> runtime_;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace valet
