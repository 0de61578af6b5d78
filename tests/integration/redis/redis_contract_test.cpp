// The JobRepository and JobQueue contracts against a real Redis server, each test on a key
// prefix of its own.
#include "job_queue_contract.hpp"
#include "job_repository_contract.hpp"
#include "redis_test_support.hpp"

namespace valet::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Redis, JobRepositoryContract,
                         ::testing::Values(RepositoryMaker{
                             "redis",
                             []() -> std::unique_ptr<JobRepository> { return OpenRepository(); }}),
                         RepositoryName);

INSTANTIATE_TEST_SUITE_P(Redis, JobQueueContract,
                         ::testing::Values(QueueMaker{
                             "redis", []() -> std::unique_ptr<JobQueue> { return OpenQueue(); }}),
                         QueueName);

}  // namespace
}  // namespace valet::testing
