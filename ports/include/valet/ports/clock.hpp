#pragma once

#include "valet/ports/time.hpp"

namespace valet {

// The core's only source of the current time, so tests can advance it by hand.
// Safe to call from any thread.
class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  virtual TimePoint Now() const = 0;
};

}  // namespace valet
