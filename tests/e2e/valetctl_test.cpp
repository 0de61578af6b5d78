// valetctl, the real binary, against a real valetd: what it prints, on which stream, and its exit
// codes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "temp_file.hpp"
#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kValetctlPath = VALETCTL_PATH;

struct CtlRun {
  int code = -1;  // the exit code, -1 if it did not exit by itself
  std::string out;
  std::string err;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Runs valetctl with `args`, its environment that of the tests but for VALET_URL and VALET_TOKEN,
// which are set only as `env` says.
CtlRun RunValetctl(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {}) {
  ::unsetenv("VALET_URL");
  ::unsetenv("VALET_TOKEN");
  for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
  CtlRun run;
  {
    ValetdProcess process(args, kValetctlPath);
    for (const auto& [name, value] : env) ::unsetenv(name.c_str());
    auto exit = process.WaitForExit(std::chrono::seconds(30));
    run.out = process.Stdout();
    run.err = process.Stderr();
    if (exit && exit->exited) run.code = exit->code;
  }
  return run;
}

// A usage error or a refused request: exit 2, nothing on stdout, one line on stderr.
void ExpectUsageError(const CtlRun& run, const std::string& message_part) {
  EXPECT_EQ(run.code, 2) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  ASSERT_EQ(Lines(run.err).size(), 1u) << run.err;
  EXPECT_THAT(run.err, StartsWith("valetctl: "));
  EXPECT_THAT(run.err, HasSubstr(message_part));
}

class ValetctlTest : public ValetdTest {
 protected:
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // valetctl with --url of the suite's server.
  CtlRun Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--url", Url()});
    return RunValetctl(args);
  }
};

TEST_F(ValetctlTest, SubmitWithWaitPrintsTheIdTheOutcomeAndTheResult) {
  CtlRun run = Ctl({"submit", "echo", "--params", R"({"who":"world"})", "--wait"});

  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_TRUE(IsUuid(lines[0])) << lines[0];
  EXPECT_THAT(lines[1], StartsWith("COMPLETED in "));
  EXPECT_THAT(lines[1], HasSubstr(" ms"));
  EXPECT_EQ(Json::parse(lines[2])["params"], (Json{{"who", "world"}}));
  Json job = client().Get("/api/jobs/" + lines[0]).json();
  EXPECT_EQ(job.value("name", ""), "echo");  // the task's name when --name is not given
  EXPECT_EQ(job.value("status", ""), "COMPLETED");
}

TEST_F(ValetctlTest, SubmitWithWaitExits1WhenTheJobFails) {
  CtlRun run =
      Ctl({"submit", "fail", "--name", "doomed", "--params", R"({"message":"boom"})", "--wait"});

  EXPECT_EQ(run.code, 1) << run.out << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_EQ(lines[1], "FAILED: boom");
  EXPECT_EQ(client().Get("/api/jobs/" + lines[0]).json().value("name", ""), "doomed");
}

TEST_F(ValetctlTest, SubmitPrintsTheIdAndGetShowsTheJob) {
  CtlRun submitted = Ctl({"submit", "noop", "--name", "quiet", "--description", "said little",
                          "--timeout", "9", "--max-retries", "2"});
  ASSERT_EQ(submitted.code, 0) << submitted.err;
  std::string id = submitted.out.substr(0, submitted.out.find('\n'));
  ASSERT_TRUE(IsUuid(id)) << submitted.out;
  EXPECT_EQ(submitted.out, id + "\n");
  WaitForJob(client(), id);

  CtlRun got = Ctl({"get", id});
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr("id: " + id + "\n"));
  EXPECT_THAT(got.out, HasSubstr("name: quiet\n"));
  EXPECT_THAT(got.out, HasSubstr("description: said little\n"));
  EXPECT_THAT(got.out, HasSubstr("timeout: 9\n"));
  EXPECT_THAT(got.out, HasSubstr("max_retries: 2\n"));
  EXPECT_THAT(got.out, HasSubstr("status: COMPLETED\n"));

  CtlRun json = Ctl({"get", id, "--json"});
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(Json::parse(json.out), client().Get("/api/jobs/" + id).json());
}

TEST_F(ValetctlTest, ListPrintsATableFilteredByStatusAndTask) {
  std::string echo = SubmitJob(client(), Json{{"name", "listed-echo"}, {"task_name", "echo"}});
  std::string failed = SubmitJob(client(), Json{{"name", "listed-fail"}, {"task_name", "fail"}});
  WaitForJob(client(), echo);
  WaitForJob(client(), failed);

  CtlRun all = Ctl({"list"});
  EXPECT_EQ(all.code, 0) << all.err;
  std::vector<std::string> lines = Lines(all.out);
  ASSERT_GE(lines.size(), 3u) << all.out;
  EXPECT_THAT(lines[0], StartsWith("ID"));
  EXPECT_THAT(lines[0], HasSubstr("NAME"));
  EXPECT_THAT(lines[0], HasSubstr("STATUS"));
  EXPECT_EQ(static_cast<long>(lines.size()) - 1, CountJobs(client()));
  // Columns line up: every row's status starts where the header's STATUS does.
  std::size_t status_column = lines[0].find("STATUS");
  for (const std::string& line : lines) {
    if (line.find(echo) == 0) {
      EXPECT_EQ(line.substr(status_column, 9), "COMPLETED") << line;
    }
    if (line.find(failed) == 0) {
      EXPECT_EQ(line.substr(status_column, 6), "FAILED") << line;
    }
  }

  CtlRun by_task = Ctl({"list", "--task", "fail", "--status", "failed", "--json"});
  EXPECT_EQ(by_task.code, 0) << by_task.err;
  Json jobs = Json::parse(by_task.out)["jobs"];
  ASSERT_FALSE(jobs.empty());
  bool found = false;
  for (const Json& job : jobs) {
    EXPECT_EQ(job.value("task_name", ""), "fail");
    EXPECT_EQ(job.value("status", ""), "FAILED");
    found = found || job.value("id", "") == failed;
  }
  EXPECT_TRUE(found) << by_task.out;

  ExpectUsageError(Ctl({"list", "--status", "nope"}), "server replied 400: invalid status");
}

TEST_F(ValetctlTest, ListFiltersByLabelOnTheServer) {
  std::string tagged = SubmitJob(
      client(), Json{{"name", "tagged"}, {"task_name", "noop"}, {"labels", {{"team", "a b/c"}}}});
  SubmitJob(client(), Json{{"name", "other"}, {"task_name", "noop"}, {"labels", {{"team", "x"}}}});
  CtlRun listed = Ctl({"list", "--label", "team:a b/c", "--json"});
  EXPECT_EQ(listed.code, 0) << listed.err;
  Json jobs = Json::parse(listed.out)["jobs"];
  ASSERT_EQ(jobs.size(), 1u) << listed.out;
  EXPECT_EQ(jobs[0].value("id", ""), tagged);
  ExpectUsageError(Ctl({"list", "--label", "team"}), "server replied 400: invalid label filter");
}

TEST_F(ValetctlTest, ResultShowsTheMetadataOrTheError) {
  std::string echo =
      SubmitJob(client(), Json{{"name", "r"}, {"task_name", "echo"}, {"task_params", {{"n", 5}}}});
  std::string failed = SubmitJob(
      client(), Json{{"name", "r"}, {"task_name", "fail"}, {"task_params", {{"message", "no"}}}});
  WaitForJob(client(), echo);
  WaitForJob(client(), failed);

  CtlRun ok = Ctl({"result", echo});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(Json::parse(ok.out)["params"], (Json{{"n", 5}}));
  CtlRun error = Ctl({"result", failed});
  EXPECT_EQ(error.code, 0) << error.err;
  EXPECT_THAT(error.out, StartsWith("error: no\n"));
  CtlRun json = Ctl({"--json", "result", failed});
  EXPECT_EQ(Json::parse(json.out).value("error", ""), "no");
}

TEST_F(ValetctlTest, CancelThenRetryRunsTheJobAgainAsANewOne) {
  CtlRun submitted = Ctl({"submit", "echo", "--run-in", "1h"});
  ASSERT_EQ(submitted.code, 0) << submitted.err;
  std::string id = Lines(submitted.out).at(0);

  CtlRun cancelled = Ctl({"cancel", id});
  EXPECT_EQ(cancelled.code, 0) << cancelled.err;
  EXPECT_EQ(cancelled.out, "CANCELLED: cancelled by request\n");
  ExpectUsageError(Ctl({"cancel", id}),
                   "server replied 409: job with ID: " + id + " is already CANCELLED");

  CtlRun retried = Ctl({"retry", id});
  EXPECT_EQ(retried.code, 0) << retried.err;
  std::string new_id = Lines(retried.out).at(0);
  EXPECT_TRUE(IsUuid(new_id)) << retried.out;
  EXPECT_NE(new_id, id);
  EXPECT_EQ(WaitForJob(client(), new_id).value("status", ""), "COMPLETED");
}

TEST_F(ValetctlTest, DeleteRemovesTheJobAndAnUnknownJobIsExit2) {
  std::string id = SubmitJob(client(), Json{{"name", "gone"}, {"task_name", "noop"}});
  WaitForJob(client(), id);

  CtlRun deleted = Ctl({"delete", id});
  EXPECT_EQ(deleted.code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "deleted " + id + "\n");
  EXPECT_EQ(client().Get("/api/jobs/" + id).status, 404);
  ExpectUsageError(Ctl({"get", id}), "server replied 404: job with ID: " + id + " not found");
  ExpectUsageError(Ctl({"get", "../tasks"}), "invalid job id");
}

TEST_F(ValetctlTest, PipelineSubmitWaitsForEveryJob) {
  TempFile file(".json");
  file.Write(R"({"name":"etl","jobs":[
      {"name":"extract","task_name":"echo","task_params":{"rows":3}},
      {"name":"load","task_name":"echo","use_previous_results":true}]})");

  CtlRun run = Ctl({"pipeline", "submit", file.path(), "--wait"});

  EXPECT_EQ(run.code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 5u) << run.out;
  EXPECT_TRUE(IsUuid(lines[0])) << lines[0];
  EXPECT_THAT(lines[1], StartsWith("COMPLETED"));
  EXPECT_THAT(lines[2], StartsWith("ID"));
  EXPECT_THAT(lines[3], HasSubstr("extract"));
  EXPECT_THAT(lines[4], HasSubstr("load"));
  EXPECT_EQ(client().Get("/api/pipelines/" + lines[0]).json().value("status", ""), "COMPLETED");

  TempFile bad(".json");
  bad.Write(R"({"name":"etl","jobs":[)");
  ExpectUsageError(Ctl({"pipeline", "submit", bad.path()}), "is not valid JSON");
  bad.Write(R"({"name":"etl","jobs":[{"name":"a","task_name":"echo"}]})");
  ExpectUsageError(Ctl({"pipeline", "submit", bad.path()}),
                   "pipeline should have at least 2 jobs, 1 given");
  ExpectUsageError(Ctl({"pipeline", "submit", "/nonexistent/p.json"}),
                   "cannot read /nonexistent/p.json");
}

TEST_F(ValetctlTest, WatchFollowsAJobToItsEndAndExitsByItsOutcome) {
  std::string id = SubmitJob(
      client(), Json{{"name", "nap"}, {"task_name", "sleep"}, {"task_params", {{"ms", 600}}}});
  CtlRun run = Ctl({"watch", id});
  EXPECT_EQ(run.code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_FALSE(lines.empty());
  // The sleep task reports its progress, so the last line shows the last report.
  EXPECT_THAT(lines.back(),
              StartsWith("COMPLETED [####################] 100% slept 600 of 600 ms in "));
  // Not a terminal: one line per change, never the same twice in a row.
  for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_NE(lines[i], lines[i - 1]);

  std::string failed = SubmitJob(
      client(), Json{{"name", "f"}, {"task_name", "fail"}, {"task_params", {{"message", "bad"}}}});
  CtlRun failing = Ctl({"watch", failed});
  EXPECT_EQ(failing.code, 1) << failing.err;
  EXPECT_EQ(Lines(failing.out).back(), "FAILED: bad");
}

TEST_F(ValetctlTest, TasksAndStatusShowWhatTheServerSays) {
  CtlRun tasks = Ctl({"tasks"});
  EXPECT_EQ(tasks.code, 0) << tasks.err;
  std::vector<std::string> expected;
  Json listed = client().Get("/api/tasks").json();
  ASSERT_FALSE(listed["tasks"].empty());
  for (const Json& task : listed["tasks"]) {
    expected.push_back(task.get<std::string>());
  }
  EXPECT_EQ(Lines(tasks.out), expected);

  CtlRun status = Ctl({"status"});
  EXPECT_EQ(status.code, 0) << status.err;
  std::string version = client().Get("/api/status").json().value("version", "");
  EXPECT_THAT(status.out, HasSubstr("version: " + version + "\n"));
  EXPECT_THAT(status.out, HasSubstr("storage_healthy: true\n"));
}

TEST_F(ValetctlTest, AJobNameIsPrintedWithoutItsControlCharacters) {
  std::string id = SubmitJob(client(), Json{{"name", "\x1b[31mred\nline"}, {"task_name", "noop"}});
  WaitForJob(client(), id);
  CtlRun list = Ctl({"list"});
  EXPECT_THAT(list.out, HasSubstr("?[31mred?line"));
  EXPECT_EQ(list.out.find('\x1b'), std::string::npos);
  CtlRun get = Ctl({"get", id});
  EXPECT_THAT(get.out, HasSubstr("name: ?[31mred?line\n"));
}

TEST_F(ValetctlTest, ARequestTheServerRefusesIsExit2WithItsMessage) {
  ExpectUsageError(Ctl({"submit", "nope"}), "server replied 400: nope is not a valid task name");
  ExpectUsageError(Ctl({"submit", "echo", "--run-at", "tomorrow"}),
                   "server replied 400: invalid run_at \"tomorrow\"");
}

TEST_F(ValetctlTest, UsageErrorsAreOneLineAndExit2) {
  ExpectUsageError(Ctl({}), "no command given");
  ExpectUsageError(Ctl({"frobnicate"}), "unknown command \"frobnicate\"");
  ExpectUsageError(Ctl({"get"}), "get needs ID");
  ExpectUsageError(Ctl({"get", "a", "b"}), "unexpected argument \"b\"");
  ExpectUsageError(Ctl({"list", "--colour"}), "unknown option --colour");
  ExpectUsageError(Ctl({"get", "x", "--wait"}), "get takes no option --wait");
  ExpectUsageError(Ctl({"submit", "echo", "--params"}), "--params needs a value");
  ExpectUsageError(Ctl({"submit", "echo", "--params", "{oops"}), "--params is not valid JSON");
  ExpectUsageError(Ctl({"submit", "echo", "--params", "[1]"}), "--params must be a JSON object");
  ExpectUsageError(Ctl({"submit", "echo", "--timeout", "soon"}),
                   "--timeout must be a whole number");
  ExpectUsageError(Ctl({"submit", "echo", "--run-at", "2030-01-01T00:00:00Z", "--run-in", "1h"}),
                   "--run-at and --run-in cannot both be given");
  ExpectUsageError(Ctl({"pipeline", "list"}), "unknown command \"pipeline list\"");
  ExpectUsageError(RunValetctl({"--url", "ftp://x", "status"}), "invalid server URL \"ftp://x\"");

  CtlRun help = RunValetctl({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, StartsWith("usage: valetctl"));
}

TEST_F(ValetctlTest, AServerThatCannotBeReachedIsExit3) {
  CtlRun run = RunValetctl({"--url", "http://127.0.0.1:" + std::to_string(FreePort()), "status"});
  EXPECT_EQ(run.code, 3) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  ASSERT_EQ(Lines(run.err).size(), 1u) << run.err;
  EXPECT_THAT(run.err, StartsWith("valetctl: cannot reach valetd at http://127.0.0.1:"));
}

TEST_F(ValetctlTest, TheServerComesFromValetUrlWhenNoUrlIsGiven) {
  CtlRun run = RunValetctl({"tasks"}, {{"VALET_URL", Url()}});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("echo\n"));
}

const std::string kToken = "valetctl-token-0123456789";

class ValetctlAuthTest : public ValetctlTest {
 protected:
  static void SetUpTestSuite() {
    ::setenv("VALET_API_TOKEN", kToken.c_str(), 1);
    StartServer(ValetdConfig{});
    ::unsetenv("VALET_API_TOKEN");
  }
};

TEST_F(ValetctlAuthTest, TheTokenComesFromTheFlagOrValetToken) {
  ExpectUsageError(Ctl({"tasks"}), "server replied 401: an API token is required");
  ExpectUsageError(Ctl({"--token", "wrong-token-0123456789", "tasks"}),
                   "server replied 401: the API token is not valid");

  CtlRun flag = Ctl({"--token", kToken, "tasks"});
  EXPECT_EQ(flag.code, 0) << flag.err;
  EXPECT_THAT(flag.out, HasSubstr("echo\n"));
  CtlRun env =
      RunValetctl({"submit", "noop", "--wait"}, {{"VALET_URL", Url()}, {"VALET_TOKEN", kToken}});
  EXPECT_EQ(env.code, 0) << env.err;
  EXPECT_THAT(env.out, HasSubstr("COMPLETED"));
}

}  // namespace
}  // namespace valet::e2e
