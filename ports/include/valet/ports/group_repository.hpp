#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/ports/group.hpp"
#include "valet/ports/status.hpp"

namespace valet {

// A GroupRepository stores groups beside the jobs they are made of (it lives in the same backend
// as its JobRepository). Every instance sharing the backend watches the groups that are still
// PENDING; UpdateGroup()'s compare-and-set on `revision` lets exactly one of them settle each.
//
// Errors: kNotFound when the id is unknown (also for ids that are not UUIDs), kConflict as
// described per method, kUnavailable when the backend cannot be reached, kInternal for anything
// unexpected. All methods are safe to call from any thread.
class GroupRepository {
 public:
  GroupRepository() = default;
  GroupRepository(const GroupRepository&) = delete;
  GroupRepository& operator=(const GroupRepository&) = delete;
  virtual ~GroupRepository() = default;

  // Stores the group as given (its revision included). kConflict when its id is taken.
  virtual Status CreateGroup(const Group& group) = 0;
  virtual Result<Group> GetGroup(const std::string& id) = 0;
  // Every group, or only those in `status`, oldest first (by created_at, then by id), served
  // from an index on the status.
  virtual Result<std::vector<Group>> ListGroups(std::optional<JobStatus> status) = 0;
  // Writes every field of `group` except id, created_at and definition, and sets the stored
  // revision to group.revision + 1, only while the stored revision equals group.revision;
  // kConflict (nothing written) when it does not. kNotFound when it was deleted.
  virtual Status UpdateGroup(const Group& group) = 0;
  // Deletes the group record only; its jobs and pipelines are the caller's to delete.
  virtual Status DeleteGroup(const std::string& id) = 0;
};

}  // namespace valet
