#pragma once

#include <map>
#include <mutex>
#include <string>

#include "valet/ports/group_repository.hpp"

namespace valet::adapters::memory {

// Groups in process memory, gone when the process ends. Few groups are open at a time, so lists
// are sorted on the way out rather than indexed. One mutex guards everything.
class MemoryGroupRepository final : public GroupRepository {
 public:
  Status CreateGroup(const Group& group) override;
  Result<Group> GetGroup(const std::string& id) override;
  Result<std::vector<Group>> ListGroups(std::optional<JobStatus> status) override;
  Status UpdateGroup(const Group& group) override;
  Status DeleteGroup(const std::string& id) override;

 private:
  std::mutex mutex_;
  std::map<std::string, Group> groups_;  // by id
};

}  // namespace valet::adapters::memory
