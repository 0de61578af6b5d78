#include "valet/core/pruner.hpp"

#include "valet/core/group_service.hpp"

namespace valet::core {

Result<OptionalTime> Pruner::CutOff(FinishedKind kind, TimePoint now) {
  OptionalTime cut_off;
  if (options_.max_age.count() > 0) cut_off = now - options_.max_age;
  if (options_.max_count > 0) {
    auto nth = repository_.NthLatestFinish(kind, options_.max_count);
    if (!nth.ok()) return nth.status();
    if (*nth && (!cut_off || **nth > *cut_off)) cut_off = *nth;
  }
  return cut_off;
}

Result<std::set<std::string>> Pruner::OpenGroupMembers() {
  auto open = repository_.Groups().ListGroups(JobStatus::kPending);
  if (!open.ok()) return open.status();
  std::set<std::string> members;
  for (const Group& group : *open) {
    auto listed = group.definition.find("members");
    std::size_t count = listed != group.definition.end() && listed->is_array() ? listed->size() : 0;
    for (std::size_t i = 0; i < count; ++i) members.insert(GroupMemberId(group.id, i));
  }
  return members;
}

Result<std::size_t> Pruner::PruneKind(FinishedKind kind, TimePoint now,
                                      const std::set<std::string>& kept) {
  auto cut_off = CutOff(kind, now);
  if (!cut_off.ok()) return cut_off.status();
  std::size_t deleted = 0;
  if (!*cut_off) return deleted;
  // What a batch kept stays at the front of the index (it finished before everything after it),
  // so the next batch starts after it.
  std::size_t skipped = 0;
  while (deleted < kMostPerRound && skipped < kMostPerRound) {
    std::size_t asked = skipped + kBatch;
    auto ids = repository_.ListFinished(kind, **cut_off, asked);
    if (!ids.ok()) return ids.status();
    for (std::size_t i = skipped; i < ids->size(); ++i) {
      const std::string& id = (*ids)[i];
      if (kept.count(id) != 0) {
        ++skipped;
        continue;
      }
      Status gone =
          kind == FinishedKind::kJobs ? repository_.DeleteJob(id) : repository_.DeletePipeline(id);
      // Another instance pruning at once may have taken it first.
      if (!gone.ok() && gone.code() != StatusCode::kNotFound) return gone;
      ++deleted;
    }
    if (ids->size() < asked) break;
  }
  return deleted;
}

Result<Pruner::Pruned> Pruner::PruneOnce() {
  Pruned pruned;
  if (!options_.Prunes()) return pruned;
  TimePoint now = clock_.Now();
  auto kept = OpenGroupMembers();
  if (!kept.ok()) return kept.status();
  auto jobs = PruneKind(FinishedKind::kJobs, now, *kept);
  if (!jobs.ok()) return jobs.status();
  pruned.jobs = *jobs;
  auto pipelines = PruneKind(FinishedKind::kPipelines, now, *kept);
  if (!pipelines.ok()) return pipelines.status();
  pruned.pipelines = *pipelines;
  metrics_.pruned_jobs.fetch_add(pruned.jobs, std::memory_order_relaxed);
  metrics_.pruned_pipelines.fetch_add(pruned.pipelines, std::memory_order_relaxed);
  return pruned;
}

void Pruner::Start() {
  std::lock_guard lock(mutex_);
  if (!options_.Prunes() || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Pruner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Pruner::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto pruned = PruneOnce();
    if (!pruned.ok()) {
      logger_.Log(LogLevel::kWarning, "retention", "cannot prune finished jobs now",
                  {{"error", pruned.status().message()}});
    } else if (pruned->jobs + pruned->pipelines > 0) {
      logger_.Log(LogLevel::kInfo, "retention", "pruned finished jobs",
                  {{"jobs", std::to_string(pruned->jobs)},
                   {"pipelines", std::to_string(pruned->pipelines)}});
    }
    lock.lock();
    stopped_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace valet::core
