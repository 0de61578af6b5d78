#include "command_line.hpp"

#include <algorithm>
#include <cstdlib>

#include "cli_error.hpp"

namespace valetctl {

const char* const kUsage = R"(usage: valetctl [--url URL] [--token TOKEN] [--json] COMMAND [ARGS]

commands:
  submit TASK [--params JSON] [--name NAME] [--description TEXT] [--timeout N]
              [--max-retries N] [--run-at TIME | --run-in DELAY] [--wait]
                         submit a job (its name is the task's unless --name); prints its id,
                         or with --wait its outcome
  get ID                 a job
  list [--status S] [--task T] [--label KEY:VALUE]
                         jobs, oldest first
  result ID              a job's result, or its error
  cancel ID              cancel a job that has not finished
  retry ID               submit a FAILED or CANCELLED job again, as a new job
  delete ID              delete a job and its result
  pipeline submit FILE [--wait]
                         submit the pipeline in FILE (JSON as POST /api/pipelines takes; - for
                         standard input)
  watch ID               follow a job until it finishes, with its progress
  tasks                  the registered tasks
  status                 the server's health and version

options:
  --url URL      valetd's address (else $VALET_URL, else http://127.0.0.1:8080)
  --token TOKEN  API token (else $VALET_TOKEN)
  --json         print the server's JSON instead of text
  --help, --version

exit codes: 0 ok; 1 a waited-for job failed or was cancelled; 2 bad usage or a request the
server refused; 3 the server could not be reached or failed
)";

namespace {

struct CommandSpec {
  const char* name;
  std::vector<const char*> arg_names;  // the positional arguments, all required
  std::vector<const char*> values;     // options that take a value
  std::vector<const char*> flags;      // options that do not
};

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> commands = {
      {"submit",
       {"TASK"},
       {"--params", "--name", "--description", "--timeout", "--max-retries", "--run-at",
        "--run-in"},
       {"--wait"}},
      {"get", {"ID"}, {}, {}},
      {"list", {}, {"--status", "--task", "--label"}, {}},
      {"result", {"ID"}, {}, {}},
      {"cancel", {"ID"}, {}, {}},
      {"retry", {"ID"}, {}, {}},
      {"delete", {"ID"}, {}, {}},
      {"pipeline submit", {"FILE"}, {}, {"--wait"}},
      {"watch", {"ID"}, {}, {}},
      {"tasks", {}, {}, {}},
      {"status", {}, {}, {}},
  };
  return commands;
}

const std::vector<const char*> kGlobalValues = {"--url", "--token"};
const std::vector<const char*> kGlobalFlags = {"--json"};

bool Contains(const std::vector<const char*>& list, const std::string& item) {
  return std::any_of(list.begin(), list.end(), [&](const char* entry) { return item == entry; });
}

bool TakesValue(const std::string& option) {
  if (Contains(kGlobalValues, option)) return true;
  return std::any_of(Commands().begin(), Commands().end(),
                     [&](const CommandSpec& spec) { return Contains(spec.values, option); });
}

bool IsKnownOption(const std::string& option) {
  if (TakesValue(option) || Contains(kGlobalFlags, option)) return true;
  return std::any_of(Commands().begin(), Commands().end(),
                     [&](const CommandSpec& spec) { return Contains(spec.flags, option); });
}

[[noreturn]] void Usage(const std::string& message) {
  throw CliError(kExitUsage, message + " (see valetctl --help)");
}

std::string CommandNames() {
  std::string names;
  for (const CommandSpec& spec : Commands()) {
    names += (names.empty() ? "" : ", ") + std::string(spec.name);
  }
  return names;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::optional<std::string> CommandLine::Value(const std::string& option) const {
  auto found = values.find(option);
  if (found == values.end()) return std::nullopt;
  return found->second;
}

CommandLine ParseCommandLine(const std::vector<std::string>& argv) {
  CommandLine line;
  std::vector<std::string> positional;
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_done || arg.size() < 2 || arg.rfind("--", 0) != 0) {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "--version") {
      line.command = arg.substr(2);
      return line;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (!IsKnownOption(name)) Usage("unknown option " + name);
    if (!TakesValue(name)) {
      if (value) Usage(name + " takes no value");
      line.flags.insert(name);
      continue;
    }
    if (!value) {
      if (i + 1 >= argv.size()) Usage(name + " needs a value");
      value = argv[++i];
    }
    if (line.values.count(name)) Usage(name + " given twice");
    line.values[name] = *value;
  }

  if (positional.empty()) Usage("no command given - commands: " + CommandNames());
  line.command = positional.front();
  positional.erase(positional.begin());
  if (line.command == "pipeline") {
    if (positional.empty() || positional.front() != "submit") {
      Usage("unknown command \"pipeline" +
            (positional.empty() ? std::string() : " " + positional.front()) +
            "\" - did you mean \"pipeline submit FILE\"?");
    }
    line.command = "pipeline submit";
    positional.erase(positional.begin());
  }
  auto spec = std::find_if(Commands().begin(), Commands().end(), [&](const CommandSpec& candidate) {
    return line.command == candidate.name;
  });
  if (spec == Commands().end()) {
    Usage("unknown command \"" + line.command + "\" - commands: " + CommandNames());
  }
  if (positional.size() < spec->arg_names.size()) {
    Usage(line.command + " needs " + spec->arg_names[positional.size()]);
  }
  if (positional.size() > spec->arg_names.size()) {
    Usage(line.command + ": unexpected argument \"" + positional[spec->arg_names.size()] + "\"");
  }
  line.args = positional;
  for (const auto& [name, value] : line.values) {
    if (!Contains(kGlobalValues, name) && !Contains(spec->values, name)) {
      Usage(line.command + " takes no option " + name);
    }
  }
  for (const std::string& flag : line.flags) {
    if (!Contains(kGlobalFlags, flag) && !Contains(spec->flags, flag)) {
      Usage(line.command + " takes no option " + flag);
    }
  }
  if (line.values.count("--run-at") && line.values.count("--run-in")) {
    Usage("--run-at and --run-in cannot both be given");
  }

  line.url = line.Value("--url").value_or(Env("VALET_URL"));
  if (line.url.empty()) line.url = "http://127.0.0.1:8080";
  line.token = line.Value("--token").value_or(Env("VALET_TOKEN"));
  return line;
}

}  // namespace valetctl
