#include "valet/core/group_service.hpp"

#include <algorithm>

#include "valet/core/group_json.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::core {

namespace {

bool Given(const std::optional<std::string>& text) { return text && !text->empty(); }

Status StartTimeRefused(const std::string& where) {
  return Status::InvalidArgument(where + ".run_at and " + where +
                                 ".run_in cannot be used in a group: its members start at once "
                                 "and its then job once they have finished");
}

Status Prefixed(const std::string& where, const Status& status) {
  return Status(status.code(), where + ": " + status.message());
}

bool Finished(const GroupMember& member) { return member.missing || IsTerminal(member.status); }

std::string Describe(std::size_t index, const GroupMember& member) {
  return "member " + std::to_string(index) + (member.name.empty() ? "" : " (" + member.name + ")");
}

}  // namespace

std::string GroupMemberId(const std::string& group_id, std::size_t index) {
  return NameBasedUuid("group:" + group_id + "/members/" + std::to_string(index));
}

std::string GroupChordId(const std::string& group_id) {
  return NameBasedUuid("group:" + group_id + "/then");
}

Status GroupNotFound(const std::string& id) {
  return Status::NotFound("group with ID: " + id + " not found");
}

Result<GroupWithMembers> GroupService::Create(const GroupRequest& request) {
  if (request.name.empty()) return Status::InvalidArgument("name required");
  if (request.members.empty()) {
    return Status::InvalidArgument("members required: a group has at least one job or pipeline");
  }
  if (request.members.size() > kMostMembers) {
    return Status::InvalidArgument("a group has at most " + std::to_string(kMostMembers) +
                                   " members, " + std::to_string(request.members.size()) +
                                   " given");
  }
  for (std::size_t i = 0; i < request.members.size(); ++i) {
    const GroupMemberRequest& member = request.members[i];
    std::string where = "members[" + std::to_string(i) + "]";
    if (member.job.has_value() == member.pipeline.has_value()) {
      return Status::InvalidArgument(where + " needs a job or a pipeline (one of them)");
    }
    if (member.job) {
      if (Given(member.job->run_at) || Given(member.job->run_in)) {
        return StartTimeRefused(where + ".job");
      }
      if (Status checked = jobs_.Check(*member.job); !checked.ok()) {
        return Prefixed(where + ".job", checked);
      }
    } else {
      if (Given(member.pipeline->run_at) || Given(member.pipeline->run_in)) {
        return StartTimeRefused(where + ".pipeline");
      }
      if (Status checked = pipelines_.Check(*member.pipeline); !checked.ok()) {
        return Prefixed(where + ".pipeline", checked);
      }
    }
  }
  if (request.then) {
    if (Given(request.then->run_at) || Given(request.then->run_in)) {
      return StartTimeRefused("then");
    }
    if (request.then->task_params.contains("results")) {
      return Status::InvalidArgument(
          "then.task_params.results is taken: it receives the members' results");
    }
    if (Status checked = jobs_.Check(*request.then); !checked.ok()) {
      return Prefixed("then", checked);
    }
  }

  Group group;
  group.id = factory_.NewId();
  group.name = request.name;
  group.description = request.description;
  group.definition = DefinitionToJson(request);
  group.created_at = factory_.Now();
  group.revision = 1;
  if (Status stored = repository_.CreateGroup(group); !stored.ok()) return stored;
  for (std::size_t i = 0; i < request.members.size(); ++i) {
    const GroupMemberRequest& member = request.members[i];
    std::string id = GroupMemberId(group.id, i);
    Status created = member.job ? jobs_.CreateWithId(id, *member.job).status()
                                : pipelines_.CreateWithId(id, *member.pipeline).status();
    if (created.ok()) continue;
    // Undo what was stored, so that a refused submit runs nothing. If the undo fails too, the
    // group stays and settles FAILED once it sees the member that is missing.
    for (std::size_t stored = 0; stored < i; ++stored) {
      std::string member_id = GroupMemberId(group.id, stored);
      (request.members[stored].job ? jobs_.Delete(member_id) : pipelines_.Delete(member_id))
          .IgnoreError();
    }
    repository_.DeleteGroup(group.id).IgnoreError();
    return created;
  }
  return Get(group.id);
}

Result<std::vector<GroupMember>> GroupService::Members(const Group& group, bool until_unfinished) {
  auto request = GroupRequestFromJson(group.definition);
  if (!request.ok()) return request.status();
  std::vector<GroupMember> members;
  for (std::size_t i = 0; i < request->members.size(); ++i) {
    GroupMember member;
    std::string id = GroupMemberId(group.id, i);
    Status read = Status::Ok();
    if (request->members[i].job) {
      member.job_id = id;
      member.name = request->members[i].job->name;
      auto job = jobs_.Get(id);
      if (job.ok()) member.status = job->status;
      read = job.status();
    } else {
      member.pipeline_id = id;
      member.name = request->members[i].pipeline->name;
      auto pipeline = pipelines_.Get(id);
      if (pipeline.ok()) member.status = pipeline->status;
      read = pipeline.status();
    }
    if (read.code() == StatusCode::kNotFound) {
      member.missing = true;
    } else if (!read.ok()) {
      return read;
    }
    members.push_back(std::move(member));
    if (until_unfinished && !Finished(members.back())) break;
  }
  return members;
}

Result<GroupWithMembers> GroupService::Get(const std::string& id) {
  auto group = repository_.GetGroup(id);
  if (!group.ok()) return RewordNotFound(group.status(), GroupNotFound(id));
  auto members = Members(*group, /*until_unfinished=*/false);
  if (!members.ok()) return members.status();
  JobStatus stored_status = group->status;
  GroupWithMembers found{std::move(*group), stored_status, std::move(*members), {}};
  if (found.group.status == JobStatus::kPending) {
    bool started = std::any_of(found.members.begin(), found.members.end(), [](const auto& m) {
      return m.status != JobStatus::kPending && m.status != JobStatus::kScheduled;
    });
    found.status = started ? JobStatus::kInProgress : JobStatus::kPending;
  }
  if (found.group.status == JobStatus::kCompleted && found.group.definition.contains("then")) {
    found.then_job_id = GroupChordId(id);
  }
  return found;
}

Result<std::vector<Group>> GroupService::List(std::optional<JobStatus> status) {
  return repository_.ListGroups(status);
}

Result<GroupWithMembers> GroupService::Cancel(const std::string& id) {
  auto found = Get(id);
  if (!found.ok()) return found.status();
  if (IsTerminal(found->group.status)) {
    return Status::Conflict("group with ID: " + id + " is already " +
                            std::string(JobStatusName(found->group.status)));
  }
  for (const GroupMember& member : found->members) {
    if (Finished(member)) continue;
    Status cancelled = member.job_id.empty() ? pipelines_.Cancel(member.pipeline_id).status()
                                             : jobs_.Cancel(member.job_id).status();
    // A member that finished meanwhile, or was deleted, needs nothing more.
    if (!cancelled.ok() && cancelled.code() != StatusCode::kConflict &&
        cancelled.code() != StatusCode::kNotFound) {
      return cancelled;
    }
  }
  SettleFinished();
  return Get(id);
}

Status GroupService::Delete(const std::string& id) {
  auto found = Get(id);
  if (!found.ok()) return found.status();
  auto gone = [](const Status& status) {
    return status.ok() || status.code() == StatusCode::kNotFound;
  };
  for (const GroupMember& member : found->members) {
    if (member.missing) continue;
    Status deleted =
        member.job_id.empty() ? pipelines_.Delete(member.pipeline_id) : jobs_.Delete(member.job_id);
    if (!gone(deleted)) return deleted;
  }
  if (found->group.definition.contains("then")) {
    if (Status deleted = jobs_.Delete(GroupChordId(id)); !gone(deleted)) return deleted;
  }
  return RewordNotFound(repository_.DeleteGroup(id), GroupNotFound(id));
}

bool GroupService::SettleFinished() {
  auto open = repository_.ListGroups(JobStatus::kPending);
  if (!open.ok()) {
    logger_.Log(LogLevel::kWarning, "groups", "cannot read the open groups",
                {{"error", open.status().message()}});
    return true;
  }
  std::size_t looked = 0;
  for (Group& group : *open) {
    if (looked++ == kSettleBatch) break;
    auto members = Members(group, /*until_unfinished=*/true);
    if (!members.ok()) {
      logger_.Log(LogLevel::kWarning, "groups", "cannot read a group's members",
                  {{"group_id", group.id}, {"error", members.status().message()}});
      continue;
    }
    std::size_t count = group.definition.value("members", Json::array()).size();
    if (members->size() < count || !std::all_of(members->begin(), members->end(), Finished)) {
      continue;
    }
    Settle(std::move(group), *members);
  }
  return !open->empty();
}

void GroupService::Settle(Group group, const std::vector<GroupMember>& members) {
  JobStatus outcome = JobStatus::kCompleted;
  std::string reason;
  for (std::size_t i = 0; i < members.size() && outcome != JobStatus::kFailed; ++i) {
    const GroupMember& member = members[i];
    if (member.missing || member.status == JobStatus::kFailed) {
      outcome = JobStatus::kFailed;
      reason = Describe(i, member) + (member.missing ? " was deleted" : " failed");
    } else if (member.status == JobStatus::kCancelled && outcome == JobStatus::kCompleted) {
      outcome = JobStatus::kCancelled;
      reason = Describe(i, member) + " was cancelled";
    }
  }
  if (outcome == JobStatus::kCompleted && group.definition.contains("then")) {
    auto chord = ChordRequest(group, members);
    Status submitted =
        chord.ok() ? jobs_.CreateWithId(GroupChordId(group.id), *chord).status() : chord.status();
    // A conflict: the chord is there already (another instance, or an earlier try).
    if (!submitted.ok() && submitted.code() != StatusCode::kConflict) {
      if (MayPass(submitted)) {
        logger_.Log(LogLevel::kWarning, "groups", "cannot submit a group's then job yet",
                    {{"group_id", group.id}, {"error", submitted.message()}});
        return;  // the group stays open and is tried again
      }
      outcome = JobStatus::kFailed;
      reason = "then: " + submitted.message();
    }
  }
  group.status = outcome;
  group.failure_reason = reason;
  group.completed_at = factory_.Now();
  Status settled = repository_.UpdateGroup(group);
  // A conflict or a deleted group: another instance settled it, or it is gone.
  if (!settled.ok() && settled.code() != StatusCode::kConflict &&
      settled.code() != StatusCode::kNotFound) {
    logger_.Log(LogLevel::kWarning, "groups", "cannot settle a group yet",
                {{"group_id", group.id}, {"error", settled.message()}});
  }
}

Result<JobRequest> GroupService::ChordRequest(const Group& group,
                                              const std::vector<GroupMember>& members) {
  auto request = GroupRequestFromJson(group.definition);
  if (!request.ok()) return request.status();
  JobRequest chord = *request->then;
  Json results = Json::array();
  for (const GroupMember& member : members) {
    std::string job_id = member.job_id;
    if (job_id.empty()) {  // a pipeline's result is its last job's
      auto jobs = pipelines_.ListJobs(member.pipeline_id);
      if (!jobs.ok()) return jobs.status();
      job_id = jobs->empty() ? "" : jobs->back().id;
    }
    auto result = results_.Get(job_id);
    if (!result.ok() && result.status().code() != StatusCode::kNotFound) return result.status();
    results.push_back(result.ok() ? result->metadata : Json());
  }
  if (!chord.task_params.is_object()) chord.task_params = Json::object();
  chord.task_params["results"] = std::move(results);
  return chord;
}

}  // namespace valet::core
