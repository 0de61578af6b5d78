#include "commands.hpp"

#include <Poco/URI.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

#include "api_client.hpp"
#include "cli_error.hpp"
#include "job_output.hpp"
#include "table.hpp"

namespace valetctl {

namespace {

// How often a waiting command asks for news; the server is never asked for more than this.
constexpr std::chrono::milliseconds kPollInterval{200};

struct Context {
  const CommandLine& line;
  ApiClient& api;
  std::ostream& out;
  bool json() const { return line.Has("--json"); }
  const std::string& arg(std::size_t i) const { return line.args.at(i); }
  void PrintJson(const Json& value) const { out << value.dump(2) << "\n"; }
  // The server's JSON with --json, else `text` for people.
  void Show(const Json& value, const std::string& text) const {
    if (json()) {
      PrintJson(value);
    } else {
      out << text;
    }
  }
};

// The path of a job route. An id with characters that would change the path is refused here;
// any other id the server judges.
std::string JobPath(const std::string& id, const std::string& tail = "") {
  if (id.empty() || id.find_first_of("/?#% ") != std::string::npos) {
    throw CliError(kExitUsage, "invalid job id \"" + Printable(id) + "\"");
  }
  return "/api/jobs/" + id + tail;
}

Json ParseJson(const std::string& text, const std::string& what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw CliError(kExitUsage, what + " is not valid JSON");
  return value;
}

int ParseCount(const std::string& option, const std::string& text) {
  std::size_t used = 0;
  int value = -1;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 0) {
    throw CliError(kExitUsage, option + " must be a whole number of 0 or more, not \"" +
                                   Printable(text) + "\"");
  }
  return value;
}

// Polls `path` until its status is finished, calling `seen` with every reply.
Json WaitUntilFinished(ApiClient& api, const std::string& path,
                       const std::function<void(const Json&)>& seen = {}) {
  while (true) {
    Json record = api.Get(path);
    if (seen) seen(record);
    if (IsFinished(StatusOf(record))) return record;
    std::this_thread::sleep_for(kPollInterval);
  }
}

int ExitFor(const Json& record) {
  return StatusOf(record) == "COMPLETED" ? kExitOk : kExitJobFailed;
}

int Submit(const Context& c) {
  Json request{{"name", c.line.Value("--name").value_or(c.arg(0))}, {"task_name", c.arg(0)}};
  if (auto description = c.line.Value("--description")) request["description"] = *description;
  if (auto params = c.line.Value("--params")) {
    Json parsed = ParseJson(*params, "--params");
    if (!parsed.is_object()) throw CliError(kExitUsage, "--params must be a JSON object");
    request["task_params"] = parsed;
  }
  if (auto timeout = c.line.Value("--timeout")) {
    request["timeout"] = ParseCount("--timeout", *timeout);
  }
  if (auto retries = c.line.Value("--max-retries")) {
    request["max_retries"] = ParseCount("--max-retries", *retries);
  }
  if (auto run_at = c.line.Value("--run-at")) request["run_at"] = *run_at;
  if (auto run_in = c.line.Value("--run-in")) request["run_in"] = *run_in;

  Json job = c.api.Post("/api/jobs", request);
  std::string id = job.value("id", "");
  if (!c.line.Has("--wait")) {
    c.Show(job, id + "\n");
    return kExitOk;
  }
  if (!c.json()) c.out << id << std::endl;
  Json done = WaitUntilFinished(c.api, JobPath(id));
  if (c.json()) {
    c.PrintJson(done);
    return ExitFor(done);
  }
  c.out << WatchLine(done) << "\n";
  if (StatusOf(done) == "COMPLETED") {
    Json result = c.api.Get(JobPath(id, "/results"));
    if (result.contains("metadata")) c.out << result["metadata"].dump() << "\n";
  }
  return ExitFor(done);
}

int Get(const Context& c) {
  Json job = c.api.Get(JobPath(c.arg(0)));
  c.Show(job, JobDetails(job));
  return kExitOk;
}

// The server filters; without a limit its reply is every match at once.
int List(const Context& c) {
  std::string query;
  for (const auto& [option, parameter] :
       {std::pair{"--status", "status"}, std::pair{"--task", "task_name"},
        std::pair{"--label", "label"}}) {
    if (auto value = c.line.Value(option)) {
      std::string encoded;
      Poco::URI::encode(*value, "!#$&'()*+,/:;=?@[] %", encoded);
      query += (query.empty() ? "?" : "&") + std::string(parameter) + "=" + encoded;
    }
  }
  Json jobs = c.api.Get("/api/jobs" + query)["jobs"];
  c.Show(Json{{"jobs", jobs}}, JobTable(jobs));
  return kExitOk;
}

int Result(const Context& c) {
  Json result = c.api.Get(JobPath(c.arg(0), "/results"));
  if (c.json()) {
    c.PrintJson(result);
    return kExitOk;
  }
  if (result.contains("error")) c.out << "error: " << Printable(result.value("error", "")) << "\n";
  if (result.contains("metadata")) c.out << result["metadata"].dump(2) << "\n";
  return kExitOk;
}

int Cancel(const Context& c) {
  Json job = c.api.Post(JobPath(c.arg(0), "/cancel"), Json::object());
  c.Show(job, WatchLine(job) + "\n");
  return kExitOk;
}

int Retry(const Context& c) {
  Json job = c.api.Post(JobPath(c.arg(0), "/retry"), Json::object());
  c.Show(job, job.value("id", "") + "\n");
  return kExitOk;
}

int Delete(const Context& c) {
  c.api.Delete(JobPath(c.arg(0)));
  if (!c.json()) c.out << "deleted " << c.arg(0) << "\n";
  return kExitOk;
}

std::string ReadInput(const std::string& file) {
  if (file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read " + file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int SubmitPipeline(const Context& c) {
  const std::string& file = c.arg(0);
  Json request = ParseJson(ReadInput(file), file == "-" ? "standard input" : file);
  Json pipeline = c.api.Post("/api/pipelines", request);
  std::string id = pipeline.value("id", "");
  if (!c.line.Has("--wait")) {
    if (c.json()) {
      c.PrintJson(pipeline);
    } else {
      c.out << id << "\n" << JobTable(pipeline["jobs"]);
    }
    return kExitOk;
  }
  if (!c.json()) c.out << id << std::endl;
  if (id.empty() || id.find_first_of("/?#% ") != std::string::npos) {
    throw CliError(kExitUnreachable, "the server returned no pipeline id");
  }
  Json done = WaitUntilFinished(c.api, "/api/pipelines/" + id);
  Json jobs = c.api.Get("/api/pipelines/" + id + "/jobs")["jobs"];
  if (c.json()) {
    done["jobs"] = jobs;
    c.PrintJson(done);
  } else {
    c.out << WatchLine(done) << "\n" << JobTable(jobs);
  }
  return ExitFor(done);
}

int Watch(const Context& c) {
  // On a terminal the line is redrawn in place; in a pipe or file each change is a new line.
  const bool terminal = !c.json() && isatty(STDOUT_FILENO);
  std::string last;
  Json done = WaitUntilFinished(c.api, JobPath(c.arg(0)), [&](const Json& job) {
    std::string line = c.json() ? job.dump() : WatchLine(job);
    if (line == last) return;
    last = line;
    if (terminal) {
      c.out << "\r\033[K" << line << std::flush;
    } else {
      c.out << line << std::endl;
    }
  });
  if (terminal) c.out << "\n";
  return ExitFor(done);
}

int Tasks(const Context& c) {
  Json tasks = c.api.Get("/api/tasks");
  if (c.json()) {
    c.PrintJson(tasks);
    return kExitOk;
  }
  for (const Json& task : tasks["tasks"]) c.out << Printable(task.get<std::string>()) << "\n";
  return kExitOk;
}

int Status(const Context& c) {
  Json status = c.api.Get("/api/status");
  c.Show(status, JobDetails(status));
  return kExitOk;
}

}  // namespace

int RunCommand(const CommandLine& line, std::ostream& out) {
  static const std::map<std::string, int (*)(const Context&)> commands = {
      {"submit", Submit}, {"get", Get},       {"list", List},
      {"result", Result}, {"cancel", Cancel}, {"retry", Retry},
      {"delete", Delete}, {"watch", Watch},   {"pipeline submit", SubmitPipeline},
      {"tasks", Tasks},   {"status", Status},
  };
  ApiClient api(line.url, line.token);
  return commands.at(line.command)(Context{line, api, out});
}

}  // namespace valetctl
