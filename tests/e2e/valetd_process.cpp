#include "valetd_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace valet::e2e {

namespace {

constexpr const char* kValetdPath = VALETD_PATH;

ExitStatus Decode(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw)) {
    status.exited = true;
    status.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (exited) return "exit code " + std::to_string(code);
  return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

ValetdProcess::ValetdProcess(const std::vector<std::string>& args, std::string binary) {
  if (binary.empty()) binary = kValetdPath;
  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_.path().c_str(),
                                   O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_.path().c_str(),
                                   O_WRONLY | O_TRUNC, 0);
  int error = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary + ": " + std::strerror(error));
  }
}

ValetdProcess::~ValetdProcess() {
  if (Running()) {
    kill(pid_, SIGKILL);
    Reap(0);
  }
}

bool ValetdProcess::Reap(int options) {
  if (exit_ || pid_ <= 0) return true;
  int raw = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &raw, options);
  } while (got < 0 && errno == EINTR);
  if (got != pid_) return false;
  exit_ = Decode(raw);
  return true;
}

bool ValetdProcess::Running() { return !Reap(WNOHANG); }

void ValetdProcess::Signal(int signal) const {
  if (!exit_ && pid_ > 0) kill(pid_, signal);
}

std::optional<ExitStatus> ValetdProcess::WaitForExit(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_;
}

ValetdRun RunValetd(const std::vector<std::string>& args, std::chrono::milliseconds limit) {
  ValetdProcess process(args);
  ValetdRun run;
  run.exit = process.WaitForExit(limit);
  run.out = process.Stdout();
  run.err = process.Stderr();
  return run;  // a process still running here is killed by ~ValetdProcess
}

}  // namespace valet::e2e
