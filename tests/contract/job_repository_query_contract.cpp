// Labels, filters and pages of FindJobs(), owed by every JobRepository.
#include <set>

#include "job_repository_contract.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::testing {
namespace {

using namespace std::chrono;

const TimePoint kBase = sys_days{2030y / 3 / 1} + 654321us;

Job MakeJob(std::string name, TimePoint created, std::string task = "noop", Labels labels = {}) {
  static core::UuidGenerator ids;
  Job job;
  job.id = ids.NewId();
  job.name = std::move(name);
  job.task_name = std::move(task);
  job.created_at = created;
  job.labels = std::move(labels);
  return job;
}

std::vector<std::string> NamesOf(const std::vector<Job>& jobs) {
  std::vector<std::string> names;
  for (const Job& job : jobs) names.push_back(job.name);
  return names;
}

std::vector<std::string> Find(JobRepository& repository, JobQuery query) {
  auto page = repository.FindJobs(query);
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  if (!page.ok()) return {};
  EXPECT_TRUE(page->next_cursor.empty()) << "a query without a limit is one page";
  return NamesOf(page->jobs);
}

// Follows next_cursor from the first page to the last; fails the test on a page over the limit
// or a job seen twice.
std::vector<std::string> FindAllPages(JobRepository& repository, JobQuery query,
                                      int* pages = nullptr) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (int page_count = 1; page_count <= 1000; ++page_count) {
    auto page = repository.FindJobs(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    EXPECT_LE(page->jobs.size(), query.limit);
    for (const Job& job : page->jobs) {
      EXPECT_TRUE(seen.insert(job.id).second) << job.name << " came twice";
      names.push_back(job.name);
    }
    if (pages) *pages = page_count;
    if (page->next_cursor.empty()) break;
    query.cursor = page->next_cursor;
  }
  return names;
}

TEST_P(JobRepositoryContract, StoresLabelsWithEveryWayOfCreating) {
  Labels labels{{"customer", "acme ☃"}, {"team/billing.v2", "a:b c"}, {"empty", ""}};
  Job single = MakeJob("single", kBase, "noop", labels);
  ASSERT_TRUE(repository().CreateJob(single).ok());
  Job batched = MakeJob("batched", kBase + 1s, "noop", {{"batch", "1"}});
  ASSERT_TRUE(repository().CreateJobs({batched}).ok());
  Job unlabelled = MakeJob("unlabelled", kBase + 2s);
  ASSERT_TRUE(repository().CreateJob(unlabelled).ok());

  EXPECT_EQ(repository().GetJob(single.id)->labels, labels);
  EXPECT_EQ(repository().GetJob(batched.id)->labels, (Labels{{"batch", "1"}}));
  EXPECT_TRUE(repository().GetJob(unlabelled.id)->labels.empty());
  auto listed = repository().ListJobs(std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].labels, labels);
}

TEST_P(JobRepositoryContract, FiltersByTaskLabelsStatusAndCreatedRange) {
  std::vector<Job> jobs = {
      MakeJob("a", kBase + 1s, "email", {{"customer", "acme"}}),
      MakeJob("b", kBase + 2s, "resize", {{"customer", "acme"}, {"tier", "gold"}}),
      MakeJob("c", kBase + 3s, "email", {{"customer", "zeta"}, {"tier", "gold"}}),
      MakeJob("d", kBase + 4s, "email"),
  };
  for (const Job& job : jobs) ASSERT_TRUE(repository().CreateJob(job).ok());
  ASSERT_TRUE(repository()
                  .TransitionJob(
                      jobs[2].id,
                      {JobStatus::kPending, JobStatus::kInProgress, kBase + 5s, {}, std::nullopt})
                  .ok());

  EXPECT_EQ(Find(repository(), {}), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(Find(repository(), {.task_name = "email"}), (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(Find(repository(), {.labels = {{"customer", "acme"}}}),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Find(repository(), {.labels = {{"customer", "acme"}, {"tier", "gold"}}}),
            (std::vector<std::string>{"b"}));
  EXPECT_TRUE(Find(repository(), {.labels = {{"customer", "acm"}}}).empty());
  EXPECT_TRUE(Find(repository(), {.labels = {{"customers", "acme"}}}).empty());
  EXPECT_EQ(Find(repository(), {.status = JobStatus::kInProgress}),
            (std::vector<std::string>{"c"}));
  EXPECT_EQ(Find(repository(), {.status = JobStatus::kPending, .task_name = "email"}),
            (std::vector<std::string>{"a", "d"}));
  // Both bounds are inclusive.
  EXPECT_EQ(Find(repository(), {.created_after = kBase + 2s, .created_before = kBase + 3s}),
            (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(Find(repository(), {.created_after = kBase + 3s}),
            (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(Find(repository(), {.created_before = kBase + 1s}), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Find(repository(), {.task_name = "email", .labels = {{"tier", "gold"}}}),
            (std::vector<std::string>{"c"}));
  EXPECT_TRUE(Find(repository(), {.task_name = "nothing"}).empty());
}

TEST_P(JobRepositoryContract, PagesFollowTheCursorThroughEveryJobOnce) {
  // Jobs created in the same microsecond too: the cursor must tell them apart.
  std::vector<Job> jobs;
  for (int i = 0; i < 23; ++i) {
    jobs.push_back(MakeJob("job-" + std::to_string(i), kBase + seconds(i / 4)));
  }
  ASSERT_TRUE(repository().CreateJobs(jobs).ok());
  std::vector<std::string> all = NamesOf(*repository().ListJobs(std::nullopt));
  ASSERT_EQ(all.size(), jobs.size());

  int pages = 0;
  EXPECT_EQ(FindAllPages(repository(), {.limit = 5}, &pages), all);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(FindAllPages(repository(), {.limit = 1}), all);
  EXPECT_EQ(FindAllPages(repository(), {.limit = 23}, &pages), all);
  EXPECT_EQ(pages, 1) << "a page that holds the last job has no cursor";
  EXPECT_EQ(FindAllPages(repository(), {.status = JobStatus::kPending, .limit = 7}), all);
}

TEST_P(JobRepositoryContract, FilteredPagesHoldOnlyMatches) {
  std::vector<Job> jobs;
  std::vector<std::string> gold;
  for (int i = 0; i < 30; ++i) {
    Labels labels;
    if (i % 3 == 0) {
      labels["tier"] = "gold";
      gold.push_back("job-" + std::to_string(i));
    }
    jobs.push_back(MakeJob("job-" + std::to_string(i), kBase + milliseconds(i), "noop", labels));
  }
  ASSERT_TRUE(repository().CreateJobs(jobs).ok());
  EXPECT_EQ(FindAllPages(repository(), {.labels = {{"tier", "gold"}}, .limit = 4}), gold);
  EXPECT_EQ(FindAllPages(repository(), {.labels = {{"tier", "gold"}},
                                        .created_after = kBase + 10ms,
                                        .created_before = kBase + 20ms,
                                        .limit = 2}),
            (std::vector<std::string>{"job-12", "job-15", "job-18"}));
}

TEST_P(JobRepositoryContract, ACursorSurvivesNewAndDeletedJobs) {
  std::vector<Job> jobs;
  for (int i = 0; i < 6; ++i)
    jobs.push_back(MakeJob("job-" + std::to_string(i), kBase + seconds(i)));
  ASSERT_TRUE(repository().CreateJobs(jobs).ok());
  auto first = repository().FindJobs({.limit = 3});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(NamesOf(first->jobs), (std::vector<std::string>{"job-0", "job-1", "job-2"}));
  ASSERT_FALSE(first->next_cursor.empty());

  // The last job of the page goes, one after it goes, a new one comes: the cursor holds.
  ASSERT_TRUE(repository().DeleteJob(jobs[2].id).ok());
  ASSERT_TRUE(repository().DeleteJob(jobs[4].id).ok());
  ASSERT_TRUE(repository().CreateJob(MakeJob("newer", kBase + 10s)).ok());
  auto rest = FindAllPages(repository(), {.limit = 3, .cursor = first->next_cursor});
  EXPECT_EQ(rest, (std::vector<std::string>{"job-3", "job-5", "newer"}));
}

TEST_P(JobRepositoryContract, ARareMatchIsFoundThroughShortPages) {
  // Enough jobs that a backend which bounds the records one page looks at has to hand back a
  // cursor before it reaches the match.
  for (int batch = 0; batch < 3; ++batch) {
    std::vector<Job> common;
    for (int i = 0; i < 800; ++i) {
      common.push_back(MakeJob("common", kBase + milliseconds(batch * 1000 + i)));
    }
    ASSERT_TRUE(repository().CreateJobs(common).ok());
  }
  ASSERT_TRUE(repository().CreateJob(MakeJob("rare", kBase + 1h, "rare-task")).ok());
  int pages = 0;
  EXPECT_EQ(FindAllPages(repository(), {.task_name = "rare-task", .limit = 10}, &pages),
            (std::vector<std::string>{"rare"}));
  EXPECT_LE(pages, 3);
}

TEST_P(JobRepositoryContract, RefusesCursorsItDidNotHandOut) {
  ASSERT_TRUE(repository().CreateJob(MakeJob("a", kBase)).ok());
  for (std::string cursor : {std::string("zz"), std::string("0"), std::string("abc"),
                             core::EncodeCursor({123, "not-a-position"}), std::string(64, 'f')}) {
    auto page = repository().FindJobs({.limit = 2, .cursor = cursor});
    EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument) << cursor;
  }
}

}  // namespace

}  // namespace valet::testing
