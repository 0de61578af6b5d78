// Recurring jobs over HTTP: /api/schedules, their ticks, and schedules from config.yaml.

#include <gtest/gtest.h>

#include <thread>

#include "startup_error.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;

class SchedulesTest : public ValetdTest {
 protected:
  // POST /api/schedules; the reply's JSON, with a failure unless it is 201.
  Json Create(const Json& request) {
    HttpReply reply = client().Post("/api/schedules", request);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? reply.json() : Json::object();
  }

  // Polls the schedule until `enough` says so; the last view seen.
  template <typename Enough>
  Json WaitForSchedule(const std::string& id, Enough enough) {
    auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    Json schedule;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpReply reply = client().Get("/api/schedules/" + id);
      if (reply.status != 200) break;
      schedule = reply.json();
      if (enough(schedule)) return schedule;
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "the schedule did not get there: " << schedule.dump();
    return schedule;
  }

  static Json EverySecond(const std::string& name) {
    return {{"name", name},
            {"every", "1s"},
            {"job", {{"name", name + " job"}, {"task_name", "echo"}, {"task_params", {{"n", 7}}}}}};
  }
};

TEST_F(SchedulesTest, CreateReadListRenameAndDelete) {
  Json created = Create({{"name", "nightly report"},
                         {"description", "every night"},
                         {"cron", "0 3 * * *"},
                         {"time_zone", "Europe/Berlin"},
                         {"missed", "run_once"},
                         {"job", {{"name", "report"}, {"task_name", "noop"}}}});
  std::string id = created.value("id", "");
  ASSERT_TRUE(IsUuid(id)) << created.dump();
  EXPECT_EQ(created["name"], "nightly report");
  EXPECT_EQ(created["description"], "every night");
  EXPECT_EQ(created["cron"], "0 3 * * *");
  EXPECT_EQ(created["time_zone"], "Europe/Berlin");
  EXPECT_EQ(created["missed"], "run_once");
  EXPECT_EQ(created["job"], (Json{{"name", "report"}, {"task_name", "noop"}}));
  EXPECT_EQ(created["paused"], false);
  EXPECT_EQ(created["last_runs"], Json::array());
  EXPECT_EQ(created["origin"], "api");
  auto next = ParseUtc(created.value("next_run_at", ""));
  ASSERT_TRUE(next) << created.dump();
  EXPECT_GT(*next, NowUtc());
  EXPECT_LE(*next, NowUtc() + 25h);
  // 03:00 in Berlin is 01:00 or 02:00 UTC.
  auto hour =
      std::chrono::floor<std::chrono::hours>(*next - std::chrono::floor<std::chrono::days>(*next));
  EXPECT_TRUE(hour.count() == 1 || hour.count() == 2) << created.dump();

  EXPECT_EQ(client().Get("/api/schedules/" + id).json(), created);
  Json list = client().Get("/api/schedules").json();
  ASSERT_EQ(list["schedules"].size(), 1u) << list.dump();
  EXPECT_EQ(list["schedules"][0]["id"], id);

  HttpReply patched = client().Patch("/api/schedules/" + id, {{"name", "morning report"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["name"], "morning report");
  EXPECT_EQ(patched.json()["cron"], "0 3 * * *");
  EXPECT_EQ(patched.json()["next_run_at"], created["next_run_at"]);

  EXPECT_EQ(client().Delete("/api/schedules/" + id).status, 204);
  ErrorMessage(client().Get("/api/schedules/" + id), 404);
  EXPECT_EQ(client().Get("/api/schedules").json()["schedules"], Json::array());
}

TEST_F(SchedulesTest, EachTickSubmitsAJobThatRuns) {
  Json created = Create(EverySecond("ticking"));
  std::string id = created.value("id", "");
  Json ticked = WaitForSchedule(id, [](const Json& s) { return s["last_runs"].size() >= 2; });
  ASSERT_GE(ticked["last_runs"].size(), 2u) << ticked.dump();
  ASSERT_EQ(client().Delete("/api/schedules/" + id).status, 204);

  std::set<std::string> ticks;
  for (const Json& run : ticked["last_runs"]) {
    ASSERT_TRUE(run.contains("job_id")) << run.dump();
    EXPECT_TRUE(ticks.insert(run.value("tick", "")).second) << ticked.dump();
    Json job = WaitForJob(client(), run.value("job_id", ""));
    EXPECT_EQ(job["status"], "COMPLETED") << job.dump();
    EXPECT_EQ(job["name"], "ticking job");
    EXPECT_EQ(job["task_params"], (Json{{"n", 7}}));
    auto tick = ParseUtc(run.value("tick", ""));
    auto job_created = ParseUtc(job.value("created_at", ""));
    ASSERT_TRUE(tick && job_created) << run.dump();
    EXPECT_GE(*job_created, *tick) << "a tick never runs early: " << run.dump();
  }
}

TEST_F(SchedulesTest, APipelineScheduleSubmitsPipelines) {
  Json jobs = Json::array({Json{{"name", "first"}, {"task_name", "echo"}},
                           Json{{"name", "second"}, {"task_name", "echo"}}});
  Json created = Create({{"name", "pipeline every second"},
                         {"every", "1s"},
                         {"pipeline", {{"name", "chain"}, {"jobs", jobs}}}});
  std::string id = created.value("id", "");
  Json ticked = WaitForSchedule(id, [](const Json& s) { return !s["last_runs"].empty(); });
  ASSERT_EQ(client().Delete("/api/schedules/" + id).status, 204);
  ASSERT_FALSE(ticked["last_runs"].empty());
  std::string pipeline_id = ticked["last_runs"][0].value("pipeline_id", "");
  Json pipeline = WaitForPipeline(client(), pipeline_id);
  EXPECT_EQ(pipeline["status"], "COMPLETED") << pipeline.dump();
  EXPECT_EQ(pipeline["name"], "chain");
}

TEST_F(SchedulesTest, PauseAndResume) {
  Json created = Create(EverySecond("pausable"));
  std::string id = created.value("id", "");
  HttpReply paused = client().Post("/api/schedules/" + id + "/pause", Json::object());
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json()["paused"], true);
  EXPECT_FALSE(paused.json().contains("next_run_at")) << paused.body;
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(client().Get("/api/schedules/" + id).json()["last_runs"], Json::array());

  HttpReply resumed = client().Post("/api/schedules/" + id + "/resume", Json::object());
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json()["paused"], false);
  EXPECT_TRUE(ParseUtc(resumed.json().value("next_run_at", ""))) << resumed.body;
  WaitForSchedule(id, [](const Json& s) { return !s["last_runs"].empty(); });
  EXPECT_EQ(client().Delete("/api/schedules/" + id).status, 204);
}

TEST_F(SchedulesTest, BadRequestsAreRefusedAndStoreNothing) {
  Json job = {{"name", "j"}, {"task_name", "noop"}};
  auto refused = [&](const Json& body) {
    return ErrorMessage(client().Post("/api/schedules", body), 400);
  };
  EXPECT_EQ(refused({{"every", "1m"}, {"job", job}}), "name required");
  EXPECT_EQ(refused({{"name", "s"}, {"job", job}}), "cron or every required");
  EXPECT_EQ(refused({{"name", "s"}, {"cron", "* * *"}, {"job", job}}),
            "invalid cron expression \"* * *\": expected 5 fields (minute hour day-of-month "
            "month day-of-week) or 6 (with seconds first), got 3");
  EXPECT_EQ(refused({{"name", "s"}, {"every", "1m"}, {"cron", "* * * * *"}, {"job", job}}),
            "cron and every cannot both be given: choose one");
  EXPECT_NE(refused({{"name", "s"}, {"every", "soon"}, {"job", job}}).find("soon"),
            std::string::npos);
  EXPECT_EQ(refused({{"name", "s"}, {"every", "500ms"}, {"job", job}}),
            "every must be at least 1s");
  EXPECT_NE(
      refused({{"name", "s"}, {"cron", "0 3 * * *"}, {"time_zone", "Nowhere/Town"}, {"job", job}})
          .find("Nowhere/Town"),
      std::string::npos);
  EXPECT_EQ(refused({{"name", "s"}, {"every", "1m"}, {"missed", "sometimes"}, {"job", job}}),
            "invalid missed \"sometimes\": expected skip or run_once");
  EXPECT_EQ(refused({{"name", "s"}, {"every", "1m"}}), "job or pipeline required");
  EXPECT_EQ(
      refused({{"name", "s"}, {"every", "1m"}, {"job", {{"name", "j"}, {"task_name", "nope"}}}})
          .find("job: nope is not a valid task name"),
      0u);
  EXPECT_EQ(refused({{"name", "s"}, {"every", "1m"}, {"job", "j"}}), "job must be a JSON object");
  EXPECT_EQ(refused({{"name", "s"}, {"every", 60}, {"job", job}}), "every must be a string");
  EXPECT_EQ(ErrorMessage(client().PostRaw("/api/schedules", "{\"name\": "), 400),
            "request body is not valid JSON");
  EXPECT_EQ(client().Get("/api/schedules").json()["schedules"], Json::array());

  Create({{"name", "taken"}, {"every", "1m"}, {"job", job}});
  EXPECT_EQ(
      ErrorMessage(
          client().Post("/api/schedules", {{"name", "taken"}, {"every", "1h"}, {"job", job}}), 409),
      "a schedule named \"taken\" already exists");
  std::string id = client().Get("/api/schedules").json()["schedules"][0].value("id", "");
  EXPECT_EQ(ErrorMessage(client().Patch("/api/schedules/" + id, {{"every", "never"}}), 400)
                .find("invalid every"),
            0u);
  EXPECT_EQ(client().Get("/api/schedules/" + id).json()["every"], "1m");
  EXPECT_EQ(client().Delete("/api/schedules/" + id).status, 204);

  ErrorMessage(client().Get("/api/schedules/not-a-uuid"), 404);
  ErrorMessage(client().Post("/api/schedules/not-a-uuid/pause", Json::object()), 404);
  ErrorMessage(client().Delete("/api/schedules"), 405);
  ErrorMessage(client().Get("/api/schedules/" + id + "/pause"), 405);
}

class DeclaredSchedulesTest : public ValetdTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config;
    config.extra_yaml =
        "schedules:\n"
        "  - name: from config\n"
        "    every: 1s\n"
        "    job:\n"
        "      name: declared job\n"
        "      task_name: echo\n"
        "      task_params: {source: config}\n";
    StartServer(config);
  }
};

TEST_F(DeclaredSchedulesTest, ConfigSchedulesRunAndOnlyPauseChangesThroughTheApi) {
  Json list = client().Get("/api/schedules").json();
  ASSERT_EQ(list["schedules"].size(), 1u) << list.dump();
  Json declared = list["schedules"][0];
  EXPECT_EQ(declared["name"], "from config");
  EXPECT_EQ(declared["origin"], "config");
  EXPECT_EQ(declared["job"]["task_params"], (Json{{"source", "config"}}));
  std::string id = declared.value("id", "");

  EXPECT_EQ(ErrorMessage(client().Patch("/api/schedules/" + id, {{"every", "1h"}}), 409),
            "schedule \"from config\" is declared in config.yaml: change it there (only paused "
            "can be changed here)");
  auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (client().Get("/api/schedules/" + id).json()["last_runs"].empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  Json ran = client().Get("/api/schedules/" + id).json();
  ASSERT_FALSE(ran["last_runs"].empty()) << ran.dump();
  EXPECT_EQ(WaitForJob(client(), ran["last_runs"][0].value("job_id", ""))["status"], "COMPLETED");
  EXPECT_EQ(client().Post("/api/schedules/" + id + "/pause", Json::object()).status, 200);
}

TEST(DeclaredScheduleErrors, AScheduleThatCouldNeverRunStopsStartUp) {
  ValetdConfig config;
  config.port = FreePort();
  config.extra_yaml =
      "schedules:\n"
      "  - name: broken\n"
      "    cron: \"0 3 * * *\"\n"
      "    job: {name: j, task_name: no_such_task}\n";
  std::string log = StartUpError(config.ToYaml());
  EXPECT_NE(log.find("schedules[0] \"broken\": job: no_such_task is not a valid task name"),
            std::string::npos)
      << log;

  config.extra_yaml = "schedules:\n  - name: typo\n    evry: 1s\n";
  log = StartUpError(config.ToYaml());
  EXPECT_NE(log.find("schedules[0].evry: unknown key - valid keys: name, description, cron"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace valet::e2e
