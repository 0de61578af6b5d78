#include "valet/adapters/memory/memory_group_repository.hpp"

#include <algorithm>
#include <tuple>

namespace valet::adapters::memory {

namespace {

Status NoGroup(const std::string& id) {
  return Status::NotFound("group with ID: " + id + " not found");
}

}  // namespace

Status MemoryGroupRepository::CreateGroup(const Group& group) {
  std::lock_guard lock(mutex_);
  if (!groups_.emplace(group.id, group).second) {
    return Status::Conflict("group with ID: " + group.id + " already exists");
  }
  return Status::Ok();
}

Result<Group> MemoryGroupRepository::GetGroup(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(id);
  if (it == groups_.end()) return NoGroup(id);
  return it->second;
}

Result<std::vector<Group>> MemoryGroupRepository::ListGroups(std::optional<JobStatus> status) {
  std::vector<Group> list;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, group] : groups_) {
      if (!status || group.status == *status) list.push_back(group);
    }
  }
  std::sort(list.begin(), list.end(), [](const Group& a, const Group& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  return list;
}

Status MemoryGroupRepository::UpdateGroup(const Group& group) {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group.id);
  if (it == groups_.end()) return NoGroup(group.id);
  Group& stored = it->second;
  if (stored.revision != group.revision) {
    return Status::Conflict("group with ID: " + group.id + " was changed meanwhile");
  }
  Group updated = group;
  updated.created_at = stored.created_at;
  updated.definition = std::move(stored.definition);
  updated.revision = stored.revision + 1;
  stored = std::move(updated);
  return Status::Ok();
}

Status MemoryGroupRepository::DeleteGroup(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (groups_.erase(id) == 0) return NoGroup(id);
  return Status::Ok();
}

}  // namespace valet::adapters::memory
