#include "valet/core/task_registry.hpp"

#include <exception>

namespace valet::core {

namespace {

bool HasAny(const JobHooks& hooks) {
  return hooks.on_processing || hooks.on_success || hooks.on_retrying || hooks.on_failure ||
         hooks.on_cancelled;
}

const JobHook& HookAt(const JobHooks& hooks, HookPoint point) {
  switch (point) {
    case HookPoint::kProcessing:
      return hooks.on_processing;
    case HookPoint::kSuccess:
      return hooks.on_success;
    case HookPoint::kRetrying:
      return hooks.on_retrying;
    case HookPoint::kFailure:
      return hooks.on_failure;
    case HookPoint::kCancelled:
      return hooks.on_cancelled;
  }
  return hooks.on_processing;
}

const char* NameOf(HookPoint point) {
  switch (point) {
    case HookPoint::kProcessing:
      return "on_processing";
    case HookPoint::kSuccess:
      return "on_success";
    case HookPoint::kRetrying:
      return "on_retrying";
    case HookPoint::kFailure:
      return "on_failure";
    case HookPoint::kCancelled:
      return "on_cancelled";
  }
  return "hook";
}

void CallHook(const JobHook& hook, HookPoint point, const JobEvent& event, Logger& logger) {
  if (!hook) return;
  std::string error;
  try {
    hook(event);
    return;
  } catch (const std::exception& thrown) {
    error = thrown.what();
  } catch (...) {
    error = "an exception that is not a std::exception";
  }
  logger.Log(LogLevel::kError, "worker", "a job hook threw; the job goes on",
             {{"job_id", event.job.id}, {"hook", NameOf(point)}, {"error", error}});
}

// The middleware from `index` on around `task`, as the `next` that middleware index-1 calls.
TaskResult RunFrom(const std::vector<const TaskMiddleware*>& layers, std::size_t index,
                   const TaskFunction& task, TaskContext& context) {
  if (index == layers.size()) return task(context);
  TaskFunction next = [&layers, index, &task](TaskContext& inner) {
    return RunFrom(layers, index + 1, task, inner);
  };
  return (*layers[index])(context, next);
}

}  // namespace

bool RegisteredTask::TryEnter() const {
  int limit = options_.concurrency;
  if (limit <= 0) return true;
  int running = running_.load(std::memory_order_relaxed);
  do {
    if (running >= limit) return false;
  } while (!running_.compare_exchange_weak(running, running + 1, std::memory_order_acq_rel));
  return true;
}

void RegisteredTask::Leave() const {
  if (options_.concurrency > 0) running_.fetch_sub(1, std::memory_order_acq_rel);
}

Status TaskRegistry::Register(const std::string& name, TaskFunction task, TaskOptions options) {
  if (name.empty()) return Status::InvalidArgument("task name must not be empty");
  if (!task) return Status::InvalidArgument("task " + name + " has no function");
  if (options.concurrency < 0) {
    return Status::InvalidArgument("task " + name + ": concurrency must not be negative");
  }
  if (options.concurrency_retry_after.count() <= 0) {
    return Status::InvalidArgument("task " + name + ": concurrency_retry_after must be positive");
  }
  if (options.timeout.count() < 0) {
    return Status::InvalidArgument("task " + name + ": timeout must not be negative");
  }
  if (options.max_retries && (*options.max_retries < 0 || *options.max_retries > kMaxRetries)) {
    return Status::InvalidArgument("task " + name + ": max_retries must be from 0 to " +
                                   std::to_string(kMaxRetries));
  }
  for (const TaskMiddleware& middleware : options.middleware) {
    if (!middleware) return Status::InvalidArgument("task " + name + ": a middleware is empty");
  }
  bool hooks = HasAny(options.hooks);
  std::lock_guard lock(mutex_);
  if (tasks_.contains(name))
    return Status::InvalidArgument("task " + name + " is already registered");
  tasks_.emplace(std::piecewise_construct, std::forward_as_tuple(name),
                 std::forward_as_tuple(name, std::move(task), std::move(options)));
  if (hooks) has_hooks_.store(true, std::memory_order_relaxed);
  return Status::Ok();
}

Status TaskRegistry::Use(TaskMiddleware middleware) {
  if (!middleware) return Status::InvalidArgument("middleware must not be empty");
  std::lock_guard lock(mutex_);
  middleware_.push_back(std::move(middleware));
  return Status::Ok();
}

void TaskRegistry::AddHooks(JobHooks hooks) {
  if (!HasAny(hooks)) return;
  std::lock_guard lock(mutex_);
  hooks_.push_back(std::move(hooks));
  has_hooks_.store(true, std::memory_order_relaxed);
}

const RegisteredTask* TaskRegistry::Find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = tasks_.find(name);
  return it == tasks_.end() ? nullptr : &it->second;
}

bool TaskRegistry::Contains(const std::string& name) const { return Find(name) != nullptr; }

std::vector<std::string> TaskRegistry::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  names.reserve(tasks_.size());
  for (const auto& [name, task] : tasks_) names.push_back(name);
  return names;
}

TaskResult TaskRegistry::Run(const RegisteredTask& task, TaskContext& context) const {
  // The common case, without middleware, costs nothing extra.
  if (middleware_.empty() && task.options().middleware.empty()) return task.function()(context);
  std::vector<const TaskMiddleware*> layers;
  layers.reserve(middleware_.size() + task.options().middleware.size());
  for (const TaskMiddleware& middleware : middleware_) layers.push_back(&middleware);
  for (const TaskMiddleware& middleware : task.options().middleware) layers.push_back(&middleware);
  return RunFrom(layers, 0, task.function(), context);
}

void TaskRegistry::Notify(HookPoint point, const JobEvent& event, Logger& logger) const {
  if (!HasHooks()) return;
  for (const JobHooks& hooks : hooks_) CallHook(HookAt(hooks, point), point, event, logger);
  if (const RegisteredTask* task = Find(event.job.task_name)) {
    CallHook(HookAt(task->options().hooks, point), point, event, logger);
  }
}

}  // namespace valet::core
