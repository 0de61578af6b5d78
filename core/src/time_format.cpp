#include "valet/core/time_format.hpp"

#include <charconv>
#include <cstdio>

namespace valet::core {

namespace {

bool ReadDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string FormatTime(TimePoint time) {
  using namespace std::chrono;
  auto day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss clock{time - day};
  char buffer[48];
  int length = std::snprintf(
      buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02lld", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<long>(clock.hours().count()), static_cast<long>(clock.minutes().count()),
      static_cast<long long>(clock.seconds().count()));
  std::string text(buffer, static_cast<std::size_t>(length));
  auto micros = clock.subseconds().count();
  if (micros != 0) {
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros));
    std::string_view digits(fraction);
    while (digits.back() == '0') digits.remove_suffix(1);
    text += digits;
  }
  text += 'Z';
  return text;
}

std::optional<TimePoint> ParseTime(std::string_view text) {
  using namespace std::chrono;
  int y, mo, d, h, mi, s;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, y) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, mo) || text[7] != '-' || !ReadDigits(text, 8, 2, d) ||
      (text[10] != 'T' && text[10] != 't') || !ReadDigits(text, 11, 2, h) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, mi) || text[16] != ':' || !ReadDigits(text, 17, 2, s)) {
    return std::nullopt;
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;

  std::size_t pos = 19;
  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 6; ++i) micros *= 10;
  }

  if (pos >= text.size()) return std::nullopt;  // the zone is required
  minutes offset{0};
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh, om;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = hours{oh} + minutes{om};
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  TimePoint local = sys_days{date} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
  return local - offset;
}

}  // namespace valet::core
