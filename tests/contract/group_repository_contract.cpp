// The behaviour every GroupRepository owes (see ports/group_repository.hpp): part of the
// JobRepository contract, so every repository under test runs it on its Groups().
#include <atomic>
#include <thread>

#include "job_repository_contract.hpp"
#include "valet/core/uuid_generator.hpp"
#include "valet/ports/group_repository.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kEpoch = sys_days{2031y / 5 / 2} + 8h + 7min + 6s + 543210us;

std::string NewId() {
  static core::UuidGenerator ids;
  return ids.NewId();
}

Group MakeGroup(std::string name, TimePoint created = kEpoch) {
  Group group;
  group.id = NewId();
  group.name = std::move(name);
  group.definition = Json{{"members",
                           {{{"job", {{"name", "a"}, {"task_name", "noop"}}}},
                            {{"job", {{"name", "b"}, {"task_name", "noop"}}}}}}};
  group.created_at = created;
  group.revision = 1;
  return group;
}

std::vector<std::string> IdsOf(const std::vector<Group>& groups) {
  std::vector<std::string> ids;
  for (const Group& group : groups) ids.push_back(group.id);
  return ids;
}

TEST_P(JobRepositoryContract, GroupStoresAndReadsBackEveryField) {
  Group group = MakeGroup("fan out ☃ \"quoted\" 'single' \\ " + std::string(300, 'g'));
  group.description = std::string(4000, 'd') + "🙂";
  group.definition["then"] =
      Json{{"name", "sum"}, {"task_name", "noop"}, {"task_params", {{"x", 1.5}}}};
  group.status = JobStatus::kFailed;
  group.failure_reason = "member 2 failed: boom";
  group.completed_at = kEpoch + 3s + 1us;
  group.revision = 4;
  ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());

  auto read = repository().Groups().GetGroup(group.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->id, group.id);
  EXPECT_EQ(read->name, group.name);
  EXPECT_EQ(read->description, group.description);
  EXPECT_EQ(read->definition, group.definition);
  EXPECT_EQ(read->status, JobStatus::kFailed);
  EXPECT_EQ(read->failure_reason, "member 2 failed: boom");
  EXPECT_EQ(read->created_at, kEpoch);
  EXPECT_EQ(read->completed_at, kEpoch + 3s + 1us);
  EXPECT_EQ(read->revision, 4);
}

TEST_P(JobRepositoryContract, GroupStartsPendingWithoutACompletionTime) {
  Group group = MakeGroup("fresh");
  ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());
  Group read = *repository().Groups().GetGroup(group.id);
  EXPECT_EQ(read.status, JobStatus::kPending);
  EXPECT_FALSE(read.completed_at.has_value());
  EXPECT_EQ(read.description, "");
  EXPECT_EQ(read.failure_reason, "");
}

TEST_P(JobRepositoryContract, GroupUnknownAndMalformedIdsAreNotFound) {
  EXPECT_EQ(repository().Groups().GetGroup(NewId()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().Groups().GetGroup("not-a-uuid").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().Groups().DeleteGroup(NewId()).code(), StatusCode::kNotFound);
  EXPECT_EQ(repository().Groups().DeleteGroup("x' OR '1'='1").code(), StatusCode::kNotFound);
  Group ghost = MakeGroup("ghost");
  EXPECT_EQ(repository().Groups().UpdateGroup(ghost).code(), StatusCode::kNotFound);
  ghost.id = "not-a-uuid";
  EXPECT_EQ(repository().Groups().UpdateGroup(ghost).code(), StatusCode::kNotFound);
}

TEST_P(JobRepositoryContract, GroupDuplicateIdIsAConflict) {
  Group group = MakeGroup("first");
  ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());
  Group again = group;
  again.name = "second";
  EXPECT_EQ(repository().Groups().CreateGroup(again).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().Groups().GetGroup(group.id)->name, "first");
}

TEST_P(JobRepositoryContract, GroupsListOldestFirstAndFilterByStatus) {
  Group second = MakeGroup("second", kEpoch + 2s);
  Group first = MakeGroup("first", kEpoch + 1s);
  Group third = MakeGroup("third", kEpoch + 3s);
  third.status = JobStatus::kCompleted;
  for (const Group& group : {second, third, first}) {
    ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());
  }
  EXPECT_EQ(IdsOf(*repository().Groups().ListGroups(std::nullopt)),
            (std::vector<std::string>{first.id, second.id, third.id}));
  EXPECT_EQ(IdsOf(*repository().Groups().ListGroups(JobStatus::kPending)),
            (std::vector<std::string>{first.id, second.id}));
  EXPECT_EQ(IdsOf(*repository().Groups().ListGroups(JobStatus::kCompleted)),
            (std::vector<std::string>{third.id}));
  EXPECT_TRUE(repository().Groups().ListGroups(JobStatus::kFailed)->empty());
}

TEST_P(JobRepositoryContract, GroupUpdateIsACompareAndSetOnTheRevision) {
  Group group = MakeGroup("cas");
  ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());

  Group settled = group;
  settled.name = "renamed";
  settled.description = "described";
  settled.status = JobStatus::kCompleted;
  settled.completed_at = kEpoch + 9s;
  settled.definition = Json{{"members", Json::array()}};  // not written
  settled.created_at = kEpoch + 1h;                       // not written
  ASSERT_TRUE(repository().Groups().UpdateGroup(settled).ok());

  Group read = *repository().Groups().GetGroup(group.id);
  EXPECT_EQ(read.revision, group.revision + 1);
  EXPECT_EQ(read.name, "renamed");
  EXPECT_EQ(read.description, "described");
  EXPECT_EQ(read.status, JobStatus::kCompleted);
  EXPECT_EQ(read.completed_at, kEpoch + 9s);
  EXPECT_EQ(read.definition, group.definition);
  EXPECT_EQ(read.created_at, kEpoch);
  EXPECT_EQ(IdsOf(*repository().Groups().ListGroups(JobStatus::kCompleted)),
            std::vector<std::string>{group.id});
  EXPECT_TRUE(repository().Groups().ListGroups(JobStatus::kPending)->empty());

  Group stale = settled;
  stale.status = JobStatus::kFailed;
  EXPECT_EQ(repository().Groups().UpdateGroup(stale).code(), StatusCode::kConflict);
  EXPECT_EQ(repository().Groups().GetGroup(group.id)->status, JobStatus::kCompleted);
}

TEST_P(JobRepositoryContract, GroupUpdatesRacingOnOneRevisionHaveOneWinner) {
  Group group = MakeGroup("raced");
  ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());
  constexpr int kRacers = 8;
  std::atomic<int> won{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      Group mine = group;
      mine.status = i % 2 ? JobStatus::kCompleted : JobStatus::kFailed;
      mine.failure_reason = "racer " + std::to_string(i);
      mine.completed_at = kEpoch + seconds(i + 1);
      Status updated = repository().Groups().UpdateGroup(mine);
      if (updated.ok()) {
        ++won;
      } else {
        EXPECT_EQ(updated.code(), StatusCode::kConflict) << updated.ToString();
      }
    });
  }
  for (auto& racer : racers) racer.join();
  EXPECT_EQ(won.load(), 1);
  Group read = *repository().Groups().GetGroup(group.id);
  int winner = std::stoi(read.failure_reason.substr(6));
  EXPECT_EQ(read.completed_at, kEpoch + seconds(winner + 1));
  EXPECT_EQ(read.status, winner % 2 ? JobStatus::kCompleted : JobStatus::kFailed);
  EXPECT_EQ(read.revision, group.revision + 1);
}

TEST_P(JobRepositoryContract, GroupDeleteRemovesOnlyTheGroup) {
  Group group = MakeGroup("doomed");
  ASSERT_TRUE(repository().Groups().CreateGroup(group).ok());
  Job job;
  job.id = NewId();
  job.name = "kept";
  job.task_name = "noop";
  job.created_at = kEpoch;
  ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository().Groups().DeleteGroup(group.id).ok());
  EXPECT_EQ(repository().Groups().GetGroup(group.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(repository().Groups().ListGroups(std::nullopt)->empty());
  EXPECT_TRUE(repository().GetJob(job.id).ok());
  EXPECT_EQ(repository().Groups().DeleteGroup(group.id).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace valet::testing
