#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "valet/core/prometheus_text.hpp"

namespace valet::core {

// API requests this process served, by protocol ("http", "grpc"), route (a template such as
// "/api/jobs/{id}" or a gRPC method, never a raw path, so the label set stays small) and status
// (the HTTP status or gRPC code), with their latency by protocol and route. Safe to record from
// many threads.
class RequestMetrics {
 public:
  void Record(const std::string& protocol, const std::string& route, const std::string& status,
              std::chrono::duration<double> elapsed);

  void WriteTo(PrometheusText& out) const;

 private:
  using RouteKey = std::tuple<std::string, std::string>;               // protocol, route
  using CountKey = std::tuple<std::string, std::string, std::string>;  // ... and status

  mutable std::mutex mutex_;
  std::map<CountKey, std::uint64_t> counts_;
  std::map<RouteKey, std::unique_ptr<LatencyHistogram>> latencies_;
};

}  // namespace valet::core
