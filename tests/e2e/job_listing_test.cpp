// GET /api/jobs: order and the ?status= filter.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::Not;

std::vector<std::string> Ids(const Json& list) {
  std::vector<std::string> ids;
  for (const Json& item : list) ids.push_back(item.value("id", ""));
  return ids;
}

class JobListingTest : public ValetdTest {
 protected:
  Json List(const std::string& query) {
    HttpReply reply = client().Get("/api/jobs" + query);
    EXPECT_EQ(reply.status, 200) << reply.body;
    Json body = reply.json();
    if (!body.is_object() || !body["jobs"].is_array()) {
      ADD_FAILURE() << "not a job list: " << reply.body;
      return Json::array();
    }
    return body["jobs"];
  }
};

TEST_F(JobListingTest, ListsJobsOldestFirst) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.push_back(
        SubmitJob(client(), {{"name", "job" + std::to_string(i)}, {"task_name", "noop"}}));
  }

  Json jobs = List("");

  std::vector<std::string> listed = Ids(jobs);
  std::vector<std::string> ours;
  std::copy_if(listed.begin(), listed.end(), std::back_inserter(ours), [&](const std::string& id) {
    return std::find(created.begin(), created.end(), id) != created.end();
  });
  EXPECT_EQ(ours, created);
  for (std::size_t i = 1; i < jobs.size(); ++i) {
    auto before = ParseUtc(jobs[i - 1].value("created_at", ""));
    auto after = ParseUtc(jobs[i].value("created_at", ""));
    ASSERT_TRUE(before && after) << jobs.dump();
    EXPECT_LE(*before, *after) << "jobs " << i - 1 << " and " << i << " of " << jobs.dump();
  }
}

TEST_F(JobListingTest, FiltersByStatusCaseInsensitively) {
  std::string done = SubmitJob(client(), {{"name", "ok"}, {"task_name", "noop"}});
  std::string failed = SubmitJob(client(), {{"name", "bad"}, {"task_name", "fail"}});
  ASSERT_EQ(WaitForJob(client(), done)["status"], "COMPLETED");
  ASSERT_EQ(WaitForJob(client(), failed)["status"], "FAILED");

  for (const char* query : {"?status=completed", "?status=COMPLETED", "?status=Completed"}) {
    Json jobs = List(query);
    EXPECT_THAT(Ids(jobs), Contains(done)) << query;
    EXPECT_THAT(Ids(jobs), Not(Contains(failed))) << query;
    for (const Json& job : jobs) EXPECT_EQ(job["status"], "COMPLETED") << query;
  }
  Json failures = List("?status=failed");
  EXPECT_THAT(Ids(failures), Contains(failed));
  EXPECT_THAT(Ids(failures), Not(Contains(done)));
  Json all = List("");
  EXPECT_THAT(Ids(all), Contains(done));
  EXPECT_THAT(Ids(all), Contains(failed));
}

TEST_F(JobListingTest, StatusWithNoJobsGivesAnEmptyList) {
  std::string done = SubmitJob(client(), {{"name", "ok"}, {"task_name", "noop"}});
  ASSERT_EQ(WaitForJob(client(), done)["status"], "COMPLETED");

  EXPECT_EQ(List("?status=cancelled"), Json::array());
}

TEST_F(JobListingTest, RejectsUnknownStatus) {
  EXPECT_EQ(ErrorMessage(client().Get("/api/jobs?status=bogus"), 400), "invalid status: \"BOGUS\"");
}

}  // namespace
}  // namespace valet::e2e
