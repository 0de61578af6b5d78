#pragma once

#include <cctype>
#include <string>

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
  std::string Pipelines() const { return tag_ + "pipelines"; }
  std::string PipelinesIn(JobStatus status) const { return tag_ + "pipelines:" + Lower(status); }
  std::string Seq() const { return tag_ + "seq"; }

 private:
  static std::string Lower(JobStatus status) {
    std::string name(JobStatusName(status));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }

  std::string tag_;
};

}  // namespace valet::adapters::redis
