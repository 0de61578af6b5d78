#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "valet/core/task.hpp"
#include "valet/ports/status.hpp"

namespace valet::core {

// The tasks this process can run, by name. Safe to use from any thread.
class TaskRegistry {
 public:
  // kInvalidArgument for an empty name, a name already taken, or an empty function.
  Status Register(const std::string& name, TaskFunction task);

  // nullptr when no task has that name. Tasks are never removed, so the pointer stays valid for
  // the registry's lifetime.
  const TaskFunction* Find(const std::string& name) const;
  bool Contains(const std::string& name) const;
  // Sorted by name.
  std::vector<std::string> Names() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, TaskFunction> tasks_;  // map nodes never move
};

}  // namespace valet::core
