#pragma once

#include <string>
#include <vector>

namespace valet::core {

// The parts of a DSN or URL that may be a password: for "scheme://user:password@host/...", the
// password; with no '@', everything after the first ':' of the authority (a forgotten '@' makes
// a client library read the password as a port, and quote it back in its error); for libpq's
// "key=value" form, the value of password.
std::vector<std::string> SecretPartsOf(const std::string& dsn);

// `message` with every secret part of `dsn` replaced by "***", for errors that a client library
// wrote from the DSN it was given.
std::string Redacted(std::string message, const std::string& dsn);

}  // namespace valet::core
