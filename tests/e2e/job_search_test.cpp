// GET /api/jobs with labels, filters and pages: task_name, label, created range, limit, cursor.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

std::vector<std::string> NamesOf(const Json& jobs) {
  std::vector<std::string> names;
  for (const Json& job : jobs) names.push_back(job.value("name", ""));
  return names;
}

class JobSearchTest : public ValetdTest {
 protected:
  // A label value of this test alone, since the suite's jobs share one server.
  std::string run() const {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    return test->name();
  }

  std::string Submit(const std::string& name, Json labels, const std::string& task = "noop") {
    labels["run"] = run();
    return SubmitJob(client(), {{"name", name}, {"task_name", task}, {"labels", labels}});
  }

  Json Page(const std::string& query) {
    HttpReply reply = client().Get("/api/jobs?label=run:" + run() + query);
    EXPECT_EQ(reply.status, 200) << reply.body;
    Json body = reply.json();
    if (!body.is_object() || !body["jobs"].is_array()) {
      ADD_FAILURE() << "not a job list: " << reply.body;
      return {{"jobs", Json::array()}};
    }
    return body;
  }
};

TEST_F(JobSearchTest, LabelsAreStoredShownAndFiltered) {
  std::string gold = Submit("gold", {{"tier", "gold"}, {"note", "a b:c ☃"}});
  Submit("silver", {{"tier", "silver"}});
  std::string failing = Submit("failing", {{"tier", "gold"}}, "fail");

  Json job = client().Get("/api/jobs/" + gold).json();
  EXPECT_EQ(job["labels"], (Json{{"note", "a b:c ☃"}, {"run", run()}, {"tier", "gold"}}));
  EXPECT_EQ(NamesOf(Page("")["jobs"]), (std::vector<std::string>{"gold", "silver", "failing"}));
  EXPECT_EQ(NamesOf(Page("&label=tier:gold")["jobs"]),
            (std::vector<std::string>{"gold", "failing"}));
  EXPECT_EQ(NamesOf(Page("&label=tier:gold&task_name=fail")["jobs"]),
            (std::vector<std::string>{"failing"}));
  // Percent-encoded values, the UTF-8 of the snowman among them.
  EXPECT_EQ(NamesOf(Page("&label=note%3Aa%20b%3Ac%20%E2%98%83")["jobs"]),
            (std::vector<std::string>{"gold"}));
  EXPECT_TRUE(Page("&label=tier:bronze")["jobs"].empty());

  ASSERT_EQ(WaitForJob(client(), failing)["status"], "FAILED");
  EXPECT_EQ(NamesOf(Page("&status=failed")["jobs"]), (std::vector<std::string>{"failing"}));
  Json unlabelled =
      client()
          .Get("/api/jobs/" + SubmitJob(client(), {{"name", "plain"}, {"task_name", "noop"}}))
          .json();
  EXPECT_FALSE(unlabelled.contains("labels")) << unlabelled.dump();
}

TEST_F(JobSearchTest, PagesFollowTheCursorToTheEnd) {
  std::vector<std::string> submitted;
  for (int i = 0; i < 7; ++i) {
    submitted.push_back("job-" + std::to_string(i));
    Submit(submitted.back(), Json::object());
  }
  std::vector<std::string> paged;
  std::string query = "&limit=3";
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 10; ++i) {
    Json page = Page(query);
    sizes.push_back(page["jobs"].size());
    for (const std::string& name : NamesOf(page["jobs"])) paged.push_back(name);
    if (!page.contains("next_cursor")) break;
    ASSERT_TRUE(page["next_cursor"].is_string()) << page.dump();
    query = "&limit=3&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(paged, submitted);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
  // Without a limit, valet's unpaginated list: no cursor.
  EXPECT_FALSE(Page("").contains("next_cursor"));
}

TEST_F(JobSearchTest, CreatedRangeIsInclusive) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Submit("job-" + std::to_string(i), Json::object()));
  std::string second = client().Get("/api/jobs/" + ids[1]).json().value("created_at", "");
  std::string third = client().Get("/api/jobs/" + ids[2]).json().value("created_at", "");
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(NamesOf(Page("&created_after=" + second)["jobs"]),
            (std::vector<std::string>{"job-1", "job-2"}));
  EXPECT_EQ(NamesOf(Page("&created_before=" + second)["jobs"]),
            (std::vector<std::string>{"job-0", "job-1"}));
  EXPECT_EQ(NamesOf(Page("&created_after=" + second + "&created_before=" + third)["jobs"]),
            (std::vector<std::string>{"job-1", "job-2"}));
  // An offset, with its '+' sent as it is: a plus is not read as a space.
  auto at = ParseUtc(second);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(NamesOf(Page("&created_after=" + FormatRfc3339(*at, 120))["jobs"]),
            (std::vector<std::string>{"job-1", "job-2"}));
}

TEST_F(JobSearchTest, LabelsTravelWithBatchesAndPipelines) {
  Json batch = {
      {"jobs", {{{"name", "batched"}, {"task_name", "noop"}, {"labels", {{"run", run()}}}}}}};
  ASSERT_EQ(client().Post("/api/jobs/batch", batch).status, 202);
  Json pipeline = {{"name", "p"},
                   {"jobs",
                    {{{"name", "step-1"}, {"task_name", "noop"}, {"labels", {{"run", run()}}}},
                     {{"name", "step-2"}, {"task_name", "noop"}}}}};
  HttpReply created = client().Post("/api/pipelines", pipeline);
  ASSERT_EQ(created.status, 202) << created.body;
  EXPECT_EQ(created.json()["jobs"][0]["labels"]["run"], run());
  EXPECT_EQ(NamesOf(Page("")["jobs"]), (std::vector<std::string>{"batched", "step-1"}));
}

TEST_F(JobSearchTest, BadFiltersAndLabelsAreRefusedClearly) {
  struct Case {
    const char* query;
    const char* message;
  };
  for (const Case& bad : std::vector<Case>{
           {"?limit=0", "limit must be from 1 to 1000"},
           {"?limit=1001", "limit must be from 1 to 1000"},
           {"?limit=ten", "limit must be from 1 to 1000"},
           {"?cursor=zz", "invalid cursor"},
           {"?label=tier", "invalid label filter \"tier\": expected key:value"},
           {"?label=bad%20key:v", "invalid label key \"bad key\""},
           {"?created_after=yesterday", "invalid created_after \"yesterday\""},
           {"?created_after=2030-01-02T00:00:00Z&created_before=2030-01-01T00:00:00Z",
            "created_after is later than created_before"},
           {"?label=x:%zz", "the query string is not percent-encoded correctly"},
       }) {
    std::string message = ErrorMessage(client().Get(std::string("/api/jobs") + bad.query), 400);
    EXPECT_NE(message.find(bad.message), std::string::npos) << bad.query << ": " << message;
  }

  long before = CountJobs(client());
  for (const Json& labels : {Json{{"bad key", "v"}}, Json{{"n", 1}}, Json::array({"a"}),
                             Json{{"k", std::string(256, 'v')}}}) {
    HttpReply reply =
        client().Post("/api/jobs", {{"name", "x"}, {"task_name", "noop"}, {"labels", labels}});
    EXPECT_FALSE(ErrorMessage(reply, 400).empty()) << labels.dump();
  }
  EXPECT_EQ(CountJobs(client()), before) << "a refused submit stores nothing";
}

}  // namespace
}  // namespace valet::e2e
