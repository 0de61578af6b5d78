#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace valetctl {

// One valetctl invocation, parsed: the command ("submit", "pipeline submit", ...), its
// positional arguments, and the options given. Options may come before or after the command.
struct CommandLine {
  std::string command;
  std::vector<std::string> args;
  std::map<std::string, std::string> values;  // "--params" -> "{...}"
  std::set<std::string> flags;                // "--wait", "--json"
  std::string url;                            // --url, else VALET_URL, else http://127.0.0.1:8080
  std::string token;                          // --token, else VALET_TOKEN; "" for none

  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::optional<std::string> Value(const std::string& option) const;
};

// Reads argv (without argv[0]) and the environment. Throws CliError (exit 2) naming what is wrong:
// an unknown command or option, a missing or extra argument, an option without its value.
// "--help" and "--version" come back as the commands "help" and "version".
CommandLine ParseCommandLine(const std::vector<std::string>& argv);

// The usage text, for --help and after a usage error.
extern const char* const kUsage;

}  // namespace valetctl
