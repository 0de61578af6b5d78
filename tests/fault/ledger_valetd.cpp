// The valetd of the fault-injection tests: valetd with one task, "ledger", that records every run
// it completes, so that a test can count lost and duplicated executions across crashes.
//
//   valet_ledger_valetd --config FILE [--role all|api|worker]
//
// task_params: {"ledger": "/path/to/file", "ms": 5}. The task sleeps `ms` (stopping early when
// asked, and then not recording), appends "<job id> <attempt> <pid>\n" to the ledger with
// O_APPEND (one write(2) per line, so lines from several processes never interleave) and returns
// {"pid": <pid>, "attempt": <attempt>}.

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "valet/valet.hpp"

namespace {

valet::TaskResult Ledger(valet::TaskContext& ctx) {
  const valet::Json& params = ctx.RawParams();
  std::string path = params.value("ledger", "");
  if (path.empty()) return valet::PermanentFailure("task_params.ledger is required");
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(params.value("ms", 0));
  while (std::chrono::steady_clock::now() < until) {
    if (ctx.StopRequested()) return valet::Cancelled("stopped before recording");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::string line =
      ctx.JobId() + " " + std::to_string(ctx.Attempt()) + " " + std::to_string(::getpid()) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return valet::Failure("cannot open the ledger " + path);
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written) return valet::Failure("cannot write the ledger " + path);
  return valet::Json{{"pid", ::getpid()}, {"attempt", ctx.Attempt()}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = "config.yaml";
  std::string role;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--config") {
      config_path = argv[i + 1];
    } else if (flag == "--role") {
      role = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: valet_ledger_valetd --config FILE [--role ROLE]\n");
      return 2;
    }
  }
  try {
    valet::Valet valet(config_path);
    if (!role.empty()) valet.SetRole(role);
    valet.RegisterTask("ledger", Ledger);
    valet.RegisterTask("noop", [](valet::TaskContext&) { return valet::TaskResult(); });
    return valet.Run();
  } catch (const valet::app::ConfigError& error) {
    std::fprintf(stderr, "valet_ledger_valetd: %s\n", error.what());
    return 2;
  }
}
