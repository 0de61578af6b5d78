// The JobQueue contract against a real RabbitMQ broker, one fresh queue per test.
#include "job_queue_contract.hpp"
#include "rabbitmq_test_support.hpp"
#include "valet/testing/fakes.hpp"

namespace valet::testing {

// RabbitMQ is a queue only; the repository suite linked alongside has no instance here.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(JobRepositoryContract);

namespace {

RecordingLogger& SharedLogger() {
  static RecordingLogger logger;
  return logger;
}

INSTANTIATE_TEST_SUITE_P(Rabbitmq, JobQueueContract,
                         ::testing::Values(QueueMaker{"rabbitmq",
                                                      []() -> std::unique_ptr<JobQueue> {
                                                        return OpenQueue(FreshOptions(),
                                                                         SharedLogger());
                                                      }}),
                         QueueName);

}  // namespace
}  // namespace valet::testing
