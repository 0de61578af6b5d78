#include "mysql_test_support.hpp"
#include "repository_outage_suite.hpp"

namespace valet::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Mysql, RepositoryOutageTest,
                         ::testing::Values(OutageTarget{"mysql", TestServer::kMariadb,
                                                        []() -> std::unique_ptr<JobRepository> {
                                                          return OpenFreshRepository();
                                                        }}),
                         OutageTargetName);

}  // namespace
}  // namespace valet::testing
