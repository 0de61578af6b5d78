#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/ports/group_repository.hpp"

namespace valet::adapters::redis {

class RedisPool;
class RepositoryKeys;

// The groups of a RedisJobRepository, under its key prefix and on its connection pool:
//   {p}:group:<id>        hash: the group's fields (times as microseconds since the epoch,
//                         `definition` as JSON text)
//   {p}:groups            sorted set of group ids by created_at
//   {p}:groups:<status>   the same for the groups in one status (pending, completed, ...)
// Members are bare ids, so equal scores list by id, the order the port asks for. Create, update
// (the compare-and-set on `revision` and the move between status indexes in one step) and delete
// are Lua scripts that name all their keys in KEYS. ListGroups() reads an index, then the groups,
// and leaves out any that left the status asked for in between. Ids that are not UUIDs are
// kNotFound without a round trip.
class RedisGroupRepository final : public GroupRepository {
 public:
  // `pool` and `keys` must outlive this repository (its RedisJobRepository owns all three).
  RedisGroupRepository(RedisPool& pool, const RepositoryKeys& keys) : pool_(&pool), keys_(&keys) {}

  Status CreateGroup(const Group& group) override;
  Result<Group> GetGroup(const std::string& id) override;
  Result<std::vector<Group>> ListGroups(std::optional<JobStatus> status) override;
  Status UpdateGroup(const Group& group) override;
  Status DeleteGroup(const std::string& id) override;

 private:
  RedisPool* pool_;
  const RepositoryKeys* keys_;
};

}  // namespace valet::adapters::redis
