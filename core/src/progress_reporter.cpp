#include "valet/core/progress_reporter.hpp"

#include <algorithm>
#include <cmath>

namespace valet::core {

namespace {

// Cuts at a UTF-8 character boundary, so the stored text stays valid.
std::string Cut(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

}  // namespace

void ProgressReporter::Report(double fraction, std::string message) {
  if (!std::isfinite(fraction)) return;
  Json progress{{"fraction", std::clamp(fraction, 0.0, 1.0)}};
  if (!message.empty()) progress["message"] = Cut(std::move(message), kMaxMessageBytes);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (last_write_ && now - *last_write_ < interval_) {
      kept_ = std::move(progress);
      return;
    }
    last_write_ = now;
    kept_.reset();
  }
  Write(progress);
}

void ProgressReporter::Flush() {
  std::optional<Json> kept;
  {
    std::lock_guard lock(mutex_);
    kept.swap(kept_);
  }
  if (kept) Write(*kept);
}

void ProgressReporter::Write(const Json& progress) {
  // Conflict or not found: the job is no longer this attempt's, and its outcome says so.
  repository_.SetProgress(std::string(job_id_), std::string(lease_token_), progress).IgnoreError();
}

}  // namespace valet::core
