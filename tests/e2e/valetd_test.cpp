#include "valetd_test.hpp"

#include <cstdio>
#include <exception>

namespace valet::e2e {

void ValetdTest::StartServer(const ValetdConfig& config) {
  start_error_.clear();
  try {
    server_ = ValetdServer::Start(config);
  } catch (const std::exception& error) {
    start_error_ = error.what();
  }
}

void ValetdTest::StopServer() {
  if (!server_) return;
  std::optional<ExitStatus> exit = server_->Stop();
  EXPECT_TRUE(exit.has_value()) << "valetd did not stop after SIGTERM; log:\n" << server_->Log();
  if (exit) {
    EXPECT_TRUE(exit->exited && exit->code == 0)
        << "valetd ended with " << exit->ToString() << " after SIGTERM; log:\n"
        << server_->Log();
  }
  server_.reset();
}

void ValetdTest::SetUp() {
  ASSERT_TRUE(server_) << "valetd is not running: " << start_error_;
  client_.emplace(server_->port());
}

void ValetdTest::TearDown() {
  if (HasFailure() && server_) {
    std::printf("---- valetd log ----\n%s---- end of valetd log ----\n", server_->Log().c_str());
  }
}

}  // namespace valet::e2e
