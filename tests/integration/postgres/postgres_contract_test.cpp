// The JobRepository contract against a real PostgreSQL server.
#include "job_repository_contract.hpp"
#include "postgres_test_support.hpp"

namespace valet::testing {

// PostgreSQL is a repository only; the queue suite linked alongside has no instance here.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(JobQueueContract);

namespace {

INSTANTIATE_TEST_SUITE_P(Postgres, JobRepositoryContract,
                         ::testing::Values(RepositoryMaker{"postgres",
                                                           []() -> std::unique_ptr<JobRepository> {
                                                             return OpenFreshRepository();
                                                           }}),
                         RepositoryName);

}  // namespace
}  // namespace valet::testing
