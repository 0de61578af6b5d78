#include "valet/core/request_checks.hpp"

#include <algorithm>
#include <cctype>

#include "valet/core/time_format.hpp"

namespace valet::core {

Result<std::optional<JobStatus>> ParseStatusFilter(std::string text) {
  if (text.empty()) return std::optional<JobStatus>{};
  auto status = ParseJobStatus(text);
  if (!status) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Status::InvalidArgument("invalid status: \"" + text + "\"");
  }
  return std::optional<JobStatus>{*status};
}

Result<OptionalTime> ParseTimeFilter(const std::string& field, const std::string& text) {
  if (text.empty()) return OptionalTime{};
  auto time = ParseTime(text);
  if (!time) {
    return Status::InvalidArgument("invalid " + field + " \"" + text +
                                   "\": expected RFC 3339 with a time zone, such as "
                                   "2026-01-02T15:04:05Z");
  }
  return OptionalTime{*time};
}

Status CheckIdempotencyKey(const std::string& key) {
  constexpr std::size_t kMaxKeyBytes = 255;
  bool printable =
      std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (key.size() > kMaxKeyBytes || !printable) {
    return Status::InvalidArgument("Idempotency-Key must be 1 to 255 printable ASCII characters");
  }
  return Status::Ok();
}

}  // namespace valet::core
