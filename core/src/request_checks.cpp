#include "valet/core/request_checks.hpp"

#include <algorithm>
#include <cctype>

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
