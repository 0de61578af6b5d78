#include "valet/core/schedule_timing.hpp"

#include "valet/core/duration_format.hpp"

namespace valet::core {

namespace {

// Ticks counted one by one before PlanTick stops counting: a day of a per-second schedule.
constexpr int kMostTicksCounted = 86'400;

}  // namespace

Result<MissedTicks> ParseMissedTicks(const std::string& text) {
  if (text.empty() || text == "skip") return MissedTicks::kSkip;
  if (text == "run_once") return MissedTicks::kRunOnce;
  return Status::InvalidArgument("invalid missed \"" + text + "\": expected skip or run_once");
}

Result<ScheduleTiming> ScheduleTiming::Parse(const ScheduleTimingSpec& spec, TimePoint anchor) {
  if (spec.cron.empty() == spec.every.empty()) {
    return Status::InvalidArgument(spec.cron.empty()
                                       ? "cron or every required"
                                       : "cron and every cannot both be given: choose one");
  }
  ScheduleTiming timing;
  timing.spec_ = spec;
  timing.anchor_ = anchor;
  if (!spec.time_zone.empty()) {
    auto zone = TimeZone::Load(spec.time_zone);
    if (!zone.ok()) return zone.status();
    timing.zone_ = *zone;
  }
  auto missed = ParseMissedTicks(spec.missed);
  if (!missed.ok()) return missed.status();
  timing.missed_ = *missed;
  if (!spec.cron.empty()) {
    auto cron = CronExpression::Parse(spec.cron);
    if (!cron.ok()) return cron.status();
    timing.cron_ = std::move(*cron);
    return timing;
  }
  auto every = ParseDuration(spec.every);
  if (!every) {
    return Status::InvalidArgument("invalid every \"" + spec.every +
                                   "\": expected a duration such as 30s, 15m or 1h (units ms, s, "
                                   "m and h)");
  }
  if (*every < kShortestInterval) return Status::InvalidArgument("every must be at least 1s");
  timing.every_ = *every;
  return timing;
}

std::optional<TimePoint> ScheduleTiming::NextAfter(TimePoint after) const {
  if (cron_) return cron_->NextAfter(after, zone_);
  auto every = std::chrono::duration_cast<TimePoint::duration>(every_);
  // Ticks are anchor + k × every for k >= 1.
  auto k = after < anchor_ ? 1 : (after - anchor_) / every + 1;
  return anchor_ + k * every;
}

TickPlan PlanTick(const ScheduleTiming& timing, TimePoint due, TimePoint now) {
  TickPlan plan;
  TimePoint latest = due;
  int came = 1;
  for (auto tick = timing.NextAfter(due); tick && *tick <= now && came < kMostTicksCounted;
       tick = timing.NextAfter(*tick)) {
    latest = *tick;
    ++came;
  }
  bool on_time = came < kMostTicksCounted && now - latest <= ScheduleTiming::kOnTimeWithin;
  if (on_time || timing.missed() == MissedTicks::kRunOnce) plan.run = latest;
  plan.missed = came - (on_time ? 1 : 0);
  plan.next = timing.NextAfter(now);
  return plan;
}

}  // namespace valet::core
