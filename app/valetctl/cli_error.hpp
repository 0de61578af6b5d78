#pragma once

#include <stdexcept>
#include <string>

namespace valetctl {

// The exit codes valetctl promises (README: valetctl).
inline constexpr int kExitOk = 0;
inline constexpr int kExitJobFailed = 1;    // a waited-for job or pipeline ended FAILED/CANCELLED
inline constexpr int kExitUsage = 2;        // bad arguments, or a request the server refused (4xx)
inline constexpr int kExitUnreachable = 3;  // no answer from the server, or a 5xx

// Ends the command: main() prints "valetctl: <message>" on stderr and exits with `exit_code`.
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

}  // namespace valetctl
