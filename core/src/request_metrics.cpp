#include "valet/core/request_metrics.hpp"

namespace valet::core {

void RequestMetrics::Record(const std::string& protocol, const std::string& route,
                            const std::string& status, std::chrono::duration<double> elapsed) {
  LatencyHistogram* histogram;
  {
    std::lock_guard lock(mutex_);
    ++counts_[CountKey{protocol, route, status}];
    auto& slot = latencies_[RouteKey{protocol, route}];
    if (!slot) slot = std::make_unique<LatencyHistogram>();
    histogram = slot.get();  // never removed, so safe to use after the lock
  }
  histogram->Record(elapsed);
}

void RequestMetrics::WriteTo(PrometheusText& out) const {
  std::lock_guard lock(mutex_);
  out.Family("valet_api_requests_total", "counter",
             "API requests served, by protocol, route and status.");
  for (const auto& [key, count] : counts_) {
    const auto& [protocol, route, status] = key;
    out.Sample("valet_api_requests_total",
               {{"protocol", protocol}, {"route", route}, {"status", status}}, count);
  }
  out.Family("valet_api_request_seconds", "histogram",
             "How long API requests took to answer, by protocol and route.");
  for (const auto& [key, histogram] : latencies_) {
    const auto& [protocol, route] = key;
    histogram->WriteTo(out, "valet_api_request_seconds",
                       {{"protocol", protocol}, {"route", route}});
  }
}

}  // namespace valet::core
