#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "valet/ports/json.hpp"
#include "valet/ports/logger.hpp"

namespace valet {

// Thrown by TaskContext::Params<T>() when task_params do not decode into T; the job fails with
// its message, without retries (the same params would fail again).
class TaskParamsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a task sees of the job it runs. Valid only during the task call.
class TaskContext {
 public:
  TaskContext(std::string job_id, const Json& params, std::optional<Json> previous_result,
              std::stop_token stop, int attempt = 1)
      : job_id_(std::move(job_id)),
        params_(params),
        previous_result_(std::move(previous_result)),
        stop_(std::move(stop)),
        attempt_(attempt) {}

  const std::string& JobId() const { return job_id_; }
  // 1 on the first run, 2 on the first retry or on the run after a lost one, ...
  int Attempt() const { return attempt_; }

  // The job's task_params as given (null when there were none).
  const Json& RawParams() const { return params_; }

  // The task_params decoded into T through nlohmann's from_json (for a struct, declare it with
  // NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE). Throws TaskParamsError when they do not fit.
  template <typename T>
  T Params() const {
    try {
      return params_.get<T>();
    } catch (const Json::exception& error) {
      throw TaskParamsError(std::string("invalid task_params: ") + error.what());
    }
  }

  // In a pipeline job with use_previous_results, the result of the job before it; else nullopt.
  const std::optional<Json>& PreviousResult() const { return previous_result_; }

  // True once the job's timeout passed or the job is being stopped (cancelled, or this process
  // is shutting down): return soon.
  bool StopRequested() const { return stop_.stop_requested(); }
  std::stop_token StopToken() const { return stop_; }

  // A line in valet's log (component "task") carrying job_id, task and attempt before `fields`,
  // so that a task's lines can be found by job: ctx.Log(LogLevel::kInfo, "resized",
  // {{"width", "640"}}). Does nothing in a context without a logger (one made in a test).
  void Log(LogLevel level, std::string_view message,
           std::initializer_list<LogField> fields = {}) const;
  // Where Log() writes; the worker sets it before the task runs.
  void SetLogger(Logger& logger, std::string task_name) {
    logger_ = &logger;
    task_name_ = std::move(task_name);
  }

  // Says how far the task has come, shown as the job's `progress` while it runs:
  // ctx.ReportProgress(0.4, "copied 4/10"). `fraction` is clamped to [0, 1]; reports are
  // stored at most every 250 ms (one made sooner is stored with the next report or when the task
  // returns). Cheap to call often; does nothing in a context without a sink (one made in a test).
  void ReportProgress(double fraction, std::string_view message = {}) const {
    if (progress_) progress_(fraction, std::string(message));
  }
  // Where ReportProgress() goes; the worker sets it before the task runs.
  void SetProgressSink(std::function<void(double, std::string)> sink) {
    progress_ = std::move(sink);
  }

 private:
  std::string job_id_;
  const Json& params_;
  std::optional<Json> previous_result_;
  std::stop_token stop_;
  int attempt_;
  Logger* logger_ = nullptr;
  std::string task_name_;
  std::function<void(double, std::string)> progress_;
};

// The outcome of a task: a value (stored as the result's metadata), no result, a failure (to retry
// or permanent), or a cancellation.
// Any JSON-convertible value converts to a successful TaskResult, so `return "done";` works.
class TaskResult {
 public:
  enum class Kind { kSuccess, kFailure, kCancelled };

  TaskResult() = default;
  template <typename T>
  requires(!std::is_same_v<std::decay_t<T>, TaskResult> && std::is_constructible_v<Json, T>)
      TaskResult(T&& value)
      : metadata_(std::forward<T>(value)) {}  // NOLINT: implicit by design

  static TaskResult Failure(std::string error, Json metadata = nullptr) {
    TaskResult result;
    result.kind_ = Kind::kFailure;
    result.error_ = std::move(error);
    result.metadata_ = std::move(metadata);
    return result;
  }
  static TaskResult PermanentFailure(std::string error, Json metadata = nullptr) {
    TaskResult result = Failure(std::move(error), std::move(metadata));
    result.permanent_ = true;
    return result;
  }
  static TaskResult Cancelled(std::string reason) {
    TaskResult result;
    result.kind_ = Kind::kCancelled;
    result.error_ = std::move(reason);
    return result;
  }
  static TaskResult NoResult() {
    TaskResult result;
    result.no_result_ = true;
    return result;
  }

  Kind kind() const { return kind_; }
  const Json& metadata() const { return metadata_; }
  Json& metadata() { return metadata_; }
  const std::string& error() const { return error_; }
  // A failure that no retry can mend (bad input, say): the job fails at once.
  bool permanent() const { return permanent_; }
  // A success that stores no result (GET .../results is a 404 for it).
  bool no_result() const { return no_result_; }

 private:
  Kind kind_ = Kind::kSuccess;
  bool permanent_ = false;
  bool no_result_ = false;
  Json metadata_;
  std::string error_;
};

// The job fails with `error`; `metadata` is stored with it. The job runs again if it has
// retries left (its max_retries).
inline TaskResult Failure(std::string error, Json metadata = nullptr) {
  return TaskResult::Failure(std::move(error), std::move(metadata));
}

// The job fails with `error` and is not retried, whatever its max_retries.
inline TaskResult PermanentFailure(std::string error, Json metadata = nullptr) {
  return TaskResult::PermanentFailure(std::move(error), std::move(metadata));
}

// The job completes, and no result is stored for it: for a task whose work is its effect.
inline TaskResult NoResult() { return TaskResult::NoResult(); }

// The task gave up because it was asked to stop.
inline TaskResult Cancelled(std::string reason = "cancelled") {
  return TaskResult::Cancelled(std::move(reason));
}

using TaskFunction = std::function<TaskResult(TaskContext&)>;

}  // namespace valet
