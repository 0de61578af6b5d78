#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "valet/core/job_factory.hpp"
#include "valet/core/job_service.hpp"
#include "valet/core/pipeline_service.hpp"
#include "valet/core/requests.hpp"
#include "valet/ports/logger.hpp"
#include "valet/ports/schedule_repository.hpp"

namespace valet::core {

// A schedule declared with the config ("config") or in code ("code"), stored at start-up.
struct DeclaredSchedule {
  ScheduleRequest request;
  std::string origin;
};

// The use cases of recurring jobs, and the ticks themselves.
//
// Each due tick is submitted under an id derived from the schedule and the tick (a job, or a
// pipeline whose job ids derive from it), then the schedule is advanced by a compare-and-set on
// its revision. Any number of instances may run the same tick: the second submit finds the id
// taken and creates nothing, and one advance wins. An instance that dies between the two steps
// leaves the tick due; whoever runs it next finds its job already there. No leader is needed.
class ScheduleService {
 public:
  // How many of the latest runs a schedule keeps.
  static constexpr std::size_t kRunsKept = 10;
  // Due schedules handled per RunDueTicks() call.
  static constexpr std::size_t kTickBatch = 100;

  ScheduleService(ScheduleRepository& repository, JobService& jobs, PipelineService& pipelines,
                  const JobFactory& factory, Logger& logger)
      : repository_(repository),
        jobs_(jobs),
        pipelines_(pipelines),
        factory_(factory),
        logger_(logger) {}

  // kInvalidArgument with a one-line reason for a request that could never run (no name, no or
  // two timings, an unreadable cron, interval or zone, no or two targets, a target that fails
  // the checks of a submit or names run_at/run_in); kConflict when the name is taken.
  Result<Schedule> Create(const ScheduleRequest& request);
  // The checks of Create() alone: nothing is stored.
  Status Validate(const ScheduleRequest& request) const { return Check(request).status(); }
  Result<Schedule> Get(const std::string& id);
  Result<std::vector<Schedule>> List();
  // Applies the fields the patch names, as a compare-and-set (read again and retried when a tick
  // or another patch came first). A new timing, and a resume, start from the first tick after
  // now; ticks missed while paused never run. A schedule declared in config.yaml or in code only
  // takes `paused`: kConflict for the rest, which belongs to its declaration.
  Result<Schedule> Patch(const std::string& id, const SchedulePatch& patch);
  Status Delete(const std::string& id);

  // A schedule from config.yaml (origin "config") or from code ("code"), known by its name: it
  // is created, or its stored definition is brought to this one. Whether it is paused, and its
  // runs, stay as stored. Every instance may declare the same schedule at start-up.
  Result<Schedule> Declare(const ScheduleRequest& request, const std::string& origin);

  // Submits the ticks due now and advances their schedules. Returns when the next tick is
  // known to fall within `look_ahead` (at the earliest a short pause from now when a due tick
  // could not be submitted), nullopt when none is.
  OptionalTime RunDueTicks(std::chrono::milliseconds look_ahead);

 private:
  // The checked definition of a request, as stored: timing, target, and the first tick.
  struct Definition {
    Json timing;
    Json target;
  };
  Result<Definition> Check(const ScheduleRequest& request) const;
  Result<ScheduleTiming> TimingOf(const Schedule& schedule) const;
  // The next tick after `now`, or nullopt for a paused schedule.
  Result<OptionalTime> FirstTick(const Schedule& schedule, TimePoint now) const;
  // Runs one due tick; false when its submit failed for a reason that may pass (the tick stays
  // due and is tried again).
  bool RunTick(Schedule schedule, TimePoint now);
  // Submits the schedule's target for `tick` and records the outcome in `run`.
  Status SubmitTick(const Schedule& schedule, TimePoint tick, Json& run);
  // Reads, changes and writes back a schedule until the compare-and-set succeeds.
  template <typename Change>
  Result<Schedule> Update(const std::string& id, Change change);

  ScheduleRepository& repository_;
  JobService& jobs_;
  PipelineService& pipelines_;
  const JobFactory& factory_;
  Logger& logger_;
};

// "schedule with ID: X not found".
Status ScheduleNotFound(const std::string& id);

}  // namespace valet::core
