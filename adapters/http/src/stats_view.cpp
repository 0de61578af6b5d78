#include "stats_view.hpp"

#include "valet/core/time_format.hpp"

namespace valet::adapters::http {

ApiJson StatsView(const core::Metrics& metrics, std::optional<std::int64_t> queue_depth) {
  ApiJson minutes = ApiJson::array();
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  for (const core::JobHistory::Minute& minute : metrics.history.LastHour()) {
    minutes.push_back(ApiJson{{"start", core::FormatTime(minute.start)},
                              {"completed", minute.completed},
                              {"failed", minute.failed}});
    completed += minute.completed;
    failed += minute.failed;
  }
  ApiJson view{
      {"completed", completed},
      {"failed", failed},
      {"failure_rate", completed + failed == 0
                           ? 0.0
                           : static_cast<double>(failed) / static_cast<double>(completed + failed)},
      {"workers", metrics.workers()},
      {"workers_busy", metrics.busy_workers()}};
  if (queue_depth) view["queue_depth"] = *queue_depth;
  view["minutes"] = std::move(minutes);
  return view;
}

}  // namespace valet::adapters::http
