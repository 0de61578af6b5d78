#include "postgres_test_support.hpp"
#include "repository_outage_suite.hpp"

namespace valet::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Postgres, RepositoryOutageTest,
                         ::testing::Values(OutageTarget{"postgres", TestServer::kPostgres,
                                                        []() -> std::unique_ptr<JobRepository> {
                                                          return OpenFreshRepository();
                                                        }}),
                         OutageTargetName);

}  // namespace
}  // namespace valet::testing
