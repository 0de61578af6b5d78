#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "valet/core/cron_expression.hpp"
#include "valet/core/time_zone.hpp"
#include "valet/ports/status.hpp"
#include "valet/ports/time.hpp"

namespace valet::core {

// What to do with the ticks of a schedule that passed while no valet instance ran it.
enum class MissedTicks {
  kSkip,     // none of them run; the schedule carries on from the next tick
  kRunOnce,  // one run stands for all of them, then the schedule carries on
};

// "skip" or "run_once"; InvalidArgument naming both otherwise.
Result<MissedTicks> ParseMissedTicks(const std::string& text);

// When a recurring job runs, as a client writes it: a cron expression in a time zone, or a
// fixed interval from an anchor.
struct ScheduleTimingSpec {
  std::string cron;       // 5 or 6 fields, or a macro; "" with `every`
  std::string every;      // a duration such as "90s" or "1h"; "" with `cron`
  std::string time_zone;  // tz database name for `cron`; "" is UTC
  std::string missed;     // "skip" (the default, for "") or "run_once"
};

// A schedule's timing, checked: its ticks and what happens to ticks that were missed.
class ScheduleTiming {
 public:
  // A tick later than this after its time counts as missed; on time otherwise. Wide enough for
  // a ticker that polls once a second on a busy machine, narrow next to any interval allowed.
  static constexpr std::chrono::seconds kOnTimeWithin{10};
  // The shortest interval of `every`; a cron expression can tick every second.
  static constexpr std::chrono::seconds kShortestInterval{1};

  // `anchor` is where the ticks of `every` count from (the first is anchor + every); cron
  // ignores it. InvalidArgument with a one-line reason: neither or both of cron and every, an
  // unreadable expression, interval, zone or missed policy, or an interval under a second. A
  // zone is checked with `every` too, where it changes nothing.
  static Result<ScheduleTiming> Parse(const ScheduleTimingSpec& spec, TimePoint anchor);

  // The first tick strictly after `after`: the cron expression's next match in the zone, or the
  // next anchor + k × every. nullopt only past the end of the calendar.
  std::optional<TimePoint> NextAfter(TimePoint after) const;

  MissedTicks missed() const { return missed_; }
  const ScheduleTimingSpec& spec() const { return spec_; }

 private:
  ScheduleTimingSpec spec_;
  std::optional<CronExpression> cron_;
  TimeZone zone_ = TimeZone::Utc();
  std::chrono::milliseconds every_{0};
  TimePoint anchor_{};
  MissedTicks missed_ = MissedTicks::kSkip;
};

// What an instance does when a schedule's next tick, `due`, has come (due <= now).
struct TickPlan {
  std::optional<TimePoint> run;   // the tick to submit a job for; nullopt: none this time
  std::optional<TimePoint> next;  // the schedule's next tick, after `now`
  int missed = 0;                 // ticks that passed without a run of their own
};

// Of the ticks from `due` up to `now`, the latest runs if it is on time (within kOnTimeWithin);
// the others passed without a run (an outage) and follow the schedule's policy: kSkip leaves
// them, kRunOnce gives one run for all of them (as the latest tick). Either way the next tick is
// the first after `now`, so a schedule never runs more than once to catch up. Instances that
// plan the same `due` at different times may choose different ticks to run; submitting under
// an idempotency key per schedule and tick keeps each tick to one job all the same.
TickPlan PlanTick(const ScheduleTiming& timing, TimePoint due, TimePoint now);

}  // namespace valet::core
