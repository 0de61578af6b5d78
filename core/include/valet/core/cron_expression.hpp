#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "valet/core/time_zone.hpp"
#include "valet/ports/status.hpp"
#include "valet/ports/time.hpp"

namespace valet::core {

// A cron expression as crontab(5) and robfig/cron read it: five fields (minute, hour, day of
// month, month, day of week) or six with seconds first. A field is `*`, a number, a range `a-b`,
// any of those with a step (`*/15`, `10-50/20`, `5/10` for 5 to the end), or a comma-separated
// list of them; months and weekdays also by name (`JAN`, `mon-fri`), Sunday as 0 or 7, and `?`
// as `*` in the day fields. `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily`
// (`@midnight`) and `@hourly` stand for their usual expressions. When both day fields are
// restricted a day matching either one matches, as in Vixie cron.
class CronExpression {
 public:
  // InvalidArgument with a one-line reason naming the field, including for an expression that
  // matches no day at all (`0 0 30 2 *`).
  static Result<CronExpression> Parse(std::string_view text);

  // The first instant strictly after `after` whose local time in `zone` the expression matches;
  // nullopt only past the end of the calendar (every expression Parse accepts matches at least
  // once in any eight years).
  // Around daylight-saving changes every matching local time yields exactly one instant: a time
  // the clocks skip (02:30 when 02:00 becomes 03:00) fires at the moment of the change, and a
  // time they repeat fires at its first occurrence only.
  std::optional<TimePoint> NextAfter(TimePoint after, const TimeZone& zone) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::uint64_t seconds_ = 0;        // bit n: second n
  std::uint64_t minutes_ = 0;        // bit n: minute n
  std::uint32_t hours_ = 0;          // bit n: hour n
  std::uint32_t days_of_month_ = 0;  // bit n: day n (1-31)
  std::uint16_t months_ = 0;         // bit n: month n (1-12)
  std::uint8_t days_of_week_ = 0;    // bit n: weekday n, 0 = Sunday
  bool any_day_of_month_ = false;    // the field was `*` or `?`
  bool any_day_of_week_ = false;

  bool MatchesDay(int year, int month, int day) const;
};

}  // namespace valet::core
