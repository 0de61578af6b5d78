#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "api_helpers.hpp"
#include "http_client.hpp"
#include "valetd_config.hpp"
#include "valetd_server.hpp"

namespace valet::e2e {

// A suite that shares one valetd: started before the suite's first test, stopped with SIGTERM
// after its last, which must end it with exit code 0. A suite that needs other settings
// declares its own SetUpTestSuite() calling StartServer(config). valetd's log is printed after
// every failed test.
class ValetdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartServer(ValetdConfig{}); }
  static void TearDownTestSuite() { StopServer(); }
  static void StartServer(const ValetdConfig& config);
  static void StopServer();

  void SetUp() override;
  void TearDown() override;

  static int port() { return server_->port(); }
  static ValetdServer& server() { return *server_; }
  // A keep-alive client of the suite's server, one per test.
  HttpClient& client() { return *client_; }

 private:
  static inline std::unique_ptr<ValetdServer> server_;
  static inline std::string start_error_;
  std::optional<HttpClient> client_;
};

}  // namespace valet::e2e
