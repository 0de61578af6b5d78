#include "demo_tasks.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace valetd {

namespace {

std::string MessageParam(const valet::TaskContext& ctx, const char* fallback) {
  const valet::Json& params = ctx.RawParams();
  if (params.is_object() && params.contains("message") && params["message"].is_string()) {
    return params["message"].get<std::string>();
  }
  return fallback;
}

valet::TaskResult Echo(valet::TaskContext& ctx) {
  valet::Json result{{"params", ctx.RawParams()}};
  if (ctx.PreviousResult()) result["previous"] = *ctx.PreviousResult();
  return result;
}

valet::TaskResult Sleep(valet::TaskContext& ctx) {
  std::int64_t ms = 0;
  const valet::Json& params = ctx.RawParams();
  if (params.is_object() && params.contains("ms")) {
    if (!params["ms"].is_number_integer() || params["ms"].get<std::int64_t>() < 0) {
      return valet::Failure("task_params.ms must be a non-negative integer");
    }
    ms = params["ms"].get<std::int64_t>();
  }
  // In steps of at most 100 ms, each reported as progress.
  constexpr std::int64_t kStep = 100;
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  for (std::int64_t slept = 0; slept < ms;) {
    std::int64_t step = std::min(kStep, ms - slept);
    bool stopped =
        wake.wait_for(lock, ctx.StopToken(), std::chrono::milliseconds(step), [] { return false; });
    if (stopped || ctx.StopRequested()) return valet::Cancelled("sleep was asked to stop");
    slept += step;
    ctx.ReportProgress(static_cast<double>(slept) / static_cast<double>(ms),
                       "slept " + std::to_string(slept) + " of " + std::to_string(ms) + " ms");
  }
  if (ctx.StopRequested()) return valet::Cancelled("sleep was asked to stop");
  return "slept";
}

}  // namespace

void RegisterDemoTasks(valet::Valet& valet) {
  valet.RegisterTask("dummytask",
                     [](valet::TaskContext&) { return valet::TaskResult("some metadata"); });
  valet.RegisterTask("echo", Echo);
  valet.RegisterTask(
      "fail", [](valet::TaskContext& ctx) { return valet::Failure(MessageParam(ctx, "failed")); });
  valet.RegisterTask("sleep", Sleep);
  valet.RegisterTask("throw", [](valet::TaskContext& ctx) -> valet::TaskResult {
    throw std::runtime_error(MessageParam(ctx, "thrown"));
  });
  valet.RegisterTask("noop", [](valet::TaskContext&) { return valet::TaskResult(); });
}

}  // namespace valetd
