#include "valet/core/schedule_service.hpp"

#include <gtest/gtest.h>

#include <set>

#include "valet/adapters/memory/memory_job_repository.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using namespace std::chrono;

// 2031-01-15T10:00:00Z, a Wednesday in winter.
const TimePoint kStart = sys_days{2031y / 1 / 15} + 10h;

// One valet instance: its services over the repository and queue that all instances share.
struct Instance {
  Instance(JobRepository& repository, JobQueue& queue, ScheduleRepository& schedules,
           const TaskRegistry& tasks, Clock& clock, IdGenerator& ids, Logger& logger)
      : factory(tasks, clock, ids),
        jobs(repository, queue, factory, nullptr),
        pipelines(repository, queue, factory, nullptr),
        service(schedules, jobs, pipelines, factory, logger) {}

  JobFactory factory;
  JobService jobs;
  PipelineService pipelines;
  ScheduleService service;
};

// Fails UpdateSchedule() while `refuse_updates` is set: an instance that submitted a tick and
// died (or lost its backend) before it could advance the schedule.
class FlakyScheduleRepository final : public ScheduleRepository {
 public:
  explicit FlakyScheduleRepository(ScheduleRepository& inner) : inner_(inner) {}
  Status CreateSchedule(const Schedule& schedule) override {
    return inner_.CreateSchedule(schedule);
  }
  Result<Schedule> GetSchedule(const std::string& id) override { return inner_.GetSchedule(id); }
  Result<std::vector<Schedule>> ListSchedules() override { return inner_.ListSchedules(); }
  Status UpdateSchedule(const Schedule& schedule) override {
    if (refuse_updates) return Status::Unavailable("connection lost");
    return inner_.UpdateSchedule(schedule);
  }
  Status DeleteSchedule(const std::string& id) override { return inner_.DeleteSchedule(id); }
  Result<std::vector<Schedule>> ListDueSchedules(TimePoint now, std::size_t limit) override {
    return inner_.ListDueSchedules(now, limit);
  }

  bool refuse_updates = false;

 private:
  ScheduleRepository& inner_;
};

class ScheduleServiceTest : public ::testing::Test {
 protected:
  ScheduleServiceTest() {
    tasks_.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
    clock_.Set(kStart);
  }

  Instance& instance() { return first_; }
  ScheduleService& service() { return first_.service; }

  static ScheduleRequest EveryMinute(std::string name = "every minute") {
    ScheduleRequest request;
    request.name = std::move(name);
    request.timing.every = "1m";
    request.job = JobRequest{.name = "tick", .task_name = "noop", .task_params = {{"n", 1}}};
    return request;
  }

  // Moves the clock to the schedule's next tick and runs the due ticks there.
  void RunNextTick(const std::string& id, ScheduleService& on) {
    auto schedule = on.Get(id);
    ASSERT_TRUE(schedule.ok()) << schedule.status().ToString();
    ASSERT_TRUE(schedule->next_run_at.has_value());
    clock_.Set(*schedule->next_run_at);
    on.RunDueTicks(seconds{1});
  }

  std::vector<Job> Jobs() { return *repository_.ListJobs(std::nullopt); }

  adapters::memory::MemoryJobRepository repository_;
  testing::RecordingJobQueue queue_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  testing::RecordingLogger logger_;
  TaskRegistry tasks_;
  Instance first_{repository_, queue_, repository_.Schedules(), tasks_, clock_, ids_, logger_};
};

TEST_F(ScheduleServiceTest, RefusesRequestsThatCouldNeverRun) {
  auto refused = [&](ScheduleRequest request) {
    auto created = service().Create(request);
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
    return created.status().message();
  };
  ScheduleRequest request = EveryMinute();
  request.name.clear();
  EXPECT_EQ(refused(request), "name required");
  request = EveryMinute();
  request.timing.every.clear();
  EXPECT_EQ(refused(request), "cron or every required");
  request.timing.cron = "61 * * * *";
  EXPECT_NE(refused(request).find("61"), std::string::npos);
  request.timing.every = "1m";
  EXPECT_EQ(refused(request), "cron and every cannot both be given: choose one");
  request = EveryMinute();
  request.timing.time_zone = "Mars/Olympus_Mons";
  EXPECT_NE(refused(request).find("Mars/Olympus_Mons"), std::string::npos);
  request = EveryMinute();
  request.job.reset();
  EXPECT_EQ(refused(request), "job or pipeline required");
  request = EveryMinute();
  request.pipeline = PipelineRequest{.name = "p"};
  EXPECT_EQ(refused(request),
            "job and pipeline cannot both be given: a schedule submits one of them");
  request = EveryMinute();
  request.job->task_name = "missing";
  EXPECT_EQ(refused(request), "job: missing is not a valid task name - valid tasks: [noop]");
  request = EveryMinute();
  request.job->run_in = "5m";
  EXPECT_EQ(refused(request),
            "job.run_at and job.run_in cannot be used in a schedule: its cron or every says when "
            "each run starts");
  request = EveryMinute();
  request.job.reset();
  request.pipeline = PipelineRequest{.name = "p", .jobs = {{.name = "a", .task_name = "noop"}}};
  EXPECT_EQ(refused(request), "pipeline: pipeline should have at least 2 jobs, 1 given");
  EXPECT_TRUE(service().List()->empty());
}

TEST_F(ScheduleServiceTest, CreateStoresTheDefinitionAndTheFirstTickAfterNow) {
  ScheduleRequest request = EveryMinute();
  request.timing.every = "90s";
  request.description = "described";
  auto created = service().Create(request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Schedule stored = *service().Get(created->id);
  EXPECT_EQ(stored.name, "every minute");
  EXPECT_EQ(stored.description, "described");
  EXPECT_EQ(stored.timing, (Json{{"every", "90s"}, {"missed", "skip"}}));
  EXPECT_EQ(
      stored.target,
      (Json{{"job", {{"name", "tick"}, {"task_name", "noop"}, {"task_params", {{"n", 1}}}}}}));
  EXPECT_EQ(stored.next_run_at, kStart + 90s);
  EXPECT_EQ(stored.origin, "api");
  EXPECT_EQ(stored.created_at, kStart);
  EXPECT_EQ(stored.revision, created->revision);

  ScheduleRequest nightly = EveryMinute("nightly");
  nightly.timing = {.cron = "0 3 * * *", .time_zone = "Europe/Berlin"};
  auto berlin = service().Create(nightly);
  ASSERT_TRUE(berlin.ok()) << berlin.status().ToString();
  EXPECT_EQ(berlin->next_run_at, sys_days{2031y / 1 / 16} + 2h);  // 03:00 CET is 02:00Z

  EXPECT_EQ(service().Create(EveryMinute("nightly")).status().code(), StatusCode::kConflict);
  EXPECT_EQ(service().Create(EveryMinute("nightly")).status().message(),
            "a schedule named \"nightly\" already exists");
}

TEST_F(ScheduleServiceTest, ATickSubmitsOneJobUnderADerivedIdAndAdvances) {
  auto created = service().Create(EveryMinute());
  ASSERT_TRUE(created.ok());
  clock_.Set(kStart + 59s);
  service().RunDueTicks(seconds{1});
  EXPECT_TRUE(Jobs().empty()) << "nothing is due before the first tick";

  RunNextTick(created->id, service());
  ASSERT_EQ(Jobs().size(), 1u);
  Job job = Jobs().front();
  EXPECT_EQ(job.name, "tick");
  EXPECT_EQ(job.task_params, (Json{{"n", 1}}));
  EXPECT_EQ(queue_.pushed, std::vector<std::string>{job.id});
  EXPECT_EQ(job.id, NameBasedUuid("schedule:" + created->id + "@" + FormatTime(kStart + 1min)));

  Schedule after = *service().Get(created->id);
  EXPECT_EQ(after.next_run_at, kStart + 2min);
  ASSERT_EQ(after.last_runs.size(), 1u);
  EXPECT_EQ(after.last_runs[0]["tick"], FormatTime(kStart + 1min));
  EXPECT_EQ(after.last_runs[0]["job_id"], job.id);
  EXPECT_EQ(after.last_runs[0]["submitted_at"], FormatTime(kStart + 1min));

  for (int i = 0; i < 12; ++i) RunNextTick(created->id, service());
  EXPECT_EQ(Jobs().size(), 13u);
  after = *service().Get(created->id);
  EXPECT_EQ(after.last_runs.size(), ScheduleService::kRunsKept);
  EXPECT_EQ(after.last_runs[0]["tick"], FormatTime(kStart + 13min));
}

TEST_F(ScheduleServiceTest, InstancesRunningTheSameTickMakeOneJob) {
  Instance second{repository_, queue_, repository_.Schedules(), tasks_, clock_, ids_, logger_};
  auto created = service().Create(EveryMinute());
  ASSERT_TRUE(created.ok());
  clock_.Set(kStart + 1min);
  service().RunDueTicks(seconds{1});
  // The second instance read the schedule as due before the first advanced it.
  Schedule as_read = *service().Get(created->id);
  as_read.next_run_at = kStart + 1min;
  ASSERT_TRUE(repository_.Schedules().UpdateSchedule(as_read).ok());
  second.service.RunDueTicks(seconds{1});
  EXPECT_EQ(Jobs().size(), 1u);
  EXPECT_EQ(service().Get(created->id)->next_run_at, kStart + 2min);
}

TEST_F(ScheduleServiceTest, ATickLeftDueByADeadInstanceIsNotSubmittedTwice) {
  FlakyScheduleRepository flaky(repository_.Schedules());
  Instance dying{repository_, queue_, flaky, tasks_, clock_, ids_, logger_};
  auto created = service().Create(EveryMinute());
  ASSERT_TRUE(created.ok());
  clock_.Set(kStart + 1min);
  flaky.refuse_updates = true;
  dying.service.RunDueTicks(seconds{1});
  ASSERT_EQ(Jobs().size(), 1u);
  EXPECT_EQ(service().Get(created->id)->next_run_at, kStart + 1min) << "still due";

  clock_.Set(kStart + 1min + 2s);
  service().RunDueTicks(seconds{1});
  EXPECT_EQ(Jobs().size(), 1u);
  Schedule after = *service().Get(created->id);
  EXPECT_EQ(after.next_run_at, kStart + 2min);
  EXPECT_EQ(after.last_runs[0]["job_id"], Jobs().front().id);
}

TEST_F(ScheduleServiceTest, MissedTicksFollowThePolicy) {
  auto skipping = service().Create(EveryMinute("skip"));
  ScheduleRequest once = EveryMinute("once");
  once.timing.missed = "run_once";
  auto catching_up = service().Create(once);
  ASSERT_TRUE(skipping.ok() && catching_up.ok());

  clock_.Set(kStart + 1h + 30s);  // an outage: 60 ticks passed
  service().RunDueTicks(seconds{1});
  std::vector<Job> jobs = Jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].id,
            NameBasedUuid("schedule:" + catching_up->id + "@" + FormatTime(kStart + 1h)));
  Schedule skipped = *service().Get(skipping->id);
  EXPECT_EQ(skipped.next_run_at, kStart + 61min);
  EXPECT_EQ(skipped.last_runs[0]["missed"], 60);
  EXPECT_FALSE(skipped.last_runs[0].contains("job_id"));
  Schedule caught_up = *service().Get(catching_up->id);
  EXPECT_EQ(caught_up.next_run_at, kStart + 61min);
  EXPECT_EQ(caught_up.last_runs[0]["missed"], 60);
  EXPECT_EQ(caught_up.last_runs[0]["tick"], FormatTime(kStart + 1h));
}

TEST_F(ScheduleServiceTest, APipelineTickSubmitsThePipelineUnderADerivedId) {
  ScheduleRequest request = EveryMinute("pipeline");
  request.job.reset();
  request.pipeline = PipelineRequest{
      .name = "p",
      .jobs = {{.name = "a", .task_name = "noop"}, {.name = "b", .task_name = "noop"}}};
  auto created = service().Create(request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  RunNextTick(created->id, service());
  RunNextTick(created->id, service());

  auto pipelines = *repository_.ListPipelines(std::nullopt);
  ASSERT_EQ(pipelines.size(), 2u);
  EXPECT_EQ(pipelines[0].id,
            NameBasedUuid("schedule:" + created->id + "@" + FormatTime(kStart + 1min)));
  EXPECT_EQ(Jobs().size(), 4u);
  EXPECT_EQ(queue_.pushed,
            (std::vector<std::string>{pipelines[0].job_ids[0], pipelines[1].job_ids[0]}));
  std::set<std::string> ids;
  for (const Job& job : Jobs()) ids.insert(job.id);
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(service().Get(created->id)->last_runs[0]["pipeline_id"], pipelines[1].id);
}

TEST_F(ScheduleServiceTest, ATickRefusedForGoodIsRecordedAndTheScheduleMovesOn) {
  tasks_.Register("soon_gone", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  ScheduleRequest request = EveryMinute();
  request.job->task_name = "soon_gone";
  auto created = service().Create(request);
  ASSERT_TRUE(created.ok());
  TaskRegistry without;  // a new build that no longer registers the task
  without.Register("noop", [](TaskContext&) { return TaskResult(); }).IgnoreError();
  Instance upgraded{repository_, queue_, repository_.Schedules(), without, clock_, ids_, logger_};
  RunNextTick(created->id, upgraded.service);
  EXPECT_TRUE(Jobs().empty());
  Schedule after = *service().Get(created->id);
  EXPECT_EQ(after.next_run_at, kStart + 2min);
  EXPECT_EQ(after.last_runs[0]["error"],
            "soon_gone is not a valid task name - valid tasks: [noop]");
}

TEST_F(ScheduleServiceTest, ATickThatCannotBeQueuedStaysDueAndRunsOnceLater) {
  auto created = service().Create(EveryMinute());
  ASSERT_TRUE(created.ok());
  clock_.Set(kStart + 1min);
  queue_.full = true;
  OptionalTime retry = service().RunDueTicks(seconds{1});
  EXPECT_TRUE(Jobs().empty()) << "the refused submit is undone";
  EXPECT_EQ(service().Get(created->id)->next_run_at, kStart + 1min);
  ASSERT_TRUE(retry.has_value());
  EXPECT_GT(*retry, kStart + 1min) << "no busy loop while the queue is full";

  queue_.full = false;
  clock_.Set(kStart + 1min + 3s);
  service().RunDueTicks(seconds{1});
  ASSERT_EQ(Jobs().size(), 1u);
  EXPECT_EQ(Jobs().front().id,
            NameBasedUuid("schedule:" + created->id + "@" + FormatTime(kStart + 1min)));
  EXPECT_EQ(service().Get(created->id)->next_run_at, kStart + 2min);
}

TEST_F(ScheduleServiceTest, PatchChangesOnlyWhatItNames) {
  auto created = service().Create(EveryMinute());
  ASSERT_TRUE(created.ok());
  clock_.Set(kStart + 10s);
  auto renamed = service().Patch(created->id, {.name = "renamed"});
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->name, "renamed");
  EXPECT_EQ(renamed->next_run_at, kStart + 1min) << "same timing, same next tick";
  EXPECT_EQ(renamed->updated_at, kStart + 10s);
  EXPECT_EQ(renamed->target, created->target);

  auto cron = service().Patch(created->id, {.cron = "*/5 * * * *"});
  ASSERT_TRUE(cron.ok()) << cron.status().ToString();
  EXPECT_EQ(cron->timing, (Json{{"cron", "*/5 * * * *"}, {"missed", "skip"}}));
  EXPECT_EQ(cron->next_run_at, kStart + 5min);

  EXPECT_EQ(
      service().Patch(created->id, {.every = "", .time_zone = "Nowhere/Else"}).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(service().Patch(created->id, {.name = ""}).status().message(), "name required");
  ASSERT_TRUE(service().Create(EveryMinute("taken")).ok());
  EXPECT_EQ(service().Patch(created->id, {.name = "taken"}).status().message(),
            "a schedule named \"taken\" already exists");
  EXPECT_EQ(service().Get(created->id)->name, "renamed");
  EXPECT_EQ(service().Patch(ids_.NewId(), {.name = "x"}).status().code(), StatusCode::kNotFound);
}

TEST_F(ScheduleServiceTest, APausedScheduleMissesItsTicksAndResumesAfterNow) {
  auto created = service().Create(EveryMinute());
  ASSERT_TRUE(created.ok());
  auto paused = service().Patch(created->id, {.paused = true});
  ASSERT_TRUE(paused.ok());
  EXPECT_TRUE(paused->paused);
  EXPECT_FALSE(paused->next_run_at.has_value());

  clock_.Set(kStart + 10min + 5s);
  service().RunDueTicks(seconds{1});
  EXPECT_TRUE(Jobs().empty());
  auto resumed = service().Patch(created->id, {.paused = false});
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->next_run_at, kStart + 11min);
  service().RunDueTicks(seconds{1});
  EXPECT_TRUE(Jobs().empty()) << "ticks missed while paused never run";
  RunNextTick(created->id, service());
  EXPECT_EQ(Jobs().size(), 1u);
}

TEST_F(ScheduleServiceTest, DeclaredSchedulesAreKeptInStepWithTheirDeclaration) {
  ScheduleRequest declared = EveryMinute("from config");
  auto first = service().Declare(declared, "config");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->origin, "config");
  EXPECT_EQ(first->id, NameBasedUuid("declared schedule:from config"));

  // Another instance starting with the same config changes nothing.
  Instance second{repository_, queue_, repository_.Schedules(), tasks_, clock_, ids_, logger_};
  auto again = second.service.Declare(declared, "config");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revision, first->revision);

  // Paused through the API, then declared with a new interval: stays paused, takes the interval.
  ASSERT_TRUE(service().Patch(first->id, {.paused = true}).ok());
  EXPECT_EQ(service().Patch(first->id, {.description = "x"}).status().message(),
            "schedule \"from config\" is declared in config.yaml: change it there (only paused "
            "can be changed here)");
  declared.timing.every = "5m";
  auto changed = service().Declare(declared, "config");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(changed->paused);
  EXPECT_EQ(changed->timing["every"], "5m");
  EXPECT_EQ(service().List()->size(), 1u);

  ASSERT_TRUE(service().Create(EveryMinute("made by hand")).ok());
  EXPECT_EQ(service().Declare(EveryMinute("made by hand"), "code").status().code(),
            StatusCode::kConflict);
}

// One tick a day at 02:30 Berlin time, across both daylight saving changes of 2031: the skipped
// 02:30 of 30 March runs once at 03:00, the repeated 02:30 of 26 October runs once.
TEST_F(ScheduleServiceTest, DaylightSavingChangesNeitherSkipNorDoubleATick) {
  clock_.Set(sys_days{2031y / 3 / 27});
  ScheduleRequest request = EveryMinute("daily");
  request.timing = {.cron = "30 2 * * *", .time_zone = "Europe/Berlin"};
  auto created = service().Create(request);
  ASSERT_TRUE(created.ok());
  std::vector<TimePoint> ticks;
  for (int day = 0; day < 6; ++day) {
    ticks.push_back(*service().Get(created->id)->next_run_at);
    RunNextTick(created->id, service());
  }
  EXPECT_EQ(ticks, (std::vector<TimePoint>{
                       sys_days{2031y / 3 / 27} + 1h + 30min, sys_days{2031y / 3 / 28} + 1h + 30min,
                       sys_days{2031y / 3 / 29} + 1h + 30min,
                       sys_days{2031y / 3 / 30} + 1h,  // 03:00 CEST, the first time after 02:00
                       sys_days{2031y / 3 / 31} + 30min, sys_days{2031y / 4 / 1} + 30min}));
  EXPECT_EQ(Jobs().size(), 6u);

  clock_.Set(sys_days{2031y / 10 / 25});
  ASSERT_TRUE(service().Patch(created->id, {.paused = true}).ok());
  ASSERT_TRUE(service().Patch(created->id, {.paused = false}).ok());
  ticks.clear();
  for (int day = 0; day < 3; ++day) {
    ticks.push_back(*service().Get(created->id)->next_run_at);
    RunNextTick(created->id, service());
  }
  EXPECT_EQ(ticks, (std::vector<TimePoint>{sys_days{2031y / 10 / 25} + 30min,
                                           sys_days{2031y / 10 / 26} + 30min,  // the first 02:30
                                           sys_days{2031y / 10 / 27} + 1h + 30min}));
}

}  // namespace
}  // namespace valet::core
