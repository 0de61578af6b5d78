#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "valet/core/job_factory.hpp"
#include "valet/core/job_service.hpp"
#include "valet/core/pipeline_service.hpp"
#include "valet/core/requests.hpp"
#include "valet/core/result_service.hpp"
#include "valet/ports/group_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// A member of a group as it now is: its job or its pipeline.
struct GroupMember {
  std::string job_id;       // a job member
  std::string pipeline_id;  // a pipeline member
  std::string name;
  JobStatus status = JobStatus::kPending;
  bool missing = false;  // deleted, or never stored
};

struct GroupWithMembers {
  Group group;
  // PENDING until a member starts, IN_PROGRESS until the group is settled, then as stored.
  JobStatus status = JobStatus::kPending;
  std::vector<GroupMember> members;  // in the group's order
  std::string then_job_id;           // the chord's job, once submitted
};

// The use cases of groups: jobs and pipelines run at once, settled COMPLETED only if every member
// completes, then optionally followed by a chord job that gets their results.
//
// Members and the chord get ids derived from the group's, so whichever instance settles a group
// (any may: a compare-and-set on the group lets one win) submits the chord once at most.
class GroupService {
 public:
  static constexpr std::size_t kMostMembers = 1000;
  // Open groups looked at per SettleFinished() call.
  static constexpr std::size_t kSettleBatch = 100;

  GroupService(GroupRepository& repository, JobService& jobs, PipelineService& pipelines,
               ResultService& results, const JobFactory& factory, Logger& logger)
      : repository_(repository),
        jobs_(jobs),
        pipelines_(pipelines),
        results_(results),
        factory_(factory),
        logger_(logger) {}

  // Stores the group, then its members, and queues them. kInvalidArgument with a one-line reason
  // for a request that could never run (no name, no members or too many, a member that fails
  // the checks of a submit or names run_at/run_in, a chord that does). A failed submit is undone.
  Result<GroupWithMembers> Create(const GroupRequest& request);
  Result<GroupWithMembers> Get(const std::string& id);
  Result<std::vector<Group>> List(std::optional<JobStatus> status);
  // Cancels every member that has not finished; the group then settles as CANCELLED (or FAILED,
  // when a member had failed). kConflict when the group is settled already.
  Result<GroupWithMembers> Cancel(const std::string& id);
  // Deletes the group, its members and its chord job (running ones are asked to stop).
  Status Delete(const std::string& id);

  // Settles the open groups whose members have all finished, submitting the chord of those that
  // completed. Returns whether groups remain open.
  bool SettleFinished();

 private:
  // The members as stored, with their current status; stops at the first unfinished one when
  // `until_unfinished`.
  Result<std::vector<GroupMember>> Members(const Group& group, bool until_unfinished);
  // Settles one group whose members have all finished.
  void Settle(Group group, const std::vector<GroupMember>& members);
  // The chord's request: the group's `then` with the members' results in task_params.results.
  Result<JobRequest> ChordRequest(const Group& group, const std::vector<GroupMember>& members);

  GroupRepository& repository_;
  JobService& jobs_;
  PipelineService& pipelines_;
  ResultService& results_;
  const JobFactory& factory_;
  Logger& logger_;
};

// The ids a group's members and chord are stored under.
std::string GroupMemberId(const std::string& group_id, std::size_t index);
std::string GroupChordId(const std::string& group_id);

// "group with ID: X not found".
Status GroupNotFound(const std::string& id);

}  // namespace valet::core
