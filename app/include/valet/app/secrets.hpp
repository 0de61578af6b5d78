#pragma once

#include <string>

namespace valet::app {

// A secret such as "POSTGRES_DSN": the environment variable if set and not empty, else the first
// line of /run/secrets/<lower-case name> (the directory can be moved with VALET_SECRETS_DIR),
// else "". Secrets are never logged.
std::string ReadSecret(const std::string& name);

}  // namespace valet::app
