// The behaviour every ScheduleRepository owes (see ports/schedule_repository.hpp): part of the
// JobRepository contract, so every repository under test runs it on its Schedules().
#include <atomic>
#include <thread>

#include "job_repository_contract.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/ports/schedule_repository.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kEpoch = sys_days{2031y / 3 / 14} + 15h + 9min + 26s + 535897us;

std::string NewId() {
  static core::UuidGenerator ids;
  return ids.NewId();
}

Schedule MakeSchedule(std::string name, TimePoint created = kEpoch) {
  Schedule schedule;
  schedule.id = NewId();
  schedule.name = std::move(name);
  schedule.timing = Json{{"every", "1m"}};
  schedule.target = Json{{"job", {{"name", "tick"}, {"task_name", "noop"}}}};
  schedule.next_run_at = created + 1min;
  schedule.created_at = created;
  schedule.updated_at = created;
  return schedule;
}

std::vector<std::string> IdsOf(const std::vector<Schedule>& schedules) {
  std::vector<std::string> ids;
  for (const Schedule& schedule : schedules) ids.push_back(schedule.id);
  return ids;
}

TEST_P(JobRepositoryContract, ScheduleStoresAndReadsBackEveryField) {
  Schedule schedule = MakeSchedule("nightly ☃ \"report\" 'quoted' \\ " + std::string(300, 'n'));
  schedule.description = std::string(5000, 'd') + "🙂";
  schedule.timing =
      Json{{"cron", "30 2 * * 1-5"}, {"time_zone", "Europe/Berlin"}, {"missed", "run_once"}};
  schedule.target = Json{{"pipeline",
                          {{"name", "p"},
                           {"jobs",
                            {{{"name", "a"}, {"task_name", "noop"}, {"task_params", {{"x", 1.5}}}},
                             {{"name", "b"}, {"task_name", "noop"}}}}}}};
  schedule.paused = true;
  schedule.next_run_at = kEpoch + 7us;
  schedule.last_runs = Json::array({Json{{"tick", "2031-03-14T15:09:00Z"}, {"job_id", NewId()}}});
  schedule.origin = "config";
  schedule.updated_at = kEpoch + 3s;
  schedule.revision = 7;
  ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());

  auto read = repository().Schedules().GetSchedule(schedule.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->id, schedule.id);
  EXPECT_EQ(read->name, schedule.name);
  EXPECT_EQ(read->description, schedule.description);
  EXPECT_EQ(read->timing, schedule.timing);
  EXPECT_EQ(read->target, schedule.target);
  EXPECT_TRUE(read->paused);
  EXPECT_EQ(read->next_run_at, kEpoch + 7us);
  EXPECT_EQ(read->last_runs, schedule.last_runs);
  EXPECT_EQ(read->origin, "config");
  EXPECT_EQ(read->created_at, kEpoch);
  EXPECT_EQ(read->updated_at, kEpoch + 3s);
  EXPECT_EQ(read->revision, 7);
}

TEST_P(JobRepositoryContract, ScheduleStartsWithNoRunsAndMayHaveNoNextTick) {
  Schedule schedule = MakeSchedule("fresh");
  schedule.next_run_at.reset();
  ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());
  Schedule read = *repository().Schedules().GetSchedule(schedule.id);
  EXPECT_FALSE(read.next_run_at.has_value());
  EXPECT_TRUE(read.last_runs.is_null());
  EXPECT_EQ(read.description, "");
  EXPECT_FALSE(read.paused);
  EXPECT_EQ(read.origin, "api");
}

TEST_P(JobRepositoryContract, ScheduleUnknownAndMalformedIdsAreNotFound) {
  EXPECT_EQ(repository().Schedules().GetSchedule(NewId()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().Schedules().GetSchedule("not-a-uuid").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(repository().Schedules().DeleteSchedule(NewId()).code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().Schedules().DeleteSchedule("'; DROP TABLE x; --").code(),
            StatusCode::kNotFound);
  Schedule ghost = MakeSchedule("ghost");
  EXPECT_EQ(repository().Schedules().UpdateSchedule(ghost).code(), StatusCode::kNotFound);
  ghost.id = "not-a-uuid";
  EXPECT_EQ(repository().Schedules().UpdateSchedule(ghost).code(), StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, ScheduleIdsAndNamesAreUnique) {
  Schedule first = MakeSchedule("unique");
  ASSERT_TRUE(repository().Schedules().CreateSchedule(first).ok());
  EXPECT_EQ(repository().Schedules().CreateSchedule(first).code(), StatusCode::kConflict);
  Schedule same_name = MakeSchedule("unique");
  EXPECT_EQ(repository().Schedules().CreateSchedule(same_name).code(), StatusCode::kConflict);
  Schedule same_id = MakeSchedule("other");
  same_id.id = first.id;
  EXPECT_EQ(repository().Schedules().CreateSchedule(same_id).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().Schedules().ListSchedules()->size(), 1u);
  EXPECT_EQ(repository().Schedules().GetSchedule(first.id)->name, "unique");
}

TEST_P(JobRepositoryContract, ScheduleListsOldestFirst) {
  Schedule second = MakeSchedule("second", kEpoch + 2s);
  Schedule first = MakeSchedule("first", kEpoch + 1s);
  Schedule third = MakeSchedule("third", kEpoch + 3s);
  for (const Schedule& schedule : {second, third, first}) {
    ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());
  }
  EXPECT_EQ(IdsOf(*repository().Schedules().ListSchedules()),
            (std::vector<std::string>{first.id, second.id, third.id}));
}

TEST_P(JobRepositoryContract, ScheduleUpdateIsACompareAndSetOnTheRevision) {
  Schedule schedule = MakeSchedule("cas");
  ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());

  Schedule changed = schedule;
  changed.name = "cas renamed";
  changed.description = "now described";
  changed.timing = Json{{"cron", "* * * * *"}};
  changed.target = Json{{"job", {{"name", "other"}, {"task_name", "noop"}}}};
  changed.paused = true;
  changed.next_run_at.reset();
  changed.last_runs = Json::array({Json{{"tick", "t"}, {"error", "refused"}}});
  changed.updated_at = kEpoch + 5s;
  changed.origin = "code";           // not written
  changed.created_at = kEpoch + 1h;  // not written
  ASSERT_TRUE(repository().Schedules().UpdateSchedule(changed).ok());

  Schedule read = *repository().Schedules().GetSchedule(schedule.id);
  EXPECT_EQ(read.revision, schedule.revision + 1);
  EXPECT_EQ(read.name, "cas renamed");
  EXPECT_EQ(read.description, "now described");
  EXPECT_EQ(read.timing, changed.timing);
  EXPECT_EQ(read.target, changed.target);
  EXPECT_TRUE(read.paused);
  EXPECT_FALSE(read.next_run_at.has_value());
  EXPECT_EQ(read.last_runs, changed.last_runs);
  EXPECT_EQ(read.updated_at, kEpoch + 5s);
  EXPECT_EQ(read.origin, "api");
  EXPECT_EQ(read.created_at, kEpoch);

  // The same revision again is stale now: nothing is written.
  Schedule stale = changed;
  stale.description = "stale";
  EXPECT_EQ(repository().Schedules().UpdateSchedule(stale).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().Schedules().GetSchedule(schedule.id)->description, "now described");

  read.next_run_at = kEpoch + 2min;
  ASSERT_TRUE(repository().Schedules().UpdateSchedule(read).ok());
  EXPECT_EQ(repository().Schedules().GetSchedule(schedule.id)->next_run_at, kEpoch + 2min);
  EXPECT_EQ(repository().Schedules().GetSchedule(schedule.id)->revision, schedule.revision + 2);
}

TEST_P(JobRepositoryContract, ScheduleARenameKeepsNamesUnique) {
  Schedule taken = MakeSchedule("taken");
  Schedule mover = MakeSchedule("mover");
  ASSERT_TRUE(repository().Schedules().CreateSchedule(taken).ok());
  ASSERT_TRUE(repository().Schedules().CreateSchedule(mover).ok());

  Schedule clash = mover;
  clash.name = "taken";
  EXPECT_EQ(repository().Schedules().UpdateSchedule(clash).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().Schedules().GetSchedule(mover.id)->name, "mover");
  EXPECT_EQ(repository().Schedules().GetSchedule(mover.id)->revision, mover.revision);

  Schedule renamed = mover;
  renamed.name = "moved";
  ASSERT_TRUE(repository().Schedules().UpdateSchedule(renamed).ok());
  // The old name is free again, and the new one is taken.
  EXPECT_TRUE(repository().Schedules().CreateSchedule(MakeSchedule("mover")).ok());
  EXPECT_EQ(repository().Schedules().CreateSchedule(MakeSchedule("moved")).code(),
            StatusCode::kConflict);
}

TEST_P(JobRepositoryContract, ScheduleDeleteRemovesTheScheduleAndFreesItsName) {
  Schedule schedule = MakeSchedule("doomed");
  schedule.next_run_at = kEpoch;
  ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());
  ASSERT_TRUE(repository().Schedules().DeleteSchedule(schedule.id).ok());
  EXPECT_EQ(repository().Schedules().GetSchedule(schedule.id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(repository().Schedules().DeleteSchedule(schedule.id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository().Schedules().ListSchedules()->empty());
  EXPECT_TRUE(repository().Schedules().ListDueSchedules(kEpoch + 1h, 10)->empty());
  EXPECT_TRUE(repository().Schedules().CreateSchedule(MakeSchedule("doomed")).ok());
}

TEST_P(JobRepositoryContract, ScheduleListsDueSchedulesEarliestFirst) {
  Schedule late = MakeSchedule("late");
  late.next_run_at = kEpoch + 30s;
  Schedule early = MakeSchedule("early");
  early.next_run_at = kEpoch - 1h;
  Schedule exact = MakeSchedule("exact");
  exact.next_run_at = kEpoch;
  Schedule future = MakeSchedule("future");
  future.next_run_at = kEpoch + 1us;
  Schedule paused = MakeSchedule("paused");
  paused.paused = true;
  paused.next_run_at.reset();
  for (const Schedule& schedule : {late, early, exact, future, paused}) {
    ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());
  }

  EXPECT_EQ(IdsOf(*repository().Schedules().ListDueSchedules(kEpoch, 10)),
            (std::vector<std::string>{early.id, exact.id}));
  EXPECT_EQ(IdsOf(*repository().Schedules().ListDueSchedules(kEpoch, 1)),
            (std::vector<std::string>{early.id}));
  EXPECT_EQ(IdsOf(*repository().Schedules().ListDueSchedules(kEpoch + 1min, 10)),
            (std::vector<std::string>{early.id, exact.id, future.id, late.id}));
  EXPECT_TRUE(repository().Schedules().ListDueSchedules(kEpoch - 2h, 10)->empty());

  // Advancing a schedule moves it in the due index.
  Schedule advanced = *repository().Schedules().GetSchedule(early.id);
  advanced.next_run_at = kEpoch + 2min;
  ASSERT_TRUE(repository().Schedules().UpdateSchedule(advanced).ok());
  EXPECT_EQ(IdsOf(*repository().Schedules().ListDueSchedules(kEpoch + 1min, 10)),
            (std::vector<std::string>{exact.id, future.id, late.id}));
  Schedule stopped = *repository().Schedules().GetSchedule(late.id);
  stopped.next_run_at.reset();
  ASSERT_TRUE(repository().Schedules().UpdateSchedule(stopped).ok());
  EXPECT_EQ(IdsOf(*repository().Schedules().ListDueSchedules(kEpoch + 1h, 10)),
            (std::vector<std::string>{exact.id, future.id, early.id}));
}

TEST_P(JobRepositoryContract, ScheduleUpdatesRacingOnOneRevisionHaveOneWinner) {
  Schedule schedule = MakeSchedule("raced");
  ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());
  constexpr int kRacers = 8;
  std::atomic<int> won{0};
  std::atomic<int> lost{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      Schedule mine = schedule;
      mine.description = "racer " + std::to_string(i);
      mine.next_run_at = kEpoch + minutes(i + 2);
      Status updated = repository().Schedules().UpdateSchedule(mine);
      if (updated.ok()) {
        ++won;
      } else if (updated.code() == StatusCode::kConflict) {
        ++lost;
      } else {
        ADD_FAILURE() << updated.ToString();
      }
    });
  }
  for (auto& racer : racers) racer.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), kRacers - 1);
  Schedule read = *repository().Schedules().GetSchedule(schedule.id);
  EXPECT_EQ(read.revision, schedule.revision + 1);
  // The winner's fields, all of them: no mix of two writers.
  int winner = std::stoi(read.description.substr(6));
  EXPECT_EQ(read.next_run_at, kEpoch + minutes(winner + 2));
}

TEST_P(JobRepositoryContract, SchedulesAreSeparateFromJobs) {
  Schedule schedule = MakeSchedule("apart");
  ASSERT_TRUE(repository().Schedules().CreateSchedule(schedule).ok());
  EXPECT_EQ(repository().GetJob(schedule.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository().ListJobs(std::nullopt)->empty());
  EXPECT_EQ(repository().DeleteJob(schedule.id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository().Schedules().GetSchedule(schedule.id).ok());
}

}  // namespace
}  // namespace valet::testing
