#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "temp_file.hpp"

namespace valet::fault {

// What the ledger task recorded: one entry per completed run of a job.
struct Run {
  int attempt = 0;
  int pid = 0;
};

// The counts a fault test passes or fails on.
struct Census {
  int acknowledged = 0;  // submits answered 202
  int lost = 0;          // acknowledged, but never ran to COMPLETED
  int duplicated = 0;    // runs beyond the first, over all jobs
  int unexpected = 0;    // runs of jobs nobody was told about
  std::string ToString() const;
};

// The ledger file of one test (see ledger_valetd.cpp) and the submits made against it.
class Ledger {
 public:
  Ledger() = default;

  const std::string& path() const { return file_.path(); }
  // A ledger job's request: the task sleeps `ms`, then records its run here.
  Json JobRequest(const std::string& name, int ms) const;

  // Submits `count` ledger jobs from `clients` connections at once; every 202 is remembered as
  // acknowledged. Returns the number of 202s.
  int Submit(int port, int count, int clients, int ms, const std::string& run_at = "");
  void Acknowledge(const std::string& id) { acknowledged_.insert(id); }
  const std::set<std::string>& acknowledged() const { return acknowledged_; }

  // The runs recorded so far, by job id.
  std::map<std::string, std::vector<Run>> Runs() const;
  int CountRuns() const;

  // Waits (bounded) until every acknowledged job is COMPLETED, FAILED or CANCELLED as `port`
  // lists them, then counts. A job not COMPLETED, or COMPLETED without a run, is lost.
  Census Count(int port) const;

 private:
  e2e::TempFile file_{".ledger"};
  std::set<std::string> acknowledged_;
};

}  // namespace valet::fault
