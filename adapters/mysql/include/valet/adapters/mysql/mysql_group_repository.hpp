#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/ports/group_repository.hpp"

namespace valet::adapters::mysql {

class MysqlPool;

// The groups of a MysqlJobRepository, in its table valet_groups and on its connection pool. A
// group is one row, its `definition` JSON text; lists range over an index on (created_at, id), or
// on (status, created_at, id) for one status. UpdateGroup() is one
// UPDATE ... WHERE id = ? AND revision = ?; when it matches no row, a look-up on the same
// connection tells kNotFound from kConflict. Timestamps keep microseconds; ids that are not UUIDs
// are kNotFound without a query.
class MysqlGroupRepository final : public GroupRepository {
 public:
  // `pool` must outlive this repository (its MysqlJobRepository owns both).
  explicit MysqlGroupRepository(MysqlPool& pool) : pool_(&pool) {}

  Status CreateGroup(const Group& group) override;
  Result<Group> GetGroup(const std::string& id) override;
  Result<std::vector<Group>> ListGroups(std::optional<JobStatus> status) override;
  Status UpdateGroup(const Group& group) override;
  Status DeleteGroup(const std::string& id) override;

 private:
  MysqlPool* pool_;
};

}  // namespace valet::adapters::mysql
