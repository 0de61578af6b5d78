#pragma once

#include <ostream>

#include "command_line.hpp"

namespace valetctl {

// Runs one parsed command against the server it names, printing to `out`, and returns the exit
// code (0, or 1 when a waited-for job or pipeline did not complete). Errors throw CliError.
int RunCommand(const CommandLine& line, std::ostream& out);

}  // namespace valetctl
