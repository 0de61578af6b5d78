// job_queue.rabbitmq in config.yaml: valet's keys, safe defaults, one-line errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rabbitmq_options.hpp"
#include "valet/adapters/rabbitmq/rabbitmq_job_queue.hpp"
#include "valet/core/system_clock.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {
namespace {

using adapters::rabbitmq::RabbitmqOptions;
using adapters::rabbitmq::ReadRabbitmqOptions;
using ::testing::HasSubstr;

class RabbitmqOptionsTest : public ::testing::Test {
 protected:
  Result<RabbitmqOptions> Read(const std::string& json, std::string uri = "amqp://h/") {
    section_ = Json::parse(json);
    core::AdapterSettings settings{
        section_,
        "job_queue.rabbitmq",
        clock_,
        logger_,
        [uri](const std::string& name) { return name == "RABBITMQ_URI" ? uri : std::string(); },
        6};
    return ReadRabbitmqOptions(settings);
  }
  std::string ErrorOf(const std::string& json) {
    auto options = Read(json);
    EXPECT_FALSE(options.ok());
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
    return options.status().message();
  }

  Json section_;
  core::SystemClock clock_;
  RecordingLogger logger_;
};

TEST_F(RabbitmqOptionsTest, DefaultsAreDurableManualAckMandatoryWithThePrefetchOfThePool) {
  auto options = Read("{}");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->queue, "job");
  EXPECT_TRUE(options->durable);
  EXPECT_FALSE(options->auto_ack);
  EXPECT_TRUE(options->mandatory);
  EXPECT_EQ(options->consumer_tag, "rabbitmq-consumer");
  EXPECT_EQ(options->prefetch, 6);  // worker_pool.queue_capacity
  EXPECT_EQ(options->uri, "amqp://h/");
  EXPECT_TRUE(logger_.lines().empty());
}

TEST_F(RabbitmqOptionsTest, ReadsValetsKeys) {
  auto options = Read(R"({
    "queue_params": {"name": "work", "durable": true, "delete_when_unused": false,
                     "exclusive": false, "no_wait": false},
    "consume_params": {"name": "me", "auto_ack": false, "exclusive": true, "no_local": false,
                       "no_wait": false},
    "publish_params": {"exchange": "", "routing_key": "work", "mandatory": true,
                       "immediate": false}})");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->queue, "work");
  EXPECT_EQ(options->consumer_tag, "me");
  EXPECT_TRUE(options->consume_exclusive);
  EXPECT_EQ(options->routing_key, "work");
}

TEST_F(RabbitmqOptionsTest, AcceptsTheQueueNameSpellingOfValetsReadme) {
  auto options = Read(R"({"queue_params": {"queue_name": "readme", "deleted_when_unused": true}})");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->queue, "readme");
  EXPECT_TRUE(options->delete_when_unused);
}

TEST_F(RabbitmqOptionsTest, TwoDifferentQueueNamesAreAnError) {
  EXPECT_THAT(ErrorOf(R"({"queue_params": {"name": "a", "queue_name": "b"}})"),
              HasSubstr("job_queue.rabbitmq.queue_params: name and queue_name differ"));
}

TEST_F(RabbitmqOptionsTest, UnknownKeysAreNamed) {
  EXPECT_EQ(ErrorOf(R"({"queue_parms": {}})"),
            "job_queue.rabbitmq.queue_parms: unknown key - valid keys: queue_params, "
            "consume_params, publish_params");
  EXPECT_THAT(ErrorOf(R"({"consume_params": {"autoack": true}})"),
              HasSubstr("job_queue.rabbitmq.consume_params.autoack: unknown key"));
}

TEST_F(RabbitmqOptionsTest, WrongTypesAreNamed) {
  EXPECT_EQ(ErrorOf(R"({"queue_params": {"durable": "yes"}})"),
            "job_queue.rabbitmq.queue_params.durable must be true or false, got \"yes\"");
  EXPECT_THAT(ErrorOf(R"({"publish_params": {"exchange": 3}})"),
              HasSubstr("job_queue.rabbitmq.publish_params.exchange must be a string"));
}

TEST_F(RabbitmqOptionsTest, ImmediatePublishingIsRefused) {
  EXPECT_THAT(ErrorOf(R"({"publish_params": {"immediate": true}})"),
              HasSubstr("publish_params.immediate"));
}

TEST_F(RabbitmqOptionsTest, AutoAckWarnsThatJobsCanBeLost) {
  auto options = Read(R"({"consume_params": {"auto_ack": true}})");
  ASSERT_TRUE(options.ok());
  EXPECT_TRUE(options->auto_ack);
  ASSERT_EQ(logger_.lines().size(), 1u);
  EXPECT_THAT(logger_.lines()[0], HasSubstr("auto_ack is true"));
  EXPECT_THAT(logger_.lines()[0], HasSubstr("jobs can be lost"));
}

TEST_F(RabbitmqOptionsTest, MissingUriIsAnInvalidArgument) {
  auto options = Read("{}", "");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(options.status().message(), HasSubstr("RABBITMQ_URI is not set"));
}

TEST(RabbitmqUriTest, BadOrTlsUrisAreRefusedWithoutEchoingThem) {
  RecordingLogger logger;
  for (const char* uri : {"http://guest:s3cret@host/", "amqp://guest:s3cret@host:notaport/",
                          "amqps://guest:s3cret@host/"}) {
    RabbitmqOptions options;
    options.uri = uri;
    auto queue = adapters::rabbitmq::RabbitmqJobQueue::Open(options, logger);
    ASSERT_FALSE(queue.ok()) << uri;
    EXPECT_EQ(queue.status().code(), StatusCode::kInvalidArgument) << uri;
    EXPECT_THAT(queue.status().message(), ::testing::Not(HasSubstr("s3cret")));
  }
}

}  // namespace
}  // namespace valet::testing
