#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "valet/core/metrics.hpp"
#include "valet/ports/clock.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// How long finished records are kept: jobs of no pipeline and pipelines (with their jobs and
// results), each kind on its own. Without either limit nothing is pruned.
struct RetentionOptions {
  std::chrono::milliseconds max_age{0};  // finished longer ago than this; 0 = no age limit
  std::size_t max_count = 0;             // keep at least the latest this many; 0 = no limit
  std::chrono::milliseconds interval{std::chrono::minutes{1}};

  bool Prunes() const { return max_age.count() > 0 || max_count > 0; }
};

// Deletes the finished records retention does not keep, in rounds every `interval` on its own
// thread. A round deletes what finished before the later of two cut-offs: now - max_age, and the
// completion time of the max_count-th latest record (so at least max_count are kept, also while
// several instances prune at once: each computes the same cut-off from the data). The members
// of groups that are still open are kept whatever their age, since the chord needs their
// results. A round deletes at most kMostPerRound records of each kind, so a large backlog goes
// over several rounds; a backend that is down makes the round end early, to be tried again.
class Pruner {
 public:
  static constexpr std::size_t kBatch = 500;
  static constexpr std::size_t kMostPerRound = 10'000;

  struct Pruned {
    std::size_t jobs = 0;
    std::size_t pipelines = 0;
  };

  Pruner(JobRepository& repository, Clock& clock, Logger& logger, Metrics& metrics,
         RetentionOptions options)
      : repository_(repository),
        clock_(clock),
        logger_(logger),
        metrics_(metrics),
        options_(options) {}
  ~Pruner() { Stop(); }
  Pruner(const Pruner&) = delete;
  Pruner& operator=(const Pruner&) = delete;

  // One round now. An error is the first the backend gave; what was deleted before it stays so.
  Result<Pruned> PruneOnce();

  // Runs rounds until Stop(), when the options prune anything.
  void Start();
  void Stop();

 private:
  // The cut-off of `kind` for a round at `now`; nullopt when nothing of it is to go.
  Result<OptionalTime> CutOff(FinishedKind kind, TimePoint now);
  Result<std::size_t> PruneKind(FinishedKind kind, TimePoint now,
                                const std::set<std::string>& kept);
  // The ids of the members of the groups still open.
  Result<std::set<std::string>> OpenGroupMembers();
  void Loop();

  JobRepository& repository_;
  Clock& clock_;
  Logger& logger_;
  Metrics& metrics_;
  const RetentionOptions options_;

  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace valet::core
