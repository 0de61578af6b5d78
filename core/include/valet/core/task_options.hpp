#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "valet/core/task.hpp"
#include "valet/ports/job.hpp"

namespace valet {

// The most retries a job may ask for.
inline constexpr int kMaxRetries = 100;

// What a hook is told: the job as the worker ran it (params, attempt, ...) and, for a failure,
// a retry or a cancellation, why.
struct JobEvent {
  const Job& job;
  std::string_view error;
};
using JobHook = std::function<void(const JobEvent&)>;

// Callbacks on a job's way through a worker of this process. on_processing runs once the job is
// claimed, before its task; the others once the outcome is stored (on_cancelled also when the
// job was cancelled through the API while its task ran here). They run on a worker thread, so
// keep them short; one that throws is logged and changes nothing.
struct JobHooks {
  JobHook on_processing;
  JobHook on_success;
  JobHook on_retrying;
  JobHook on_failure;
  JobHook on_cancelled;
};

// Wraps the run of a task, as logging, metrics or tracing do: call next(ctx) to run what is
// inside (or skip it), and return its result or another. An exception fails the job as one from
// the task would.
//
//   v.Use([](valet::TaskContext& ctx, const valet::TaskFunction& next) {
//     auto started = std::chrono::steady_clock::now();
//     valet::TaskResult result = next(ctx);
//     RecordRunTime(std::chrono::steady_clock::now() - started);
//     return result;
//   });
using TaskMiddleware = std::function<TaskResult(TaskContext&, const TaskFunction& next)>;

// How jobs of one task run, given when it is registered.
struct TaskOptions {
  // At most this many of the task's jobs run at once in this process; 0 = no limit. A job over
  // the limit goes back to PENDING for `concurrency_retry_after` (no attempt is counted), so
  // it holds no worker while it waits.
  int concurrency = 0;
  std::chrono::milliseconds concurrency_retry_after{100};
  // For jobs submitted without a timeout (0) or without max_retries; else the config's default.
  std::chrono::milliseconds timeout{0};
  std::optional<int> max_retries;
  // This task's hooks, called after the ones given to Valet::AddHooks().
  JobHooks hooks;
  // This task's middleware, inside the ones given to Valet::Use(); the first is outermost.
  std::vector<TaskMiddleware> middleware;
};

}  // namespace valet
