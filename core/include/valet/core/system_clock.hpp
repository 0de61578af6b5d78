#pragma once

#include "valet/ports/clock.hpp"

namespace valet::core {

// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

}  // namespace valet::core
