#pragma once

#include <cstdint>
#include <string>

#include "valet/ports/json.hpp"
#include "valet/ports/time.hpp"

namespace valet {

// A recurring submit: a job or a pipeline, submitted at each tick of a cron expression or of a
// fixed interval. The repository stores the definition as the core hands it over (`timing`,
// `target` and `last_runs` are opaque JSON to it) and indexes `next_run_at`.
struct Schedule {
  std::string id;
  std::string name;  // unique among schedules
  std::string description;
  // When it ticks, as the client wrote it: {"cron", "time_zone", "missed"} or {"every", ...}.
  Json timing;
  // What each tick submits, as a request: {"job": {...}} or {"pipeline": {...}}.
  Json target;
  bool paused = false;
  // The next tick; nullopt while paused (or when the calendar has no more ticks).
  OptionalTime next_run_at;
  // The latest submits, newest first: objects with "tick", "submitted_at" and the "job_id" or
  // "pipeline_id" made (or the "error" that stopped it); null when it has not run yet.
  Json last_runs;
  // Where it was declared: "api", "config" (config.yaml) or "code" (Valet::AddSchedule).
  std::string origin = "api";
  TimePoint created_at{};
  TimePoint updated_at{};
  // Bumped by every update; updates are a compare-and-set on it.
  std::int64_t revision = 0;
};

}  // namespace valet
