// valetctl: jobs and pipelines of a valetd from the command line (`valetctl --help`).

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli_error.hpp"
#include "command_line.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  try {
    valetctl::CommandLine line =
        valetctl::ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (line.command == "help") {
      std::fputs(valetctl::kUsage, stdout);
      return valetctl::kExitOk;
    }
    if (line.command == "version") {
      std::printf("valetctl %s\n", VALET_VERSION);
      return valetctl::kExitOk;
    }
    return valetctl::RunCommand(line, std::cout);
  } catch (const valetctl::CliError& error) {
    std::cout.flush();
    std::fprintf(stderr, "valetctl: %s\n", error.what());
    return error.exit_code();
  }
}
