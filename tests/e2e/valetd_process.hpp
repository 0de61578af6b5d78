#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "temp_file.hpp"

namespace valet::e2e {

// How a child process ended.
struct ExitStatus {
  bool exited = false;  // true: ended through exit(), `code` holds the status
  int code = -1;
  int signal = 0;  // the signal that ended it when exited is false
  std::string ToString() const;
};

// One valetd child process, started from the binary under test with its stdout and stderr sent
// to files of their own. The destructor kills (SIGKILL) and reaps the child if it still runs;
// nothing else is ever signalled.
class ValetdProcess {
 public:
  // Starts `valetd <args...>` (or `binary <args...>`, a valetd of the tests' own); throws
  // std::runtime_error if the process cannot be spawned.
  explicit ValetdProcess(const std::vector<std::string>& args, std::string binary = {});
  ~ValetdProcess();
  ValetdProcess(const ValetdProcess&) = delete;
  ValetdProcess& operator=(const ValetdProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True until the child has been reaped.
  bool Running();
  void Signal(int signal) const;
  // Waits for the child to end; nullopt if it still runs after `limit`.
  std::optional<ExitStatus> WaitForExit(std::chrono::milliseconds limit);

  std::string Stdout() const { return stdout_.Read(); }
  std::string Stderr() const { return stderr_.Read(); }

 private:
  bool Reap(int options);

  TempFile stdout_{".out"};
  TempFile stderr_{".log"};
  pid_t pid_ = -1;
  std::optional<ExitStatus> exit_;
};

// Runs valetd to completion (bounded by `limit`, then killed) and returns how it ended.
struct ValetdRun {
  std::optional<ExitStatus> exit;  // nullopt: it did not end in time
  std::string out;
  std::string err;
};
ValetdRun RunValetd(const std::vector<std::string>& args,
                    std::chrono::milliseconds limit = std::chrono::seconds(10));

}  // namespace valet::e2e
