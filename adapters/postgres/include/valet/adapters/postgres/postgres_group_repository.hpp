#pragma once

#include <optional>
#include <string>
#include <vector>

#include "valet/ports/group_repository.hpp"

namespace valet::adapters::postgres {

class PgPool;

// The groups of a PostgresJobRepository, in its table valet_groups and on its connection pool. A
// group is one row, its `definition` a json column (stored as the text written); lists range over
// an index on (created_at, id), or on (status, created_at, id) for one status. UpdateGroup() is
// one UPDATE ... WHERE id = $1 AND revision = $n; when it matches no row, a look-up on the same
// connection tells kNotFound from kConflict. Timestamps keep microseconds; ids that are not UUIDs
// are kNotFound without a query.
class PostgresGroupRepository final : public GroupRepository {
 public:
  // `pool` must outlive this repository (its PostgresJobRepository owns both).
  explicit PostgresGroupRepository(PgPool& pool) : pool_(&pool) {}

  Status CreateGroup(const Group& group) override;
  Result<Group> GetGroup(const std::string& id) override;
  Result<std::vector<Group>> ListGroups(std::optional<JobStatus> status) override;
  Status UpdateGroup(const Group& group) override;
  Status DeleteGroup(const std::string& id) override;

 private:
  PgPool* pool_;
};

}  // namespace valet::adapters::postgres
