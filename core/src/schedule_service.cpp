#include "valet/core/schedule_service.hpp"

#include <algorithm>

#include "valet/core/messages.hpp"
#include "valet/core/request_json.hpp"
#include "valet/core/schedule_json.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::core {

namespace {

constexpr int kUpdateTries = 5;
// Names are unique, so every repository indexes them; this keeps them within any index's limits.
constexpr std::size_t kLongestName = 1000;
// The shortest pause between two rounds, and the pause after a tick that could not be submitted
// (a backend down): it is tried again then, without filling the log.
constexpr std::chrono::milliseconds kShortestPause{10};
constexpr std::chrono::milliseconds kRetryPause{1'000};

Status NameTaken(const std::string& name) {
  return Status::Conflict("a schedule named \"" + name + "\" already exists");
}

bool Given(const std::optional<std::string>& text) { return text && !text->empty(); }

Status StartTimeRefused(const std::string& target) {
  return Status::InvalidArgument(target + ".run_at and " + target +
                                 ".run_in cannot be used in a schedule: its cron or every says "
                                 "when each run starts");
}

// The request a stored schedule was made from.
ScheduleRequest RequestOf(const Schedule& schedule) {
  ScheduleRequest request;
  request.name = schedule.name;
  request.description = schedule.description;
  request.timing = TimingFromJson(schedule.timing);
  request.paused = schedule.paused;
  if (auto job = schedule.target.find("job"); job != schedule.target.end()) {
    if (auto read = JobRequestFromJson(*job); read.ok()) request.job = std::move(*read);
  }
  if (auto pipeline = schedule.target.find("pipeline"); pipeline != schedule.target.end()) {
    if (auto read = PipelineRequestFromJson(*pipeline); read.ok()) {
      request.pipeline = std::move(*read);
    }
  }
  return request;
}

void Apply(const SchedulePatch& patch, ScheduleRequest& request) {
  if (patch.name) request.name = *patch.name;
  if (patch.description) request.description = *patch.description;
  if (patch.cron) request.timing.cron = *patch.cron;
  if (patch.every) request.timing.every = *patch.every;
  // One timing replaces the other, unless the patch names both (which Check() refuses).
  if (patch.cron && !patch.every) request.timing.every.clear();
  if (patch.every && !patch.cron) request.timing.cron.clear();
  if (patch.time_zone) request.timing.time_zone = *patch.time_zone;
  if (patch.missed) request.timing.missed = *patch.missed;
  if (patch.job) request.job = *patch.job;
  if (patch.pipeline) request.pipeline = *patch.pipeline;
  if (patch.job && !patch.pipeline) request.pipeline.reset();
  if (patch.pipeline && !patch.job) request.job.reset();
  if (patch.paused) request.paused = *patch.paused;
}

bool ChangesDefinition(const SchedulePatch& patch) {
  return patch.name || patch.description || patch.cron || patch.every || patch.time_zone ||
         patch.missed || patch.job || patch.pipeline;
}

void Remember(Schedule& schedule, Json run) {
  Json runs = Json::array({std::move(run)});
  if (schedule.last_runs.is_array()) {
    for (const Json& earlier : schedule.last_runs) {
      if (runs.size() == ScheduleService::kRunsKept) break;
      runs.push_back(earlier);
    }
  }
  schedule.last_runs = std::move(runs);
}

}  // namespace

Status ScheduleNotFound(const std::string& id) {
  return Status::NotFound("schedule with ID: " + id + " not found");
}

Result<ScheduleService::Definition> ScheduleService::Check(const ScheduleRequest& request) const {
  if (request.name.empty()) return Status::InvalidArgument("name required");
  if (request.name.size() > kLongestName) {
    return Status::InvalidArgument("name must be at most " + std::to_string(kLongestName) +
                                   " bytes");
  }
  auto timing = ScheduleTiming::Parse(request.timing, factory_.Now());
  if (!timing.ok()) return timing.status();
  if (request.job.has_value() == request.pipeline.has_value()) {
    return Status::InvalidArgument(request.job ? "job and pipeline cannot both be given: a "
                                                 "schedule submits one of them"
                                               : "job or pipeline required");
  }
  Definition definition{TimingToJson(request.timing), Json::object()};
  if (request.job) {
    if (Given(request.job->run_at) || Given(request.job->run_in)) return StartTimeRefused("job");
    if (Status checked = jobs_.Check(*request.job); !checked.ok()) {
      return Status(checked.code(), "job: " + checked.message());
    }
    definition.target["job"] = ToJson(*request.job);
  } else {
    if (Given(request.pipeline->run_at) || Given(request.pipeline->run_in)) {
      return StartTimeRefused("pipeline");
    }
    if (Status checked = pipelines_.Check(*request.pipeline); !checked.ok()) {
      return Status(checked.code(), "pipeline: " + checked.message());
    }
    definition.target["pipeline"] = ToJson(*request.pipeline);
  }
  return definition;
}

Result<ScheduleTiming> ScheduleService::TimingOf(const Schedule& schedule) const {
  // `every` counts its ticks from the schedule's creation.
  return ScheduleTiming::Parse(TimingFromJson(schedule.timing), schedule.created_at);
}

Result<OptionalTime> ScheduleService::FirstTick(const Schedule& schedule, TimePoint now) const {
  if (schedule.paused) return OptionalTime();
  auto timing = TimingOf(schedule);
  if (!timing.ok()) return timing.status();
  return timing->NextAfter(now);
}

Result<Schedule> ScheduleService::Create(const ScheduleRequest& request) {
  auto definition = Check(request);
  if (!definition.ok()) return definition.status();
  TimePoint now = factory_.Now();
  Schedule schedule;
  schedule.id = factory_.NewId();
  schedule.name = request.name;
  schedule.description = request.description;
  schedule.timing = std::move(definition->timing);
  schedule.target = std::move(definition->target);
  schedule.paused = request.paused;
  schedule.created_at = now;
  schedule.updated_at = now;
  schedule.revision = 1;
  auto first = FirstTick(schedule, now);
  if (!first.ok()) return first.status();
  schedule.next_run_at = *first;
  Status stored = repository_.CreateSchedule(schedule);
  if (stored.code() == StatusCode::kConflict) return NameTaken(request.name);
  if (!stored.ok()) return stored;
  return schedule;
}

Result<Schedule> ScheduleService::Get(const std::string& id) {
  auto schedule = repository_.GetSchedule(id);
  if (!schedule.ok()) return RewordNotFound(schedule.status(), ScheduleNotFound(id));
  return schedule;
}

Result<std::vector<Schedule>> ScheduleService::List() { return repository_.ListSchedules(); }

Status ScheduleService::Delete(const std::string& id) {
  return RewordNotFound(repository_.DeleteSchedule(id), ScheduleNotFound(id));
}

template <typename Change>
Result<Schedule> ScheduleService::Update(const std::string& id, Change change) {
  for (int attempt = 0; attempt < kUpdateTries; ++attempt) {
    auto schedule = Get(id);
    if (!schedule.ok()) return schedule.status();
    const std::int64_t read_revision = schedule->revision;
    if (Status changed = change(*schedule, factory_.Now()); !changed.ok()) return changed;
    Status written = repository_.UpdateSchedule(*schedule);
    if (written.ok()) {
      ++schedule->revision;
      return schedule;
    }
    if (written.code() == StatusCode::kNotFound) return ScheduleNotFound(id);
    if (written.code() != StatusCode::kConflict) return written;
    // A conflict is a lost race (try again) unless the schedule is as it was: then the new name
    // belongs to another schedule.
    auto reread = repository_.GetSchedule(id);
    if (reread.ok() && reread->revision == read_revision) return NameTaken(schedule->name);
  }
  return Status::Unavailable("schedule with ID: " + id + " keeps changing; try to change it again");
}

Result<Schedule> ScheduleService::Patch(const std::string& id, const SchedulePatch& patch) {
  return Update(id, [&](Schedule& schedule, TimePoint now) -> Status {
    if (schedule.origin != "api" && ChangesDefinition(patch)) {
      return Status::Conflict("schedule \"" + schedule.name + "\" is declared in " +
                              (schedule.origin == "config" ? "config.yaml" : "code") +
                              ": change it there (only paused can be changed here)");
    }
    ScheduleRequest request = RequestOf(schedule);
    Apply(patch, request);
    auto definition = Check(request);
    if (!definition.ok()) return definition.status();
    bool restart = definition->timing != schedule.timing || schedule.paused != request.paused ||
                   !schedule.next_run_at;
    schedule.name = request.name;
    schedule.description = request.description;
    schedule.timing = std::move(definition->timing);
    schedule.target = std::move(definition->target);
    schedule.paused = request.paused;
    schedule.updated_at = now;
    if (restart) {
      auto first = FirstTick(schedule, now);
      if (!first.ok()) return first.status();
      schedule.next_run_at = *first;
    }
    return Status::Ok();
  });
}

Result<Schedule> ScheduleService::Declare(const ScheduleRequest& request,
                                          const std::string& origin) {
  auto definition = Check(request);
  if (!definition.ok()) return definition.status();
  const std::string id = NameBasedUuid("declared schedule:" + request.name);
  for (int attempt = 0; attempt < kUpdateTries; ++attempt) {
    auto stored = repository_.GetSchedule(id);
    TimePoint now = factory_.Now();
    if (stored.status().code() == StatusCode::kNotFound) {
      Schedule schedule;
      schedule.id = id;
      schedule.name = request.name;
      schedule.description = request.description;
      schedule.timing = definition->timing;
      schedule.target = definition->target;
      schedule.paused = request.paused;
      schedule.origin = origin;
      schedule.created_at = now;
      schedule.updated_at = now;
      schedule.revision = 1;
      auto first = FirstTick(schedule, now);
      if (!first.ok()) return first.status();
      schedule.next_run_at = *first;
      Status created = repository_.CreateSchedule(schedule);
      if (created.ok()) return schedule;
      if (created.code() != StatusCode::kConflict) return created;
      // Another instance declared it first (look again), or the name was taken through the API.
      if (repository_.GetSchedule(id).status().code() == StatusCode::kNotFound) {
        return Status::Conflict("a schedule named \"" + request.name +
                                "\" already exists, made through the API: delete it or rename "
                                "one of them");
      }
      continue;
    }
    if (!stored.ok()) return stored.status();
    Schedule& schedule = *stored;
    if (schedule.description == request.description && schedule.timing == definition->timing &&
        schedule.target == definition->target) {
      return schedule;
    }
    bool new_timing = schedule.timing != definition->timing;
    schedule.description = request.description;
    schedule.timing = definition->timing;
    schedule.target = definition->target;
    schedule.updated_at = now;
    if (new_timing) {
      auto first = FirstTick(schedule, now);
      if (!first.ok()) return first.status();
      schedule.next_run_at = *first;
    }
    Status written = repository_.UpdateSchedule(schedule);
    if (written.ok()) {
      ++schedule.revision;
      return schedule;
    }
    if (written.code() != StatusCode::kConflict) return written;
  }
  return Status::Unavailable("schedule \"" + request.name + "\" keeps changing; start again");
}

OptionalTime ScheduleService::RunDueTicks(std::chrono::milliseconds look_ahead) {
  TimePoint now = factory_.Now();
  auto due = repository_.ListDueSchedules(now, kTickBatch);
  if (!due.ok()) {
    logger_.Log(LogLevel::kWarning, "schedules", "cannot read the due schedules",
                {{"error", due.status().message()}});
    return now + kRetryPause;
  }
  bool stuck = false;
  for (Schedule& schedule : *due) stuck |= !RunTick(std::move(schedule), now);
  if (due->size() == kTickBatch && !stuck) return now;  // more are due

  auto next = repository_.ListDueSchedules(now + look_ahead, 1);
  TimePoint earliest = now + (stuck ? kRetryPause : kShortestPause);
  if (!next.ok() || next->empty()) return stuck ? OptionalTime(earliest) : std::nullopt;
  return std::max(*next->front().next_run_at, earliest);
}

bool ScheduleService::RunTick(Schedule schedule, TimePoint now) {
  const TimePoint due = *schedule.next_run_at;
  Json run = Json::object();
  OptionalTime next;
  if (auto timing = TimingOf(schedule); !timing.ok()) {
    // A stored timing that no longer reads (a zone gone from the tz database): stop the schedule
    // and say why, rather than try it again for ever.
    run["tick"] = FormatTime(due);
    run["error"] = "schedule stopped: " + timing.status().message();
    logger_.Log(LogLevel::kError, "schedules", "schedule stopped: its timing does not read",
                {{"schedule_id", schedule.id}, {"error", timing.status().message()}});
  } else {
    TickPlan plan = PlanTick(*timing, due, now);
    next = plan.next;
    if (plan.missed > 0) {
      run["missed"] = plan.missed;
      logger_.Log(LogLevel::kWarning, "schedules", "ticks were missed while no instance ran",
                  {{"schedule_id", schedule.id},
                   {"missed", std::to_string(plan.missed)},
                   {"policy", plan.run ? "run_once" : "skip"}});
    }
    if (plan.run) {
      run["tick"] = FormatTime(*plan.run);
      if (Status submitted = SubmitTick(schedule, *plan.run, run); !submitted.ok()) {
        if (MayPass(submitted)) {
          logger_.Log(LogLevel::kWarning, "schedules", "cannot submit a tick yet",
                      {{"schedule_id", schedule.id}, {"error", submitted.message()}});
          return false;
        }
        run["error"] = submitted.message();
        logger_.Log(LogLevel::kError, "schedules", "a tick's submit was refused",
                    {{"schedule_id", schedule.id}, {"error", submitted.message()}});
      }
    }
  }
  if (!run.empty()) {
    run["submitted_at"] = FormatTime(factory_.Now());
    Remember(schedule, std::move(run));
  }
  schedule.next_run_at = next;
  Status advanced = repository_.UpdateSchedule(schedule);
  // A conflict: another instance advanced it first, or a patch came in; either way it is done.
  if (advanced.ok() || advanced.code() == StatusCode::kConflict ||
      advanced.code() == StatusCode::kNotFound) {
    return true;
  }
  logger_.Log(LogLevel::kWarning, "schedules", "cannot advance a schedule yet",
              {{"schedule_id", schedule.id}, {"error", advanced.message()}});
  return false;
}

Status ScheduleService::SubmitTick(const Schedule& schedule, TimePoint tick, Json& run) {
  const std::string id = NameBasedUuid("schedule:" + schedule.id + "@" + FormatTime(tick));
  if (auto job = schedule.target.find("job"); job != schedule.target.end()) {
    auto request = JobRequestFromJson(*job);
    if (!request.ok()) return request.status();
    auto created = jobs_.CreateWithId(id, *request);
    // A conflict: this tick's job exists already (another instance, or an earlier try).
    if (!created.ok() && created.status().code() != StatusCode::kConflict) {
      return created.status();
    }
    run["job_id"] = id;
    return Status::Ok();
  }
  if (auto pipeline = schedule.target.find("pipeline"); pipeline != schedule.target.end()) {
    auto request = PipelineRequestFromJson(*pipeline);
    if (!request.ok()) return request.status();
    auto created = pipelines_.CreateWithId(id, *request);
    if (!created.ok() && created.status().code() != StatusCode::kConflict) {
      return created.status();
    }
    run["pipeline_id"] = id;
    return Status::Ok();
  }
  return Status::InvalidArgument("the schedule has no job or pipeline to submit");
}

}  // namespace valet::core
