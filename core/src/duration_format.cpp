#include "valet/core/duration_format.hpp"

#include <cstdint>
#include <limits>

namespace valet::core {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 4;
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      if (number > kMax / 10) return std::nullopt;
      number = number * 10 + (text[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    std::int64_t unit = 0;
    if (text.substr(i, 2) == "ms") {
      unit = 1;
      i += 2;
    } else if (i < text.size() && text[i] == 's') {
      unit = 1000;
      ++i;
    } else if (i < text.size() && text[i] == 'm') {
      unit = 60'000;
      ++i;
    } else if (i < text.size() && text[i] == 'h') {
      unit = 3'600'000;
      ++i;
    } else {
      return std::nullopt;
    }
    if (number > (kMax - total) / unit) return std::nullopt;
    total += number * unit;
  }
  return std::chrono::milliseconds{total};
}

}  // namespace valet::core
