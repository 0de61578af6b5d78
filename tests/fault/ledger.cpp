#include "ledger.hpp"

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "api_helpers.hpp"

namespace valet::fault {

using namespace std::chrono_literals;

// Long enough for a restarted valetd to find lost leases and drain thousands of jobs on a busy
// two-core machine; a pass never waits for it.
constexpr auto kDrainLimit = 120s;

std::string Census::ToString() const {
  return "acknowledged " + std::to_string(acknowledged) + ", lost " + std::to_string(lost) +
         ", duplicated " + std::to_string(duplicated) + ", unexpected " +
         std::to_string(unexpected);
}

Json Ledger::JobRequest(const std::string& name, int ms) const {
  return {
      {"name", name}, {"task_name", "ledger"}, {"task_params", {{"ledger", path()}, {"ms", ms}}}};
}

int Ledger::Submit(int port, int count, int clients, int ms, const std::string& run_at) {
  std::mutex mutex;
  int accepted = 0;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      e2e::HttpClient http(port);
      for (int i = c; i < count; i += clients) {
        Json request = JobRequest("fault-" + std::to_string(i), ms);
        if (!run_at.empty()) request["run_at"] = run_at;
        e2e::HttpReply reply = http.Post("/api/jobs", request);
        if (reply.status != 202) continue;  // refused (a 503 in an outage): not acknowledged
        std::lock_guard lock(mutex);
        acknowledged_.insert(reply.json().value("id", ""));
        ++accepted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return accepted;
}

std::map<std::string, std::vector<Run>> Ledger::Runs() const {
  std::map<std::string, std::vector<Run>> runs;
  std::ifstream in(path());
  std::string id;
  Run run;
  while (in >> id >> run.attempt >> run.pid) runs[id].push_back(run);
  return runs;
}

int Ledger::CountRuns() const {
  int count = 0;
  for (const auto& [id, runs] : Runs()) count += static_cast<int>(runs.size());
  return count;
}

Census Ledger::Count(int port) const {
  e2e::HttpClient http(port);
  std::map<std::string, std::string> status;
  auto deadline = std::chrono::steady_clock::now() + kDrainLimit;
  while (true) {
    status.clear();
    e2e::HttpReply reply = http.Get("/api/jobs");
    if (reply.status == 200) {
      Json listed = reply.json();  // kept: the loop must not range over a temporary's member
      for (const Json& job : listed["jobs"]) {
        status[job.value("id", "")] = job.value("status", "");
      }
    }
    int open = 0;
    for (const std::string& id : acknowledged_) {
      auto it = status.find(id);
      bool finished = it != status.end() && (it->second == "COMPLETED" || it->second == "FAILED" ||
                                             it->second == "CANCELLED");
      open += finished ? 0 : 1;
    }
    if (open == 0 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(200ms);
  }

  Census census;
  census.acknowledged = static_cast<int>(acknowledged_.size());
  auto runs = Runs();
  for (const std::string& id : acknowledged_) {
    auto it = status.find(id);
    bool completed = it != status.end() && it->second == "COMPLETED";
    if (!completed || runs.find(id) == runs.end()) ++census.lost;
  }
  for (const auto& [id, job_runs] : runs) {
    if (acknowledged_.count(id) == 0) {
      census.unexpected += static_cast<int>(job_runs.size());
    } else {
      census.duplicated += static_cast<int>(job_runs.size()) - 1;
    }
  }
  return census;
}

}  // namespace valet::fault
