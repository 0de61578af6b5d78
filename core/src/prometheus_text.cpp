#include "valet/core/prometheus_text.hpp"

#include <cmath>
#include <cstdio>

namespace valet::core {

namespace {

std::string Escaped(std::string_view value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '"') escaped += '\\';
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  return escaped;
}

std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

}  // namespace

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::Name(std::string_view name, const MetricLabels& labels) {
  text_.append(name);
  if (labels.empty()) return;
  text_ += '{';
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) text_ += ',';
    text_.append(labels[i].first).append("=\"").append(Escaped(labels[i].second)).append("\"");
  }
  text_ += '}';
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  Name(name, labels);
  text_.append(" ").append(Number(value)).append("\n");
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels,
                            std::uint64_t value) {
  Name(name, labels);
  text_.append(" ").append(std::to_string(value)).append("\n");
}

void LatencyHistogram::Record(std::chrono::duration<double> elapsed) {
  double seconds = elapsed.count();
  std::size_t bucket = 0;
  while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  auto micros = static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e6);
  sum_micros_.fetch_add(micros, std::memory_order_relaxed);
}

void LatencyHistogram::WriteTo(PrometheusText& out, std::string_view name,
                               const MetricLabels& labels) const {
  std::string bucket_name = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    MetricLabels with_le = labels;
    with_le.emplace_back("le", i < kBounds.size() ? Number(kBounds[i]) : "+Inf");
    out.Sample(bucket_name, with_le, cumulative);
  }
  out.Sample(std::string(name) + "_sum", labels,
             static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6);
  out.Sample(std::string(name) + "_count", labels, cumulative);
}

}  // namespace valet::core
