#include "valet/core/task_registry.hpp"

namespace valet::core {

Status TaskRegistry::Register(const std::string& name, TaskFunction task) {
  if (name.empty()) return Status::InvalidArgument("task name must not be empty");
  if (!task) return Status::InvalidArgument("task " + name + " has no function");
  std::lock_guard lock(mutex_);
  if (!tasks_.emplace(name, std::move(task)).second) {
    return Status::InvalidArgument("task " + name + " is already registered");
  }
  return Status::Ok();
}

const TaskFunction* TaskRegistry::Find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = tasks_.find(name);
  return it == tasks_.end() ? nullptr : &it->second;
}

bool TaskRegistry::Contains(const std::string& name) const { return Find(name) != nullptr; }

std::vector<std::string> TaskRegistry::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  names.reserve(tasks_.size());
  for (const auto& [name, task] : tasks_) names.push_back(name);
  return names;
}

}  // namespace valet::core
