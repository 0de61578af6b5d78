#pragma once

#include <cctype>
#include <string>
#include <vector>

#include "valet/ports/job_status.hpp"

namespace valet::adapters::redis {

// The names of the repository's keys (see RedisJobRepository), all under the hash tag {prefix}.
class RepositoryKeys {
 public:
  explicit RepositoryKeys(const std::string& prefix) : tag_("{" + prefix + "}:") {}

  std::string Job(const std::string& id) const { return tag_ + "job:" + id; }
  std::string Result(const std::string& id) const { return tag_ + "result:" + id; }
  std::string Pipeline(const std::string& id) const { return tag_ + "pipeline:" + id; }
  std::string Jobs() const { return tag_ + "jobs"; }
  std::string JobsIn(JobStatus status) const { return tag_ + "jobs:" + Lower(status); }
  std::string Due() const { return tag_ + "jobs:due"; }
  std::string Leases() const { return tag_ + "jobs:leases"; }
  std::string Queued() const { return tag_ + "jobs:queued"; }
  std::string JobsFinished() const { return tag_ + "jobs:finished"; }
  std::string PipelinesFinished() const { return tag_ + "pipelines:finished"; }
  std::string Pipelines() const { return tag_ + "pipelines"; }
  std::string PipelinesIn(JobStatus status) const { return tag_ + "pipelines:" + Lower(status); }
  std::string Seq() const { return tag_ + "seq"; }
  std::string SchemaVersion() const { return tag_ + "schema_version"; }
  std::string JobKey(const std::string& key) const { return tag_ + "idempotency:job:" + key; }
  std::string PipelineKey(const std::string& key) const {
    return tag_ + "idempotency:pipeline:" + key;
  }
  std::string Schedule(const std::string& id) const { return tag_ + "schedule:" + id; }
  std::string Schedules() const { return tag_ + "schedules"; }
  std::string SchedulesDue() const { return tag_ + "schedules:due"; }
  std::string ScheduleNames() const { return tag_ + "schedules:names"; }
  std::string Group(const std::string& id) const { return tag_ + "group:" + id; }
  std::string Groups() const { return tag_ + "groups"; }
  std::string GroupsIn(JobStatus status) const { return tag_ + "groups:" + Lower(status); }

  // The per-status indexes in status order (PENDING first), as the scripts take them.
  std::vector<std::string> JobsInEachStatus() const { return EachStatus(&RepositoryKeys::JobsIn); }
  std::vector<std::string> PipelinesInEachStatus() const {
    return EachStatus(&RepositoryKeys::PipelinesIn);
  }
  std::vector<std::string> GroupsInEachStatus() const {
    return EachStatus(&RepositoryKeys::GroupsIn);
  }

 private:
  static std::string Lower(JobStatus status) {
    std::string name(JobStatusName(status));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }

  std::vector<std::string> EachStatus(std::string (RepositoryKeys::*in)(JobStatus) const) const {
    std::vector<std::string> names;
    for (JobStatus status : kAllJobStatuses) names.push_back((this->*in)(status));
    return names;
  }

  std::string tag_;
};

}  // namespace valet::adapters::redis
