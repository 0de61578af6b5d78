// The JobRepository contract against a real MySQL server.
#include "job_repository_contract.hpp"
#include "mysql_test_support.hpp"

namespace valet::testing {

// MySQL is a repository only; the queue suite linked alongside has no instance here.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(JobQueueContract);

namespace {

INSTANTIATE_TEST_SUITE_P(Mysql, JobRepositoryContract,
                         ::testing::Values(RepositoryMaker{"mysql",
                                                           []() -> std::unique_ptr<JobRepository> {
                                                             return OpenFreshRepository();
                                                           }}),
                         RepositoryName);

}  // namespace
}  // namespace valet::testing
