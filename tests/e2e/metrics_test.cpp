// GET /metrics after a known workload: the counts by task and route are the workload's.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <string>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

using ::testing::HasSubstr;

// The value of the sample with exactly this name and these labels; 0 when it is missing.
double Sample(const std::string& metrics, const std::string& series) {
  std::string prefix = series + " ";
  std::size_t at = 0;
  while ((at = metrics.find(prefix, at)) != std::string::npos) {
    if (at == 0 || metrics[at - 1] == '\n') {
      return std::strtod(metrics.c_str() + at + prefix.size(), nullptr);
    }
    at += prefix.size();
  }
  return 0;
}

class MetricsTest : public ValetdTest {
 protected:
  std::string Scrape() {
    HttpReply reply = client().Get("/metrics");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return reply.body;
  }
};

TEST_F(MetricsTest, CountsAKnownWorkloadByTaskAndRoute) {
  std::string before = Scrape();
  for (int i = 0; i < 3; ++i) {
    WaitForJob(client(), SubmitJob(client(), {{"name", "e"}, {"task_name", "echo"}}));
  }
  WaitForJob(client(), SubmitJob(client(), {{"name", "f"}, {"task_name", "fail"}}));
  EXPECT_EQ(client().Post("/api/jobs", Json{{"name", "x"}}).status, 400);
  std::string after = Scrape();

  auto delta = [&](const std::string& series) {
    return Sample(after, series) - Sample(before, series);
  };
  EXPECT_EQ(delta(R"(valet_jobs_submitted_total{task="echo"})"), 3) << after;
  EXPECT_EQ(delta(R"(valet_jobs_started_total{task="echo"})"), 3);
  EXPECT_EQ(delta(R"(valet_jobs_completed_total{task="echo"})"), 3);
  EXPECT_EQ(delta(R"(valet_jobs_failed_total{task="echo"})"), 0);
  EXPECT_EQ(delta(R"(valet_jobs_submitted_total{task="fail"})"), 1);
  EXPECT_EQ(delta(R"(valet_jobs_failed_total{task="fail"})"), 1);
  EXPECT_EQ(delta(R"(valet_job_run_seconds_count{task="echo"})"), 3);
  EXPECT_EQ(delta(R"(valet_job_run_seconds_bucket{task="echo",le="+Inf"})"), 3);
  EXPECT_EQ(delta(R"(valet_api_requests_total{protocol="http",route="/api/jobs",status="202"})"),
            4);
  EXPECT_EQ(delta(R"(valet_api_requests_total{protocol="http",route="/api/jobs",status="400"})"),
            1);
  // Each job was polled by id: one route for every id, never a label per job.
  EXPECT_GE(
      delta(R"(valet_api_requests_total{protocol="http",route="/api/jobs/{id}",status="200"})"), 4);
  EXPECT_GE(delta(R"(valet_api_request_seconds_count{protocol="http",route="/api/jobs"})"), 5);
  EXPECT_THAT(after, ::testing::Not(::testing::ContainsRegex("route=\"/api/jobs/[0-9a-f]{8}-")));
  EXPECT_EQ(Sample(after, R"(valet_backend_up{backend="repository"})"), 1);
  EXPECT_EQ(Sample(after, R"(valet_backend_up{backend="job_queue"})"), 1);
  EXPECT_EQ(Sample(after, "valet_workers"), 4);
  EXPECT_EQ(Sample(after, "valet_queue_depth"), 0);  // every job of the workload was taken
  EXPECT_THAT(after, HasSubstr("# TYPE valet_job_run_seconds histogram\n"));
  EXPECT_THAT(after, HasSubstr("# TYPE valet_jobs_completed_total counter\n"));
}

TEST_F(MetricsTest, EveryLineIsACommentOrASample) {
  std::string metrics = Scrape();
  std::regex line(
      R"((# (HELP|TYPE) [a-z_]+ .+)|([a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.eInf]+))");
  std::size_t start = 0;
  int samples = 0;
  while (start < metrics.size()) {
    std::size_t end = metrics.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "the last line has no newline";
    std::string text = metrics.substr(start, end - start);
    EXPECT_TRUE(std::regex_match(text, line)) << text;
    samples += text[0] != '#';
    start = end + 1;
  }
  EXPECT_GT(samples, 20);
}

}  // namespace
}  // namespace valet::e2e
