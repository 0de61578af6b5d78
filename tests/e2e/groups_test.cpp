// Groups over HTTP: members run at once, the group settles when all have finished, and its then
// job (a chord) gets their results in order.

#include <gtest/gtest.h>

#include <thread>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;

class GroupsTest : public ValetdTest {
 protected:
  // POST /api/groups; the reply's JSON, with a failure unless it is 202.
  Json Create(const Json& request) {
    HttpReply reply = client().Post("/api/groups", request);
    EXPECT_EQ(reply.status, 202) << reply.body;
    return reply.status == 202 ? reply.json() : Json::object();
  }

  // Polls GET /api/groups/{id} until the group is settled; the last view seen.
  Json WaitForGroup(const std::string& id) {
    auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    Json group;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpReply reply = client().Get("/api/groups/" + id);
      if (reply.status != 200) break;
      group = reply.json();
      std::string status = group.value("status", "");
      if (status == "COMPLETED" || status == "FAILED" || status == "CANCELLED") return group;
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "the group did not settle: " << group.dump();
    return group;
  }

  static Json EchoJob(const std::string& name, const Json& params) {
    return {{"job", {{"name", name}, {"task_name", "echo"}, {"task_params", params}}}};
  }
};

TEST_F(GroupsTest, MembersRunAndTheChordGetsTheirResultsInOrder) {
  Json pipeline = {
      {"pipeline",
       {{"name", "chain"},
        {"jobs",
         Json::array(
             {Json{{"name", "p1"}, {"task_name", "echo"}, {"task_params", {{"n", 2}}}},
              Json{{"name", "p2"}, {"task_name", "echo"}, {"use_previous_results", true}}})}}}};
  Json created = Create(
      {{"name", "fan out"},
       {"description", "three at once"},
       {"members",
        Json::array({EchoJob("first", {{"n", 1}}), pipeline, EchoJob("third", {{"n", 3}})})},
       {"then", {{"name", "fan in"}, {"task_name", "echo"}, {"task_params", {{"k", "v"}}}}}});
  std::string id = created.value("id", "");
  ASSERT_TRUE(IsUuid(id)) << created.dump();
  EXPECT_EQ(created["name"], "fan out");
  EXPECT_EQ(created["description"], "three at once");
  ASSERT_EQ(created["members"].size(), 3u) << created.dump();
  EXPECT_TRUE(IsUuid(created["members"][0].value("job_id", "")));
  EXPECT_TRUE(IsUuid(created["members"][1].value("pipeline_id", "")));
  EXPECT_EQ(created["members"][2]["name"], "third");
  EXPECT_EQ(created["statuses"].size(), 3u);
  EXPECT_EQ(created["then"]["name"], "fan in");

  Json settled = WaitForGroup(id);
  EXPECT_EQ(settled["status"], "COMPLETED") << settled.dump();
  for (const auto& [member, status] : settled["statuses"].items()) {
    EXPECT_EQ(status, "COMPLETED") << member;
  }
  EXPECT_TRUE(ParseUtc(settled.value("completed_at", ""))) << settled.dump();
  std::string chord = settled.value("then_job_id", "");
  ASSERT_TRUE(IsUuid(chord)) << settled.dump();
  Json chord_job = WaitForJob(client(), chord);
  EXPECT_EQ(chord_job["status"], "COMPLETED") << chord_job.dump();
  Json params = client().Get("/api/jobs/" + chord + "/results").json()["metadata"]["params"];
  EXPECT_EQ(params["k"], "v");
  ASSERT_EQ(params["results"].size(), 3u) << params.dump();
  EXPECT_EQ(params["results"][0]["params"], (Json{{"n", 1}}));
  // The pipeline's result is its last job's, which got the first job's result.
  EXPECT_EQ(params["results"][1]["previous"]["params"], (Json{{"n", 2}}));
  EXPECT_EQ(params["results"][2]["params"], (Json{{"n", 3}}));

  Json listed = client().Get("/api/groups?status=completed").json();
  ASSERT_EQ(listed["groups"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["groups"][0]["id"], id);
  EXPECT_EQ(client().Delete("/api/groups/" + id).status, 204);
  ErrorMessage(client().Get("/api/groups/" + id), 404);
  ErrorMessage(client().Get("/api/jobs/" + chord), 404);
  ErrorMessage(client().Get("/api/jobs/" + created["members"][0].value("job_id", "")), 404);
}

TEST_F(GroupsTest, AFailedMemberFailsTheGroupAndSkipsTheChord) {
  Json created = Create(
      {{"name", "one fails"},
       {"members",
        Json::array({EchoJob("fine", {}), Json{{"job",
                                                {{"name", "broken"},
                                                 {"task_name", "fail"},
                                                 {"task_params", {{"message", "no disk"}}}}}}})},
       {"then", {{"name", "never"}, {"task_name", "echo"}}}});
  Json settled = WaitForGroup(created.value("id", ""));
  EXPECT_EQ(settled["status"], "FAILED") << settled.dump();
  EXPECT_EQ(settled["failure_reason"], "member 1 (broken) failed");
  EXPECT_FALSE(settled.contains("then_job_id")) << settled.dump();
  EXPECT_EQ(settled["members"][1]["status"], "FAILED");
}

TEST_F(GroupsTest, CancelStopsTheMembersStillRunning) {
  Json created = Create(
      {{"name", "slow"},
       {"members",
        Json::array({Json{
            {"job",
             {{"name", "long"}, {"task_name", "sleep"}, {"task_params", {{"ms", 5000}}}}}}})}});
  std::string id = created.value("id", "");
  std::string member = created["members"][0].value("job_id", "");
  ASSERT_TRUE(WaitForJobStatus(client(), member, "IN_PROGRESS"));
  HttpReply cancelled = client().Post("/api/groups/" + id + "/cancel", Json::object());
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["status"], "CANCELLED") << cancelled.body;
  EXPECT_EQ(cancelled.json()["members"][0]["status"], "CANCELLED");
  EXPECT_EQ(ErrorMessage(client().Post("/api/groups/" + id + "/cancel", Json::object()), 409),
            "group with ID: " + id + " is already CANCELLED");
}

TEST_F(GroupsTest, BadRequestsAreRefusedAndStoreNothing) {
  auto refused = [&](const Json& body) {
    return ErrorMessage(client().Post("/api/groups", body), 400);
  };
  std::size_t groups_before = client().Get("/api/groups").json()["groups"].size();
  long jobs_before = CountJobs(client());
  Json job = EchoJob("j", {});
  EXPECT_EQ(refused({{"members", Json::array({job})}}), "name required");
  EXPECT_EQ(refused({{"name", "g"}}), "members required: a group has at least one job or pipeline");
  EXPECT_EQ(refused({{"name", "g"}, {"members", job}}), "members must be an array");
  EXPECT_EQ(refused({{"name", "g"}, {"members", Json::array({Json::object()})}}),
            "members[0] needs a job or a pipeline (one of them)");
  EXPECT_EQ(refused({{"name", "g"}, {"members", Json::array({"text"})}}),
            "members[0] must be a JSON object");
  EXPECT_EQ(
      refused({{"name", "g"},
               {"members", Json::array({Json{{"job", {{"name", "x"}, {"task_name", "nope"}}}}})}})
          .find("members[0].job: nope is not a valid task name"),
      0u);
  EXPECT_EQ(refused({{"name", "g"},
                     {"members",
                      Json::array({Json{
                          {"job", {{"name", "x"}, {"task_name", "echo"}, {"timeout", "1"}}}}})}}),
            "members[0].job.timeout must be an integer");
  EXPECT_EQ(refused({{"name", "g"}, {"members", Json::array({job})}, {"then", {{"name", "t"}}}}),
            "then: task_name required");
  EXPECT_EQ(ErrorMessage(client().PostRaw("/api/groups", "[1,2"), 400),
            "request body is not valid JSON");
  EXPECT_EQ(client().Get("/api/groups").json()["groups"].size(), groups_before);
  EXPECT_EQ(CountJobs(client()), jobs_before);

  ErrorMessage(client().Get("/api/groups/not-a-uuid"), 404);
  ErrorMessage(client().Get("/api/groups?status=done"), 400);
  ErrorMessage(client().Patch("/api/groups/00000000-0000-4000-8000-000000000000", Json::object()),
               405);
  ErrorMessage(client().Delete("/api/groups"), 405);
}

}  // namespace
}  // namespace valet::e2e
