// valetd stopped in the middle of a run, by SIGKILL and by SIGTERM, then started again on the
// same backends: every acknowledged job runs to COMPLETED, none runs unasked, and duplicates stay
// within the jobs that were running at the kill (none at all after SIGTERM). Run once per durable
// combination of repository and queue (VALET_E2E_REPOSITORY, VALET_E2E_QUEUE).

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>

#include "fault_support.hpp"
#include "ledger.hpp"
#include "valetd_server.hpp"

namespace valet::fault {
namespace {

constexpr int kJobs = 2000;
constexpr int kJobMs = 10;  // 2,000 jobs of 10 ms on 4 workers: about 5 s of work

class KillTest : public ::testing::Test {
 protected:
  // Submits the jobs to a first valetd, ends it with `signal` once a quarter of them ran, and
  // counts after a second valetd has finished the rest. Returns the runs seen before the signal.
  int InterruptAndFinish(int signal, const std::string& name) {
    config_ = FaultConfig(name);
    auto first = e2e::ValetdServer::Start(config_);
    EXPECT_EQ(ledger_.Submit(first->port(), kJobs, 8, kJobMs), kJobs);
    EXPECT_TRUE(WaitUntil([&] { return ledger_.CountRuns() >= kJobs / 4; }));
    first->process().Signal(signal);
    auto exit = first->process().WaitForExit(std::chrono::seconds(30));
    int before = ledger_.CountRuns();
    EXPECT_TRUE(exit.has_value());
    if (signal == SIGTERM) {
      EXPECT_TRUE(exit && exit->exited && exit->code == 0) << first->Log();
    }
    log_ = first->Log();

    auto second = e2e::ValetdServer::Start(config_);
    census_ = ledger_.Count(second->port());
    std::printf("fault %s on %s + %s: %d runs before the signal; %s\n", name.c_str(),
                config_.repository.c_str(), config_.queue.c_str(), before,
                census_.ToString().c_str());
    log_ += second->Log();
    second->Stop();
    return before;
  }

  void TearDown() override {
    if (HasFailure()) std::printf("---- valetd logs ----\n%s---- end ----\n", log_.c_str());
  }

  e2e::ValetdConfig config_;
  Ledger ledger_;
  Census census_;
  std::string log_;
};

TEST_F(KillTest, Sigkill) {
  int before = InterruptAndFinish(SIGKILL, "kill9");
  ASSERT_LT(before, kJobs) << "every job ran before the kill: the test proved nothing";
  EXPECT_EQ(census_.acknowledged, kJobs);
  EXPECT_EQ(census_.lost, 0) << census_.ToString();
  EXPECT_EQ(census_.unexpected, 0) << census_.ToString();
  // Only a job whose run was recorded but not yet stored when the process died runs twice.
  EXPECT_LE(census_.duplicated, config_.workers) << census_.ToString();
}

TEST_F(KillTest, Sigterm) {
  int before = InterruptAndFinish(SIGTERM, "term");
  ASSERT_LT(before, kJobs) << "every job ran before the signal: the test proved nothing";
  EXPECT_EQ(census_.acknowledged, kJobs);
  EXPECT_EQ(census_.lost, 0) << census_.ToString();
  EXPECT_EQ(census_.unexpected, 0) << census_.ToString();
  EXPECT_EQ(census_.duplicated, 0) << census_.ToString();
}

}  // namespace
}  // namespace valet::fault
