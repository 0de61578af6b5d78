#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "valet/ports/job_queue.hpp"

namespace valet::testing {

// How the suite gets a fresh, empty queue of the adapter under test.
struct QueueMaker {
  std::string name;
  std::function<std::unique_ptr<JobQueue>()> make;
};

// Test names and logs show the adapter's name, not the bytes of the maker.
inline void PrintTo(const QueueMaker& maker, std::ostream* out) { *out << maker.name; }

inline std::string QueueName(const ::testing::TestParamInfo<QueueMaker>& info) {
  return info.param.name;
}

// The behaviour every JobQueue owes (see ports/job_queue.hpp).
class JobQueueContract : public ::testing::TestWithParam<QueueMaker> {
 protected:
  void SetUp() override { queue_ = GetParam().make(); }
  void TearDown() override {
    if (queue_) queue_->Close();
  }

  JobQueue& queue() { return *queue_; }

 private:
  std::unique_ptr<JobQueue> queue_;
};

}  // namespace valet::testing
