#include "valet/core/cron_expression.hpp"

#include <absl/time/civil_time.h>

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

#include "time_zone_rules.hpp"

namespace valet::core {

namespace {

constexpr std::array<const char*, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                  "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 7> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names = nullptr;  // names[i] stands for min + i
  int name_count = 0;
  bool question_mark = false;  // `?` allowed, as `*`
};

constexpr FieldSpec kSecond{"second", 0, 59};
constexpr FieldSpec kMinute{"minute", 0, 59};
constexpr FieldSpec kHour{"hour", 0, 23};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, nullptr, 0, true};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames.data(), 12};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, kDayNames.data(), 7, true};

std::string_view MacroExpansion(std::string_view macro) {
  if (macro == "@yearly" || macro == "@annually") return "0 0 1 1 *";
  if (macro == "@monthly") return "0 0 1 * *";
  if (macro == "@weekly") return "0 0 * * 0";
  if (macro == "@daily" || macro == "@midnight") return "0 0 * * *";
  if (macro == "@hourly") return "0 * * * *";
  return "";
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// Parses one field into a bit set; errors are the reason alone, the caller adds the context.
class FieldParser {
 public:
  explicit FieldParser(const FieldSpec& spec) : spec_(spec) {}

  Result<std::uint64_t> Parse(std::string_view field) const {
    std::uint64_t bits = 0;
    for (std::string_view item : Split(field, ',')) {
      auto item_bits = ParseItem(item);
      if (!item_bits.ok()) return item_bits.status();
      bits |= *item_bits;
    }
    return bits;
  }

 private:
  Result<std::uint64_t> ParseItem(std::string_view item) const {
    if (item.empty()) return Status::InvalidArgument("an empty list item");
    std::string_view range = item;
    int step = 1;
    bool stepped = false;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      auto parsed = Number(item.substr(slash + 1));
      if (!parsed || *parsed < 1) {
        return Status::InvalidArgument("step \"" + std::string(item.substr(slash + 1)) +
                                       "\" is not a positive number");
      }
      step = *parsed;
      stepped = true;
    }
    int low = spec_.min;
    int high = spec_.max;
    if (range == "*" || (range == "?" && spec_.question_mark)) {
      // the whole range
    } else if (auto dash = range.find('-'); dash != std::string_view::npos) {
      auto from = Value(range.substr(0, dash));
      if (!from.ok()) return from.status();
      auto to = Value(range.substr(dash + 1));
      if (!to.ok()) return to.status();
      if (*from > *to) {
        return Status::InvalidArgument("range \"" + std::string(range) + "\" runs backwards");
      }
      low = *from;
      high = *to;
    } else {
      auto value = Value(range);
      if (!value.ok()) return value.status();
      low = *value;
      high = stepped ? spec_.max : *value;  // "5/10": from 5 to the end, every 10
    }
    std::uint64_t bits = 0;
    for (int v = low; v <= high; v += step) bits |= std::uint64_t{1} << v;
    return bits;
  }

  Result<int> Value(std::string_view text) const {
    if (auto number = Number(text)) {
      if (*number < spec_.min || *number > spec_.max) {
        return Status::InvalidArgument(std::string(text) + " is out of range " +
                                       std::to_string(spec_.min) + "-" + std::to_string(spec_.max));
      }
      return *number;
    }
    for (int i = 0; i < spec_.name_count; ++i) {
      std::string_view name = spec_.names[i];
      if (text.size() == name.size() &&
          std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        return spec_.min + i;
      }
    }
    return Status::InvalidArgument("\"" + std::string(text) + "\" is not a " +
                                   (spec_.names ? "number or name" : "number"));
  }

  static std::optional<int> Number(std::string_view text) {
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return std::nullopt;
    }
    return value;
  }

  const FieldSpec& spec_;
};

constexpr int kMaxDaysInMonth[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool Has(std::uint64_t bits, int n) { return (bits >> n) & 1; }

}  // namespace

Result<CronExpression> CronExpression::Parse(std::string_view text) {
  std::string quoted = "invalid cron expression \"" + std::string(text) + "\": ";
  std::vector<std::string_view> fields = Fields(text);
  if (fields.size() == 1 && fields[0].starts_with('@')) {
    std::string_view expansion = MacroExpansion(fields[0]);
    if (expansion.empty()) {
      return Status::InvalidArgument(quoted +
                                     "unknown macro; expected @yearly, @annually, @monthly, "
                                     "@weekly, @daily, @midnight or @hourly");
    }
    auto expression = Parse(expansion);
    if (expression.ok()) expression->text_ = std::string(text);
    return expression;
  }
  if (fields.size() != 5 && fields.size() != 6) {
    return Status::InvalidArgument(quoted +
                                   "expected 5 fields (minute hour day-of-month month "
                                   "day-of-week) or 6 (with seconds first), got " +
                                   std::to_string(fields.size()));
  }
  if (fields.size() == 5) fields.insert(fields.begin(), "0");

  const FieldSpec* specs[] = {&kSecond, &kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
  std::uint64_t bits[6];
  for (int i = 0; i < 6; ++i) {
    auto parsed = FieldParser(*specs[i]).Parse(fields[i]);
    if (!parsed.ok()) {
      return Status::InvalidArgument(quoted + specs[i]->name + " field \"" +
                                     std::string(fields[i]) + "\": " + parsed.status().message());
    }
    bits[i] = *parsed;
  }

  CronExpression expression;
  expression.text_ = std::string(text);
  expression.seconds_ = bits[0];
  expression.minutes_ = bits[1];
  expression.hours_ = static_cast<std::uint32_t>(bits[2]);
  expression.days_of_month_ = static_cast<std::uint32_t>(bits[3]);
  expression.months_ = static_cast<std::uint16_t>(bits[4]);
  // Sunday is 0 and 7.
  expression.days_of_week_ = static_cast<std::uint8_t>((bits[5] | (bits[5] >> 7)) & 0x7f);
  expression.any_day_of_month_ = fields[3].starts_with('*') || fields[3].starts_with('?');
  expression.any_day_of_week_ = fields[5].starts_with('*') || fields[5].starts_with('?');

  if (!expression.any_day_of_month_ && expression.any_day_of_week_) {
    bool some_day = false;
    for (int month = 1; month <= 12 && !some_day; ++month) {
      if (!Has(expression.months_, month)) continue;
      for (int day = 1; day <= kMaxDaysInMonth[month] && !some_day; ++day) {
        some_day = Has(expression.days_of_month_, day);
      }
    }
    if (!some_day) return Status::InvalidArgument(quoted + "it matches no day of the year");
  }
  return expression;
}

bool CronExpression::MatchesDay(int year, int month, int day) const {
  absl::CivilDay date(year, month, day);
  bool by_month = Has(days_of_month_, day);
  bool by_week = Has(days_of_week_, (static_cast<int>(absl::GetWeekday(date)) + 1) % 7);
  // Vixie cron: with both fields restricted either one is enough.
  if (!any_day_of_month_ && !any_day_of_week_) return by_month || by_week;
  return by_month && by_week;
}

std::optional<TimePoint> CronExpression::NextAfter(TimePoint after, const TimeZone& zone) const {
  const absl::TimeZone& tz = zone.rules_->zone;
  absl::Time after_instant = absl::FromUnixMicros(after.time_since_epoch().count());
  absl::CivilSecond t = absl::ToCivilSecond(after_instant, tz) + 1;
  // The longest wait there is: a leap day across 2100, eight years.
  const absl::CivilSecond limit = absl::CivilYear(t) + 9;
  while (t < limit) {
    if (!Has(months_, t.month())) {
      t = absl::CivilMonth(t) + 1;
    } else if (!MatchesDay(static_cast<int>(t.year()), t.month(), t.day())) {
      t = absl::CivilDay(t) + 1;
    } else if (!Has(hours_, t.hour())) {
      t = absl::CivilHour(t) + 1;
    } else if (!Has(minutes_, t.minute())) {
      t = absl::CivilMinute(t) + 1;
    } else if (!Has(seconds_, t.second())) {
      t += 1;
    } else {
      // A skipped local time maps to the moment of the change, a repeated one to its first
      // occurrence; either may be no later than `after`, when `after` is past them already.
      absl::Time instant = absl::FromCivil(t, tz);
      if (instant > after_instant) {
        return TimePoint(std::chrono::microseconds(absl::ToUnixMicros(instant)));
      }
      t += 1;
    }
  }
  return std::nullopt;
}

}  // namespace valet::core
