#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "valet/core/group_service.hpp"
#include "valet/core/schedule_service.hpp"
#include "valet/ports/clock.hpp"
#include "valet/ports/logger.hpp"

namespace valet::core {

// The thread that runs the schedules' ticks and settles the groups whose members have finished.
// It looks at least every `polling_interval` (to see what other instances store), sooner for a
// tick it knows of, and every kGroupPolling while groups are open. Schedules declared at
// start-up are stored by Start(), and those whose backend is down are tried again before every
// round.
class Ticker {
 public:
  // How soon a group is settled (and its then job submitted) after its last member finished.
  static constexpr std::chrono::milliseconds kGroupPolling{250};

  Ticker(ScheduleService& schedules, GroupService& groups, Clock& clock, Logger& logger,
         std::chrono::milliseconds polling_interval)
      : schedules_(schedules),
        groups_(groups),
        clock_(clock),
        logger_(logger),
        polling_interval_(polling_interval) {}
  ~Ticker() { Stop(); }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  // Before Start(): the schedules to declare.
  void Declare(std::vector<DeclaredSchedule> declared) { undeclared_ = std::move(declared); }
  void Start();
  void Stop();

 private:
  void Loop();
  // Stores the declarations it can, keeping those whose backend could not be reached.
  void DeclarePending();

  ScheduleService& schedules_;
  GroupService& groups_;
  Clock& clock_;
  Logger& logger_;
  const std::chrono::milliseconds polling_interval_;

  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::thread thread_;
  std::vector<DeclaredSchedule> undeclared_;  // used by the ticker's thread only, once started
};

}  // namespace valet::core
