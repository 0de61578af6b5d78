#include "valet/app/config.hpp"

#include <gtest/gtest.h>

namespace valet::app {
namespace {

using std::chrono::milliseconds;

std::string ErrorOf(const std::string& yaml) {
  auto config = ParseConfig(yaml);
  EXPECT_FALSE(config.ok()) << yaml;
  return config.ok() ? "" : config.status().message();
}

TEST(ConfigTest, EmptyConfigGetsValetsDefaults) {
  auto config = ParseConfig("");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->protocols, std::vector<std::string>{"http"});
  EXPECT_EQ(config->queue_option, "memory");
  EXPECT_EQ(config->repository_option, "memory");
  EXPECT_GE(config->workers, 1);
  EXPECT_EQ(config->queue_capacity, config->workers * 2);
  EXPECT_EQ(config->timeout_unit, milliseconds(1000));
  EXPECT_EQ(config->repository_polling_interval, milliseconds(60'000));
  EXPECT_EQ(config->job_queue_polling_interval, milliseconds(1'000));
  EXPECT_EQ(config->logging_format, LogFormat::kText);
}

TEST(ConfigTest, ReadsEveryKey) {
  auto config = ParseConfig(R"(
server: {protocol: http, http: {port: 9090}}
job_queue: {option: memory, memory_job_queue: {capacity: 7}}
worker_pool: {workers: 3, queue_capacity: 5}
scheduler: {repository_polling_interval: 250, job_queue_polling_interval: 50}
repository: {option: memory}
timeout_unit: millisecond
logging_format: json
shutdown_grace_period: 1500
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server["http"]["port"], 9090);
  EXPECT_EQ(config->job_queue["memory_job_queue"]["capacity"], 7);
  EXPECT_EQ(config->workers, 3);
  EXPECT_EQ(config->queue_capacity, 5);
  EXPECT_EQ(config->timeout_unit, milliseconds(1));
  EXPECT_EQ(config->repository_polling_interval, milliseconds(250));
  EXPECT_EQ(config->job_queue_polling_interval, milliseconds(50));
  EXPECT_EQ(config->shutdown_grace_period, milliseconds(1500));
  EXPECT_EQ(config->logging_format, LogFormat::kJson);
}

TEST(ConfigTest, AcceptsValetsOlderNames) {
  auto config =
      ParseConfig("storage: {option: postgres}\nscheduler: {storage_polling_interval: 2}\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->repository_option, "postgres");
  EXPECT_EQ(config->repository_key, "storage");
  EXPECT_EQ(config->repository_polling_interval, milliseconds(2000));
}

TEST(ConfigTest, ErrorsNameTheKeyAndTheAllowedValues) {
  EXPECT_EQ(ErrorOf("server: {protocol: soap}"),
            "server.protocol: \"soap\" is not valid - valid options: http, grpc");
  EXPECT_EQ(ErrorOf("job_queue: {option: kafka}"),
            "job_queue.option: \"kafka\" is not valid - valid options: memory, rabbitmq, redis");
  EXPECT_EQ(ErrorOf("repository: {option: sqlite}"),
            "repository.option: \"sqlite\" is not valid - valid options: memory, mysql, "
            "postgres, redis");
  EXPECT_EQ(ErrorOf("timeout_unit: hour"),
            "timeout_unit: \"hour\" is not valid - valid options: second, millisecond");
  EXPECT_EQ(ErrorOf("logging_format: xml"),
            "logging_format: \"xml\" is not valid - valid options: text, json");
  EXPECT_NE(ErrorOf("worker_pool: {workers: -1}").find("worker_pool.workers"), std::string::npos);
  EXPECT_NE(ErrorOf("worker_pool: {workers: many}").find("worker_pool.workers"), std::string::npos);
  EXPECT_NE(ErrorOf("scheduler: {job_queue_polling_interval: 1.5}")
                .find("scheduler.job_queue_polling_interval"),
            std::string::npos);
  EXPECT_NE(ErrorOf("wokers: 3").find("wokers: unknown key"), std::string::npos);
  EXPECT_NE(ErrorOf("worker_pool: {threads: 3}").find("worker_pool.threads"), std::string::npos);
  EXPECT_NE(ErrorOf("repository: {option: memory}\nstorage: {option: memory}").find("storage"),
            std::string::npos);
  EXPECT_NE(ErrorOf("server: [1, 2]").find("server"), std::string::npos);
  EXPECT_NE(ErrorOf("server: {protocol: http").find("not valid YAML"), std::string::npos);
}

TEST(ConfigTest, ErrorsAreOneLine) {
  for (const char* yaml : {"timeout_unit: hour", "server: {protocol: http", "x: 1"}) {
    EXPECT_EQ(ErrorOf(yaml).find('\n'), std::string::npos) << yaml;
  }
}

TEST(ConfigTest, QuotedNumbersStayStrings) {
  auto config = ParseConfig("server: {http: {port: \"8080\"}}");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->server["http"]["port"].is_string());
}

TEST(ConfigTest, ReadsDeclaredSchedules) {
  auto config = ParseConfig(R"(
schedules:
  - name: nightly
    cron: "0 3 * * *"
    time_zone: Europe/Berlin
    missed: run_once
    job: {name: report, task_name: noop, task_params: {format: pdf}}
  - name: chain
    every: 15m
    paused: true
    pipeline: {name: p, jobs: [{name: a, task_name: noop}, {name: b, task_name: noop}]}
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->schedules.size(), 2u);
  const core::ScheduleRequest& nightly = config->schedules[0];
  EXPECT_EQ(nightly.name, "nightly");
  EXPECT_EQ(nightly.timing.cron, "0 3 * * *");
  EXPECT_EQ(nightly.timing.time_zone, "Europe/Berlin");
  EXPECT_EQ(nightly.timing.missed, "run_once");
  ASSERT_TRUE(nightly.job.has_value());
  EXPECT_EQ(nightly.job->task_params, (Json{{"format", "pdf"}}));
  const core::ScheduleRequest& chain = config->schedules[1];
  EXPECT_EQ(chain.timing.every, "15m");
  EXPECT_TRUE(chain.paused);
  ASSERT_TRUE(chain.pipeline.has_value());
  EXPECT_EQ(chain.pipeline->jobs.size(), 2u);
}

TEST(ConfigTest, BadSchedulesNameTheirEntry) {
  EXPECT_EQ(ErrorOf("schedules: {name: x}"), "schedules: must be a list");
  EXPECT_EQ(ErrorOf("schedules: [just text]"), "schedules[0]: must be a mapping");
  EXPECT_EQ(ErrorOf("schedules: [{every: 1m}]"), "schedules[0].name: required");
  EXPECT_EQ(ErrorOf("schedules: [{name: x, evry: 1m}]"),
            "schedules[0].evry: unknown key - valid keys: name, description, cron, every, "
            "time_zone, missed, job, pipeline, paused");
  EXPECT_EQ(ErrorOf("schedules: [{name: x, every: 1m}, {name: x, every: 2m}]"),
            "schedules[1].name: \"x\" is declared twice - schedule names are unique");
  EXPECT_EQ(ErrorOf("schedules: [{name: x, every: 1m, job: [1]}]"),
            "schedules[0].job must be a JSON object");
  EXPECT_EQ(ErrorOf("schedules: [{name: x, every: 1m, paused: maybe}]"),
            "schedules[0].paused must be a boolean");
}

TEST(ConfigTest, MissingFileIsAnError) {
  auto config = LoadConfigFile("/nonexistent/config.yaml");
  EXPECT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("/nonexistent/config.yaml"), std::string::npos);
}

TEST(ConfigTest, AllowUnauthenticatedIsAFalseByDefaultBoolean) {
  auto defaults = ParseConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->allow_unauthenticated);
  auto allowed = ParseConfig("server: {allow_unauthenticated: true}");
  ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_TRUE(allowed->allow_unauthenticated);
  auto wrong = ParseConfig("server: {allow_unauthenticated: sure}");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(
      wrong.status().message().rfind("server.allow_unauthenticated: must be true or false", 0), 0u)
      << wrong.status().message();
}

TEST(ConfigTest, RecoveryAndRetryKeysTakeDurationsOrTimeoutUnits) {
  auto config = ParseConfig(R"(
role: worker
server: {idempotency_window: 2h}
worker_pool: {max_retries: 4, retry_backoff: 250ms, retry_backoff_max: 1m, lease: 1m30s}
scheduler: {requeue_stranded_after: 90}
timeout_unit: second
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->role, Role::kWorker);
  EXPECT_EQ(config->max_retries, 4);
  EXPECT_EQ(config->retry_backoff, milliseconds(250));
  EXPECT_EQ(config->retry_backoff_max, milliseconds(60'000));
  EXPECT_EQ(config->lease, milliseconds(90'000));
  EXPECT_EQ(config->requeue_stranded_after, milliseconds(90'000));  // 90 timeout units
  EXPECT_EQ(config->idempotency_window, milliseconds(7'200'000));

  auto defaults = ParseConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->role, Role::kAll);
  EXPECT_EQ(defaults->max_retries, 0);
  EXPECT_EQ(defaults->lease, milliseconds(30'000));
}

TEST(ConfigTest, BadRecoveryAndRetryValuesNameTheirKey) {
  EXPECT_EQ(ErrorOf("role: leader"),
            "role: \"leader\" is not valid - valid options: all, api, worker");
  EXPECT_EQ(ErrorOf("worker_pool: {max_retries: 101}"),
            "worker_pool.max_retries: must be from 0 to 100, got 101");
  EXPECT_EQ(ErrorOf("worker_pool: {lease: 10ms}").rfind("worker_pool.lease: must be a duration", 0),
            0u);
  EXPECT_EQ(ErrorOf("worker_pool: {retry_backoff: soon}").rfind("worker_pool.retry_backoff:", 0),
            0u);
  EXPECT_EQ(ErrorOf("worker_pool: {retry_backoff: 10s, retry_backoff_max: 1s}")
                .rfind("worker_pool.retry_backoff_max:", 0),
            0u);
  EXPECT_EQ(ErrorOf("server: {idempotency_window: 0s}").rfind("server.idempotency_window:", 0), 0u);
}

TEST(ConfigTest, RetentionKeepsEverythingUnlessLimited) {
  auto defaults = ParseConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->retention.Prunes());
  auto config = ParseConfig("retention: {max_age: 168h, max_count: 50000, prune_interval: 30s}");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->retention.max_age, std::chrono::hours{168});
  EXPECT_EQ(config->retention.max_count, 50000u);
  EXPECT_EQ(config->retention.interval, milliseconds(30'000));
  EXPECT_TRUE(config->retention.Prunes());

  EXPECT_EQ(
      ErrorOf("retention: {max_age: forever}").rfind("retention.max_age: must be a duration", 0),
      0u);
  EXPECT_EQ(ErrorOf("retention: {max_count: -1}"),
            "retention.max_count: must be a whole number from 0 to 1000000, got -1");
  EXPECT_EQ(ErrorOf("retention: {prune_interval: 1ms}").rfind("retention.prune_interval:", 0), 0u);
  EXPECT_NE(ErrorOf("retention: {max_days: 3}").find("max_days"), std::string::npos);
}

TEST(ConfigTest, ProtocolIsOneApiOrAListOfThem) {
  using Protocols = std::vector<std::string>;
  EXPECT_EQ(ParseConfig("server: {protocol: grpc}")->protocols, Protocols{"grpc"});
  EXPECT_EQ(ParseConfig("server: {protocol: [http, grpc]}")->protocols,
            (Protocols{"http", "grpc"}));
  EXPECT_EQ(ParseConfig("server:\n  protocol:\n    - grpc\n")->protocols, Protocols{"grpc"});
}

TEST(ConfigTest, BadProtocolsAreOneLineErrors) {
  EXPECT_EQ(ErrorOf("server: {protocol: [http, soap]}"),
            "server.protocol: \"soap\" is not valid - valid options: http, grpc");
  EXPECT_EQ(ErrorOf("server: {protocol: [http, http]}"),
            "server.protocol: \"http\" is listed twice");
  EXPECT_EQ(ErrorOf("server: {protocol: []}"),
            "server.protocol: [] is not valid - give http, grpc or a list of them");
  EXPECT_EQ(ErrorOf("server: {protocol: 8080}"),
            "server.protocol: 8080 is not valid - valid options: http, grpc");
  EXPECT_EQ(ErrorOf("server: {protocol: {http: true}}"),
            "server.protocol: {\"http\":true} is not valid - valid options: http, grpc");
  EXPECT_EQ(ErrorOf("server: {protocol: [[http]]}"),
            "server.protocol: [\"http\"] is not valid - valid options: http, grpc");
}

}  // namespace
}  // namespace valet::app
