// schedule.Schedule over gRPC: each call, the ticks it makes, and its errors worded as the HTTP
// API words them (see schedules_test.cpp for the HTTP side).

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <thread>

#include "grpc_test.hpp"

namespace valet::e2e {
namespace {

using namespace std::chrono_literals;
using ::grpc::StatusCode;

class GrpcSchedulesTest : public GrpcTest {
 protected:
  ::grpc::Status Create(const ::schedule::CreateScheduleRequest& request,
                        ::schedule::GetScheduleResponse* response) {
    return grpc().Call(&::schedule::Schedule::Stub::Create, grpc().schedules(), request, response);
  }

  // Schedule/Create; the schedule, with a test failure unless the call succeeded.
  ::schedule::GetScheduleResponse CreateSchedule(const ::schedule::CreateScheduleRequest& request) {
    ::schedule::GetScheduleResponse created;
    ::grpc::Status status = Create(request, &created);
    EXPECT_TRUE(status.ok()) << request.ShortDebugString() << " gave " << Describe(status);
    return created;
  }

  ::grpc::Status Get(const std::string& id, ::schedule::GetScheduleResponse* response) {
    ::schedule::GetScheduleRequest request;
    request.set_id(id);
    return grpc().Call(&::schedule::Schedule::Stub::Get, grpc().schedules(), request, response);
  }

  ::schedule::ListSchedulesResponse List() {
    ::schedule::ListSchedulesResponse listed;
    ::grpc::Status status =
        grpc().Call(&::schedule::Schedule::Stub::List, grpc().schedules(), {}, &listed);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return listed;
  }

  ::grpc::Status Update(const ::schedule::UpdateScheduleRequest& request,
                        ::schedule::GetScheduleResponse* response) {
    return grpc().Call(&::schedule::Schedule::Stub::Update, grpc().schedules(), request, response);
  }

  ::grpc::Status Delete(const std::string& id) {
    ::schedule::DeleteScheduleRequest request;
    request.set_id(id);
    ::schedule::DeleteScheduleResponse deleted;
    return grpc().Call(&::schedule::Schedule::Stub::Delete, grpc().schedules(), request, &deleted);
  }

  ::grpc::Status Pause(const std::string& id, ::schedule::GetScheduleResponse* response) {
    ::schedule::PauseScheduleRequest request;
    request.set_id(id);
    return grpc().Call(&::schedule::Schedule::Stub::Pause, grpc().schedules(), request, response);
  }

  ::grpc::Status Resume(const std::string& id, ::schedule::GetScheduleResponse* response) {
    ::schedule::ResumeScheduleRequest request;
    request.set_id(id);
    return grpc().Call(&::schedule::Schedule::Stub::Resume, grpc().schedules(), request, response);
  }

  // Polls Schedule/Get until `enough` says so; the last view seen, with a test failure on
  // timeout.
  template <typename Enough>
  ::schedule::GetScheduleResponse WaitForSchedule(const std::string& id, Enough enough) {
    auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    ::schedule::GetScheduleResponse schedule;
    while (std::chrono::steady_clock::now() < deadline) {
      schedule.Clear();
      if (!Get(id, &schedule).ok()) break;
      if (enough(schedule)) return schedule;
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "the schedule did not get there: " << schedule.ShortDebugString();
    return schedule;
  }

  static ::schedule::CreateScheduleRequest EverySecond(const std::string& name) {
    ::schedule::CreateScheduleRequest request;
    request.set_name(name);
    request.set_every("1s");
    *request.mutable_job() = JobRequest(name + " job", "echo", Json{{"n", 7}});
    return request;
  }

  static bool Listed(const ::schedule::ListSchedulesResponse& listed, const std::string& id) {
    return std::any_of(listed.schedules().begin(), listed.schedules().end(),
                       [&](const auto& schedule) { return schedule.id() == id; });
  }

  static UtcTime TimeOf(const google::protobuf::Timestamp& timestamp) {
    return UtcTime(std::chrono::seconds(timestamp.seconds()) +
                   std::chrono::microseconds(timestamp.nanos() / 1000));
  }
};

TEST_F(GrpcSchedulesTest, CreateGetListUpdateAndDelete) {
  ::schedule::CreateScheduleRequest request;
  request.set_name("nightly report");
  request.set_description("every night");
  request.set_cron("0 3 * * *");
  request.set_time_zone("Europe/Berlin");
  request.set_missed("run_once");
  *request.mutable_job() = JobRequest("report", "noop", Json{{"format", "pdf"}});
  ::schedule::GetScheduleResponse created = CreateSchedule(request);
  std::string id = created.id();
  ASSERT_TRUE(IsUuid(id)) << created.ShortDebugString();
  EXPECT_EQ(created.name(), "nightly report");
  EXPECT_EQ(created.description(), "every night");
  EXPECT_EQ(created.cron(), "0 3 * * *");
  EXPECT_EQ(created.every(), "");
  EXPECT_EQ(created.time_zone(), "Europe/Berlin");
  EXPECT_EQ(created.missed(), "run_once");
  ASSERT_TRUE(created.has_job());
  EXPECT_EQ(created.job().name(), "report");
  EXPECT_EQ(created.job().task_name(), "noop");
  EXPECT_EQ(ToJson(created.job().task_params()), (Json{{"format", "pdf"}}));
  EXPECT_FALSE(created.has_pipeline());
  EXPECT_FALSE(created.paused());
  EXPECT_EQ(created.last_runs_size(), 0);
  EXPECT_EQ(created.origin(), "api");
  EXPECT_TRUE(created.has_created_at());
  EXPECT_TRUE(created.has_updated_at());
  ASSERT_TRUE(created.has_next_run_at());
  UtcTime next = TimeOf(created.next_run_at());
  EXPECT_GT(next, NowUtc());
  EXPECT_LE(next, NowUtc() + 25h);
  // 03:00 in Berlin is 01:00 or 02:00 UTC.
  auto hour =
      std::chrono::floor<std::chrono::hours>(next - std::chrono::floor<std::chrono::days>(next));
  EXPECT_TRUE(hour.count() == 1 || hour.count() == 2) << created.ShortDebugString();

  ::schedule::GetScheduleResponse got;
  ::grpc::Status status = Get(id, &got);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(got.ShortDebugString(), created.ShortDebugString());
  EXPECT_TRUE(Listed(List(), id));
  // The same schedule as over HTTP.
  EXPECT_EQ(
      client().Get("/api/schedules/" + id).json()["job"],
      (Json{{"name", "report"}, {"task_name", "noop"}, {"task_params", {{"format", "pdf"}}}}));

  ::schedule::UpdateScheduleRequest rename;
  rename.set_id(id);
  rename.set_name("morning report");
  ::schedule::GetScheduleResponse renamed;
  status = Update(rename, &renamed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(renamed.name(), "morning report");
  EXPECT_EQ(renamed.description(), "every night");
  EXPECT_EQ(renamed.cron(), "0 3 * * *");
  EXPECT_EQ(renamed.job().name(), "report");
  EXPECT_EQ(renamed.next_run_at().seconds(), created.next_run_at().seconds());

  ::schedule::UpdateScheduleRequest retime;
  retime.set_id(id);
  retime.set_every("1h");
  retime.set_description("");
  *retime.mutable_pipeline()->add_jobs() = JobRequest("a", "noop");
  *retime.mutable_pipeline()->add_jobs() = JobRequest("b", "noop");
  retime.mutable_pipeline()->set_name("chain");
  ::schedule::GetScheduleResponse retimed;
  status = Update(retime, &retimed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(retimed.name(), "morning report");
  EXPECT_EQ(retimed.description(), "");
  EXPECT_EQ(retimed.every(), "1h");
  EXPECT_EQ(retimed.cron(), "") << "every replaces cron";
  EXPECT_FALSE(retimed.has_job()) << "a pipeline replaces the job";
  ASSERT_TRUE(retimed.has_pipeline());
  EXPECT_EQ(retimed.pipeline().name(), "chain");
  EXPECT_EQ(retimed.pipeline().jobs_size(), 2);

  status = Delete(id);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(Get(id, &got).error_code(), StatusCode::NOT_FOUND);
  EXPECT_FALSE(Listed(List(), id));
}

TEST_F(GrpcSchedulesTest, EachTickSubmitsAJobThatCompletes) {
  std::string id = CreateSchedule(EverySecond("ticking")).id();
  ::schedule::GetScheduleResponse ticked =
      WaitForSchedule(id, [](const auto& schedule) { return schedule.last_runs_size() >= 2; });
  ASSERT_TRUE(Delete(id).ok());
  ASSERT_GE(ticked.last_runs_size(), 2) << ticked.ShortDebugString();

  std::set<std::int64_t> ticks;
  for (const ::schedule::ScheduleRun& run : ticked.last_runs()) {
    ASSERT_TRUE(IsUuid(run.job_id())) << run.ShortDebugString();
    EXPECT_EQ(run.pipeline_id(), "");
    EXPECT_EQ(run.error(), "");
    ASSERT_TRUE(run.has_tick() && run.has_submitted_at()) << run.ShortDebugString();
    EXPECT_TRUE(ticks.insert(run.tick().seconds()).second) << ticked.ShortDebugString();
    ::job::GetJobResponse job = WaitForJob(run.job_id());
    EXPECT_EQ(job.status(), kCompleted) << job.ShortDebugString();
    EXPECT_EQ(job.name(), "ticking job");
    EXPECT_EQ(ToJson(job.task_params()), (Json{{"n", 7}}));
    EXPECT_GE(TimeOf(job.created_at()), TimeOf(run.tick())) << "a tick never runs early";
  }
  // Newest first.
  EXPECT_GT(ticked.last_runs(0).tick().seconds(), ticked.last_runs(1).tick().seconds());
}

TEST_F(GrpcSchedulesTest, APipelineScheduleSubmitsPipelines) {
  ::schedule::CreateScheduleRequest request;
  request.set_name("pipeline every second");
  request.set_every("1s");
  request.mutable_pipeline()->set_name("chain");
  *request.mutable_pipeline()->add_jobs() = JobRequest("first", "echo");
  ::job::CreateJobRequest second = JobRequest("second", "echo");
  second.set_use_previous_results(true);
  *request.mutable_pipeline()->add_jobs() = second;
  std::string id = CreateSchedule(request).id();
  ::schedule::GetScheduleResponse ticked =
      WaitForSchedule(id, [](const auto& schedule) { return schedule.last_runs_size() > 0; });
  ASSERT_TRUE(Delete(id).ok());
  ASSERT_GT(ticked.last_runs_size(), 0);
  EXPECT_TRUE(ticked.pipeline().jobs(1).use_previous_results());
  ::pipeline::GetPipelineResponse pipeline = WaitForPipeline(ticked.last_runs(0).pipeline_id());
  EXPECT_EQ(pipeline.status(), kCompleted) << pipeline.ShortDebugString();
  EXPECT_EQ(pipeline.name(), "chain");
}

TEST_F(GrpcSchedulesTest, PauseAndResume) {
  std::string id = CreateSchedule(EverySecond("pausable")).id();
  ::schedule::GetScheduleResponse paused;
  ::grpc::Status status = Pause(id, &paused);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(paused.paused());
  EXPECT_FALSE(paused.has_next_run_at()) << paused.ShortDebugString();
  std::this_thread::sleep_for(1500ms);
  ::schedule::GetScheduleResponse still;
  ASSERT_TRUE(Get(id, &still).ok());
  EXPECT_EQ(still.last_runs_size(), 0) << still.ShortDebugString();

  ::schedule::GetScheduleResponse resumed;
  status = Resume(id, &resumed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(resumed.paused());
  EXPECT_TRUE(resumed.has_next_run_at()) << resumed.ShortDebugString();
  WaitForSchedule(id, [](const auto& schedule) { return schedule.last_runs_size() > 0; });

  // Update can pause too.
  ::schedule::UpdateScheduleRequest update;
  update.set_id(id);
  update.set_paused(true);
  ::schedule::GetScheduleResponse updated;
  ASSERT_TRUE(Update(update, &updated).ok());
  EXPECT_TRUE(updated.paused());
  EXPECT_TRUE(Delete(id).ok());
}

// Requests that could never run, as HTTP bodies; the gRPC request is read from the same JSON by
// protobuf's own reader (the field names are the same).
std::vector<Json> InvalidSchedules() {
  const Json job = {{"name", "j"}, {"task_name", "noop"}};
  return {
      {{"every", "1m"}, {"job", job}},
      {{"name", "s"}, {"job", job}},
      {{"name", "s"}, {"cron", "* * *"}, {"job", job}},
      {{"name", "s"}, {"every", "1m"}, {"cron", "* * * * *"}, {"job", job}},
      {{"name", "s"}, {"every", "soon"}, {"job", job}},
      {{"name", "s"}, {"every", "500ms"}, {"job", job}},
      {{"name", "s"}, {"cron", "0 3 * * *"}, {"time_zone", "Nowhere/Town"}, {"job", job}},
      {{"name", "s"}, {"every", "1m"}, {"missed", "sometimes"}, {"job", job}},
      {{"name", "s"}, {"every", "1m"}},
      {{"name", "s"}, {"every", "1m"}, {"job", {{"name", "j"}, {"task_name", "nope"}}}},
      {{"name", "s"},
       {"every", "1m"},
       {"job", {{"name", "j"}, {"task_name", "noop"}, {"run_at", "2030-01-01T00:00:00Z"}}}},
      {{"name", "s"}, {"every", "1m"}, {"pipeline", {{"name", "p"}, {"jobs", Json::array({job})}}}},
  };
}

TEST_F(GrpcSchedulesTest, InvalidSchedulesAreInvalidArgumentsWordedAsOverHttpAndStoreNothing) {
  int before = List().schedules_size();
  for (const Json& invalid : InvalidSchedules()) {
    ::schedule::CreateScheduleRequest request;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(invalid.dump(), &request).ok())
        << invalid.dump();
    ::schedule::GetScheduleResponse created;
    ::grpc::Status status = Create(request, &created);
    std::string expected = ErrorMessage(client().Post("/api/schedules", invalid), 400);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << invalid.dump();
    EXPECT_EQ(status.error_message(), expected) << invalid.dump();
    EXPECT_FALSE(expected.empty()) << invalid.dump();
  }
  EXPECT_EQ(List().schedules_size(), before);
}

TEST_F(GrpcSchedulesTest, ATakenNameAndABadUpdateAreRefused) {
  ::schedule::CreateScheduleRequest request = EverySecond("taken");
  request.set_every("1m");
  std::string id = CreateSchedule(request).id();
  ::schedule::GetScheduleResponse refused;
  ::grpc::Status status = Create(request, &refused);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << Describe(status);
  EXPECT_EQ(status.error_message(), "a schedule named \"taken\" already exists");

  ::schedule::UpdateScheduleRequest bad;
  bad.set_id(id);
  bad.set_every("never");
  status = Update(bad, &refused);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(status.error_message(),
            ErrorMessage(client().Patch("/api/schedules/" + id, {{"every", "never"}}), 400));
  EXPECT_EQ(status.error_message().find("invalid every"), 0u) << Describe(status);
  ::schedule::GetScheduleResponse kept;
  ASSERT_TRUE(Get(id, &kept).ok());
  EXPECT_EQ(kept.every(), "1m");

  ::schedule::CreateScheduleRequest other_request = request;
  other_request.set_name("other");
  std::string other = CreateSchedule(other_request).id();
  ::schedule::UpdateScheduleRequest rename;
  rename.set_id(other);
  rename.set_name("taken");
  status = Update(rename, &refused);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(status.error_message(), "a schedule named \"taken\" already exists");

  EXPECT_TRUE(Delete(id).ok());
  EXPECT_TRUE(Delete(other).ok());
}

TEST_F(GrpcSchedulesTest, UnknownIdsAreNotFound) {
  ::schedule::GetScheduleResponse response;
  for (const std::string id : {"not-a-uuid", "3f1d2c4b-5a69-4b7c-8d9e-0f1a2b3c4d5e", ""}) {
    std::string expected = "schedule with ID: " + id + " not found";
    ::grpc::Status status = Get(id, &response);
    EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << id;
    EXPECT_EQ(status.error_message(), expected);
    ::schedule::UpdateScheduleRequest update;
    update.set_id(id);
    update.set_name("x");
    status = Update(update, &response);
    EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << id;
    EXPECT_EQ(status.error_message(), expected);
    status = Delete(id);
    EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << id;
    EXPECT_EQ(status.error_message(), expected);
    EXPECT_EQ(Pause(id, &response).error_code(), StatusCode::NOT_FOUND) << id;
    EXPECT_EQ(Resume(id, &response).error_code(), StatusCode::NOT_FOUND) << id;
  }
}

class GrpcDeclaredSchedulesTest : public GrpcSchedulesTest {
 protected:
  static void SetUpTestSuite() {
    ValetdConfig config = GrpcValetdConfig();
    config.extra_yaml =
        "schedules:\n"
        "  - name: from config\n"
        "    every: 1h\n"
        "    job:\n"
        "      name: declared job\n"
        "      task_name: echo\n"
        "      task_params: {source: config}\n";
    StartServer(config);
  }
};

TEST_F(GrpcDeclaredSchedulesTest, OnlyPauseAndResumeChangeAConfigSchedule) {
  ::schedule::ListSchedulesResponse listed = List();
  ASSERT_EQ(listed.schedules_size(), 1) << listed.ShortDebugString();
  const ::schedule::GetScheduleResponse& declared = listed.schedules(0);
  EXPECT_EQ(declared.name(), "from config");
  EXPECT_EQ(declared.origin(), "config");
  EXPECT_EQ(ToJson(declared.job().task_params()), (Json{{"source", "config"}}));
  std::string id = declared.id();

  ::schedule::UpdateScheduleRequest update;
  update.set_id(id);
  update.set_every("1s");
  ::schedule::GetScheduleResponse response;
  ::grpc::Status status = Update(update, &response);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_EQ(status.error_message(),
            ErrorMessage(client().Patch("/api/schedules/" + id, {{"every", "1s"}}), 409));

  status = Pause(id, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(response.paused());
  status = Resume(id, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(response.paused());
}

}  // namespace
}  // namespace valet::e2e
