#pragma once

#include <string>

namespace valet::testing {

// The private servers that scripts/servers.sh starts, which outage tests take away from under a
// live valet. Such tests stop a server every other test uses, so they must run alone
// (RUN_SERIAL).
enum class TestServer { kPostgres, kMariadb, kRedis, kRabbitmq };

// Stops the server by the PID in its pid file (found through the VALET_*_DATA/PID_FILE variables
// the script exports) and waits until the process is gone. "" on success, else the reason.
std::string StopServer(TestServer server);

// Starts whatever is not running, as `eval "$(scripts/servers.sh)"` does. "" or the reason.
std::string StartServers();

}  // namespace valet::testing
