#include "valet/adapters/mysql/mysql_group_repository.hpp"

#include "mysql_pool.hpp"
#include "mysql_rows.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::mysql {

namespace {

// What every read of a group selects, in the order GroupAt() decodes.
#define VALET_GROUP_COLUMNS                                                               \
  "id, name, description, definition, status, failure_reason, created_at, completed_at, " \
  "revision"

constexpr const char* kInsertGroup =
    "INSERT INTO valet_groups (id, name, description, definition, status, failure_reason, "
    "created_at, completed_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kGetGroup = "SELECT " VALET_GROUP_COLUMNS " FROM valet_groups WHERE id = ?";
constexpr const char* kListGroups =
    "SELECT " VALET_GROUP_COLUMNS " FROM valet_groups ORDER BY created_at, id";
// A range over valet_groups_by_status, in its order.
constexpr const char* kListGroupsIn =
    "SELECT " VALET_GROUP_COLUMNS " FROM valet_groups WHERE status = ? ORDER BY created_at, id";
// The compare-and-set. A racing UPDATE waits for the row lock, then reads the revision the
// winner committed (READ COMMITTED), so exactly one of them matches.
constexpr const char* kUpdateGroup =
    "UPDATE valet_groups SET name = ?, description = ?, status = ?, failure_reason = ?, "
    "completed_at = ?, revision = revision + 1 WHERE id = ? AND revision = ?";
constexpr const char* kGroupExists = "SELECT 1 FROM valet_groups WHERE id = ?";
constexpr const char* kDeleteGroup = "DELETE FROM valet_groups WHERE id = ?";

Status NoGroup(const std::string& id) {
  return Status::NotFound("group with ID: " + id + " not found");
}

// `definition` is stored as its JSON text even when null, so it is never SQL NULL.
MysqlParams InsertParams(const Group& group) {
  return {group.id,
          group.name,
          group.description,
          JsonText(group.definition),
          StatusParam(group.status),
          group.failure_reason,
          Micros(group.created_at),
          TimeParam(group.completed_at),
          static_cast<long long>(group.revision)};
}

MysqlParams UpdateParams(const Group& group) {
  return {group.name,
          group.description,
          StatusParam(group.status),
          group.failure_reason,
          TimeParam(group.completed_at),
          group.id,
          static_cast<long long>(group.revision)};
}

Group GroupAt(const MysqlResult& result, int row) {
  Group group;
  group.id = result.Text(row, 0);
  group.name = result.Text(row, 1);
  group.description = result.Text(row, 2);
  group.definition = JsonAt(result, row, 3);
  group.status = static_cast<JobStatus>(result.Integer(row, 4));
  group.failure_reason = result.Text(row, 5);
  group.created_at = *TimeAt(result, row, 6);
  group.completed_at = TimeAt(result, row, 7);
  group.revision = result.Integer(row, 8);
  return group;
}

}  // namespace

Status MysqlGroupRepository::CreateGroup(const Group& group) {
  if (!core::IsUuid(group.id)) {
    return Status::InvalidArgument("group id must be a UUID: " + group.id);
  }
  auto inserted = pool_->Run("kInsertGroup", kInsertGroup, InsertParams(group));
  // The id is the only unique key, so a duplicate key means it is taken.
  if (!inserted.ok() && inserted.status().code() == StatusCode::kConflict) {
    return Status::Conflict("group with ID: " + group.id + " already exists");
  }
  return inserted.status();
}

Result<Group> MysqlGroupRepository::GetGroup(const std::string& id) {
  if (!core::IsUuid(id)) return NoGroup(id);
  auto found = pool_->Run("kGetGroup", kGetGroup, {id});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return NoGroup(id);
  return GroupAt(*found, 0);
}

Result<std::vector<Group>> MysqlGroupRepository::ListGroups(std::optional<JobStatus> status) {
  auto found = status ? pool_->Run("kListGroupsIn", kListGroupsIn, {StatusParam(*status)})
                      : pool_->Run("kListGroups", kListGroups, {});
  if (!found.ok()) return found.status();
  std::vector<Group> groups;
  groups.reserve(static_cast<std::size_t>(found->rows()));
  for (int row = 0; row < found->rows(); ++row) groups.push_back(GroupAt(*found, row));
  return groups;
}

Status MysqlGroupRepository::UpdateGroup(const Group& group) {
  if (!core::IsUuid(group.id)) return NoGroup(group.id);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto updated = (*lease)->Run("kUpdateGroup", kUpdateGroup, UpdateParams(group));
  if (!updated.ok()) return updated.status();
  if (updated->AffectedRows() == 1) return Status::Ok();
  // Asked on the connection already held: taking a second one could wait forever when every
  // connection of the pool is held by such a caller.
  auto exists = (*lease)->Run("kGroupExists", kGroupExists, {group.id});
  if (!exists.ok()) return exists.status();
  if (exists->rows() == 0) return NoGroup(group.id);
  return Status::Conflict("group with ID: " + group.id + " was changed meanwhile");
}

Status MysqlGroupRepository::DeleteGroup(const std::string& id) {
  if (!core::IsUuid(id)) return NoGroup(id);
  auto deleted = pool_->Run("kDeleteGroup", kDeleteGroup, {id});
  if (!deleted.ok()) return deleted.status();
  return deleted->AffectedRows() == 0 ? NoGroup(id) : Status::Ok();
}

}  // namespace valet::adapters::mysql
