#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace valet::core {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Writes the Prometheus text exposition format (version 0.0.4): each family once with its HELP
// and TYPE lines, then its samples, label values escaped.
class PrometheusText {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  void Sample(std::string_view name, const MetricLabels& labels, std::uint64_t value);

  const std::string& text() const { return text_; }

 private:
  void Name(std::string_view name, const MetricLabels& labels);
  std::string text_;
};

// A latency histogram with fixed buckets (seconds) that many threads record into without a lock.
class LatencyHistogram {
 public:
  static constexpr std::array<double, 14> kBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60};

  void Record(std::chrono::duration<double> elapsed);
  // The _bucket, _sum and _count samples of family `name` (whose HELP/TYPE the caller wrote).
  void WriteTo(PrometheusText& out, std::string_view name, const MetricLabels& labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> counts_{};  // the last: +Inf only
  std::atomic<std::uint64_t> sum_micros_{0};
};

}  // namespace valet::core
