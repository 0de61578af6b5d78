#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "valet/core/task.hpp"
#include "valet/core/task_options.hpp"
#include "valet/ports/logger.hpp"
#include "valet/ports/status.hpp"

namespace valet::core {

// One task as registered: its function, its options, and how many of its jobs run now.
class RegisteredTask {
 public:
  RegisteredTask(std::string name, TaskFunction function, TaskOptions options)
      : name_(std::move(name)), function_(std::move(function)), options_(std::move(options)) {}

  const std::string& name() const { return name_; }
  const TaskFunction& function() const { return function_; }
  const TaskOptions& options() const { return options_; }

  // Counts one more running job of the task, unless its concurrency limit is reached (false).
  bool TryEnter() const;
  void Leave() const;

 private:
  const std::string name_;
  const TaskFunction function_;
  const TaskOptions options_;
  mutable std::atomic<int> running_{0};
};

// When a hook is called; see JobHooks.
enum class HookPoint { kProcessing, kSuccess, kRetrying, kFailure, kCancelled };

// The tasks this process can run, by name, with the middleware and hooks around all of them.
// Register(), Use() and AddHooks() belong before the workers start; the rest is safe from any
// thread at any time.
class TaskRegistry {
 public:
  // kInvalidArgument for an empty name, a name already taken, an empty function, or an option
  // out of range (a negative concurrency or timeout, max_retries outside 0 to kMaxRetries, an empty
  // middleware).
  Status Register(const std::string& name, TaskFunction task, TaskOptions options = {});
  // Middleware around every task, outside each task's own; the first added is outermost.
  Status Use(TaskMiddleware middleware);
  // Hooks for every task, called before each task's own.
  void AddHooks(JobHooks hooks);

  // nullptr when no task has that name. Tasks are never removed, so the pointer stays valid for
  // the registry's lifetime.
  const RegisteredTask* Find(const std::string& name) const;
  bool Contains(const std::string& name) const;
  // Sorted by name.
  std::vector<std::string> Names() const;

  // Calls the task through the middleware (the global ones, then the task's own).
  TaskResult Run(const RegisteredTask& task, TaskContext& context) const;

  // True if any hook at all is set, so callers can skip the work of preparing an event.
  bool HasHooks() const { return has_hooks_.load(std::memory_order_relaxed); }
  // Calls the global hooks for `point`, then the job's task's. A hook that throws is logged to
  // `logger` and the rest still run.
  void Notify(HookPoint point, const JobEvent& event, Logger& logger) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, RegisteredTask> tasks_;  // map nodes never move
  std::vector<TaskMiddleware> middleware_;
  std::vector<JobHooks> hooks_;
  std::atomic<bool> has_hooks_{false};
};

}  // namespace valet::core
