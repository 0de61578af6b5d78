#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valet/core/job_metrics.hpp"
#include "valet/core/metrics.hpp"
#include "valet/core/prometheus_text.hpp"
#include "valet/core/request_metrics.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::core {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

TEST(PrometheusTextTest, WritesFamiliesAndEscapesLabelValues) {
  PrometheusText out;
  out.Family("valet_things_total", "counter", "Things.");
  out.Sample("valet_things_total", {{"task", "a\"b\\c\nd"}}, std::uint64_t{7});
  out.Sample("valet_ratio", {}, 0.25);

  EXPECT_EQ(out.text(),
            "# HELP valet_things_total Things.\n"
            "# TYPE valet_things_total counter\n"
            "valet_things_total{task=\"a\\\"b\\\\c\\nd\"} 7\n"
            "valet_ratio 0.25\n");
}

TEST(LatencyHistogramTest, BucketsAreCumulativeAndEndInInf) {
  LatencyHistogram histogram;
  histogram.Record(milliseconds(3));        // le 0.005
  histogram.Record(milliseconds(3));        // le 0.005
  histogram.Record(milliseconds(200));      // le 0.25
  histogram.Record(std::chrono::hours(1));  // +Inf only
  PrometheusText out;
  histogram.WriteTo(out, "h", {{"task", "t"}});

  EXPECT_THAT(out.text(), HasSubstr("h_bucket{task=\"t\",le=\"0.0025\"} 0\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_bucket{task=\"t\",le=\"0.005\"} 2\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_bucket{task=\"t\",le=\"0.1\"} 2\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_bucket{task=\"t\",le=\"0.25\"} 3\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_bucket{task=\"t\",le=\"60\"} 3\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_bucket{task=\"t\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_count{task=\"t\"} 4\n"));
  EXPECT_THAT(out.text(), HasSubstr("h_sum{task=\"t\"} 3600.206\n"));
}

TEST(JobMetricsTest, CountsEachEndingByTaskAndUnknownTasksAsOther) {
  JobMetrics metrics({"echo", "fail"});
  metrics.Submitted("echo");
  metrics.Submitted("echo");
  metrics.Submitted("nobody-registered-this");
  metrics.Started("echo");
  metrics.Ended("echo", JobStatus::kCompleted, milliseconds(10));
  metrics.Started("fail");
  metrics.Ended("fail", JobStatus::kPending, milliseconds(1));  // a retry
  metrics.Started("fail");
  metrics.Ended("fail", JobStatus::kFailed, milliseconds(1));
  PrometheusText out;
  metrics.WriteTo(out);
  const std::string& text = out.text();

  EXPECT_THAT(text, HasSubstr("valet_jobs_submitted_total{task=\"echo\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_submitted_total{task=\"other\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_completed_total{task=\"echo\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_started_total{task=\"fail\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_retried_total{task=\"fail\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_failed_total{task=\"fail\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_failed_total{task=\"echo\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("valet_job_run_seconds_count{task=\"fail\"} 2\n"));
}

TEST(RequestMetricsTest, CountsByProtocolRouteAndStatus) {
  RequestMetrics metrics;
  metrics.Record("http", "/api/jobs", "202", milliseconds(1));
  metrics.Record("http", "/api/jobs", "202", milliseconds(1));
  metrics.Record("http", "/api/jobs", "400", milliseconds(1));
  metrics.Record("grpc", "/job.Job/Get", "NOT_FOUND", milliseconds(1));
  PrometheusText out;
  metrics.WriteTo(out);

  EXPECT_THAT(out.text(),
              HasSubstr("valet_api_requests_total{protocol=\"http\",route=\"/api/jobs\",status="
                        "\"202\"} 2\n"));
  EXPECT_THAT(out.text(),
              HasSubstr("valet_api_requests_total{protocol=\"grpc\",route=\"/job.Job/Get\","
                        "status=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(out.text(), HasSubstr("valet_api_request_seconds_count{protocol=\"http\",route=\"/"
                                    "api/jobs\"} 3\n"));
}

TEST(MetricsTest, ShowsWorkersUtilisationAndBackends) {
  testing::FakeClock clock;
  Metrics metrics({"echo"}, clock);
  metrics.SetWorkers(4);
  metrics.SetBusyWorkers([] { return 1; });
  std::string text = metrics.Render(/*storage_healthy=*/true, /*job_queue_healthy=*/false,
                                    /*queue_depth=*/7);

  EXPECT_THAT(text, HasSubstr("valet_workers 4\n"));
  EXPECT_THAT(text, HasSubstr("valet_jobs_in_flight 1\n"));
  EXPECT_THAT(text, HasSubstr("valet_worker_utilisation 0.25\n"));
  EXPECT_THAT(text, HasSubstr("valet_backend_up{backend=\"repository\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("valet_backend_up{backend=\"job_queue\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE valet_queue_depth gauge\nvalet_queue_depth 7\n"));
  EXPECT_THAT(metrics.Render(true, true, std::nullopt),
              ::testing::Not(HasSubstr("valet_queue_depth")));
  EXPECT_EQ(metrics.workers(), 4);
  EXPECT_EQ(metrics.busy_workers(), 1);
}

TEST(MetricsTest, JobEndingsAreCountedInTheHistoryToo) {
  testing::FakeClock clock;
  Metrics metrics({"echo"}, clock);
  metrics.jobs.Ended("echo", JobStatus::kCompleted, milliseconds(1));
  metrics.jobs.Ended("echo", JobStatus::kFailed, milliseconds(1));
  metrics.jobs.Ended("other", JobStatus::kCompleted, milliseconds(1));

  JobHistory::Minute now = metrics.history.LastHour().back();
  EXPECT_EQ(now.completed, 2u);
  EXPECT_EQ(now.failed, 1u);
}

}  // namespace
}  // namespace valet::core
