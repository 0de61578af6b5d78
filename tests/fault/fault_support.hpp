#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "valetd_config.hpp"

namespace valet::fault {

// A valetd config for the fault tests: the ledger valetd on the durable backends the test's
// environment names (VALET_E2E_REPOSITORY, VALET_E2E_QUEUE), with short leases so that lost
// jobs come back within seconds. Every valetd made from one test's config shares its backends.
e2e::ValetdConfig FaultConfig(const std::string& test_name);

// Polls `done` every 20 ms until it holds or `limit` passes; returns its last answer.
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(60));

}  // namespace valet::fault
