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
  std::string Pipelines() const { return tag_ + "pipelines"; }
  std::string PipelinesIn(JobStatus status) const { return tag_ + "pipelines:" + Lower(status); }
  std::string Seq() const { return tag_ + "seq"; }
  std::string SchemaVersion() const { return tag_ + "schema_version"; }
  std::string JobKey(const std::string& key) const { return tag_ + "idempotency:job:" + key; }
  std::string PipelineKey(const std::string& key) const {
    return tag_ + "idempotency:pipeline:" + key;
  }

  // The per-status indexes in status order (PENDING first), as the scripts take them.
  std::vector<std::string> JobsInEachStatus() const { return EachStatus(false); }
  std::vector<std::string> PipelinesInEachStatus() const { return EachStatus(true); }

 private:
  static std::string Lower(JobStatus status) {
    std::string name(JobStatusName(status));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }

  std::vector<std::string> EachStatus(bool pipelines) const {
    std::vector<std::string> names;
    for (JobStatus status : kAllJobStatuses) {
      names.push_back(pipelines ? PipelinesIn(status) : JobsIn(status));
    }
    return names;
  }

  std::string tag_;
};

}  // namespace valet::adapters::redis
