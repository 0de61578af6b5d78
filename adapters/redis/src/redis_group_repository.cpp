#include "valet/adapters/redis/redis_group_repository.hpp"

#include "group_scripts.hpp"
#include "record_codec.hpp"
#include "redis_connection.hpp"
#include "repository_keys.hpp"
#include "repository_support.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::redis {

namespace {

const Script kCreateGroupScript{scripts::kCreateGroup};
const Script kUpdateGroupScript{scripts::kUpdateGroup};
const Script kDeleteGroupScript{scripts::kDeleteGroup};

Status NoGroup(const std::string& id) {
  return Status::NotFound("group with ID: " + id + " not found");
}

}  // namespace

Status RedisGroupRepository::CreateGroup(const Group& group) {
  if (!core::IsUuid(group.id)) {
    return Status::InvalidArgument("group id must be a UUID: " + group.id);
  }
  std::vector<std::string> keys{keys_->Group(group.id), keys_->Groups(),
                                keys_->GroupsIn(group.status)};
  std::vector<std::string> args{group.id, Micros(group.created_at)};
  for (std::string& field : GroupFields(group)) args.push_back(std::move(field));
  VALET_EVAL(created, kCreateGroupScript, keys, args);
  if (created->integer() == 1) return Status::Ok();
  return Status::Conflict("group with ID: " + group.id + " already exists");
}

Result<Group> RedisGroupRepository::GetGroup(const std::string& id) {
  if (!core::IsUuid(id)) return NoGroup(id);
  auto found = RunOn(*pool_, {"HGETALL", keys_->Group(id)});
  if (!found.ok()) return found.status();
  if (found->size() == 0) return NoGroup(id);
  Group group;
  if (!DecodeGroup(found->raw(), group)) return Garbled("group " + id);
  return group;
}

Result<std::vector<Group>> RedisGroupRepository::ListGroups(std::optional<JobStatus> status) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  // Equal created_at scores list by member, which is the id: the order the port asks for.
  auto ids =
      (*lease)->Run({"ZRANGE", status ? keys_->GroupsIn(*status) : keys_->Groups(), "0", "-1"});
  if (!ids.ok()) return ids.status();
  if (Status error = ids->ErrorStatus(); !error.ok()) return error;
  std::vector<Group> groups;
  if (ids->size() == 0) return groups;
  std::vector<Command> reads;
  reads.reserve(ids->size());
  for (std::size_t i = 0; i < ids->size(); ++i) {
    reads.push_back({"HGETALL", keys_->Group(std::string(TextOf(ids->at(i))))});
  }
  auto replies = (*lease)->Pipeline(reads);
  if (!replies.ok()) return replies.status();
  groups.reserve(replies->size());
  for (const Reply& reply : *replies) {
    if (Status error = reply.ErrorStatus(); !error.ok()) return error;
    if (reply.size() == 0) continue;  // deleted since the index was read
    Group group;
    if (!DecodeGroup(reply.raw(), group)) return Garbled("a group");
    // Settled by another instance since the index was read: the fields read are the truth.
    if (status && group.status != *status) continue;
    groups.push_back(std::move(group));
  }
  return groups;
}

Status RedisGroupRepository::UpdateGroup(const Group& group) {
  if (!core::IsUuid(group.id)) return NoGroup(group.id);
  std::vector<std::string> keys{keys_->Group(group.id)};
  for (std::string& name : keys_->GroupsInEachStatus()) keys.push_back(std::move(name));
  std::vector<std::string> args{group.id, std::to_string(group.revision), StatusArg(group.status)};
  for (std::string& field : UpdatedGroupFields(group)) args.push_back(std::move(field));
  VALET_EVAL(updated, kUpdateGroupScript, keys, args);
  switch (updated->integer()) {
    case 1:
      return Status::Ok();
    case 0:
      return Status::Conflict("group with ID: " + group.id + " was changed meanwhile");
    default:
      return NoGroup(group.id);
  }
}

Status RedisGroupRepository::DeleteGroup(const std::string& id) {
  if (!core::IsUuid(id)) return NoGroup(id);
  std::vector<std::string> keys{keys_->Group(id), keys_->Groups()};
  for (std::string& name : keys_->GroupsInEachStatus()) keys.push_back(std::move(name));
  VALET_EVAL(deleted, kDeleteGroupScript, keys, {id});
  return deleted->integer() == 1 ? Status::Ok() : NoGroup(id);
}

}  // namespace valet::adapters::redis
