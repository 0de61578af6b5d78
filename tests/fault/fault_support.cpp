#include "fault_support.hpp"

#include <unistd.h>

#include <thread>

namespace valet::fault {

e2e::ValetdConfig FaultConfig(const std::string& test_name) {
  e2e::ValetdConfig config;
  config.binary = VALET_LEDGER_VALETD;
  // The pattern scripts/servers.sh cleans up after, unique per test and process.
  config.backend_name = "e2e_" + std::to_string(::getpid()) + "_" + test_name;
  config.workers = 4;
  config.lease_ms = 1000;
  config.redis_lease_ms = 1000;
  config.requeue_stranded_after_ms = 3000;
  config.shutdown_grace_period_ms = 10000;
  config.repository_polling_interval_ms = 200;
  return config;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace valet::fault
