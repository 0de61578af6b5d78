#pragma once

#include <memory>
#include <string>

#include "valet/ports/status.hpp"

namespace valet::core {

// A zone of the tz database ("Europe/Berlin", "America/New_York", "UTC"), read once from the
// system's zoneinfo files and then shared: cheap to copy, safe to use from any thread.
class TimeZone {
 public:
  // InvalidArgument naming the zone when the system has no such zone.
  static Result<TimeZone> Load(const std::string& name);
  static TimeZone Utc();

  const std::string& name() const;

 private:
  friend class CronExpression;
  struct Rules;
  explicit TimeZone(std::shared_ptr<const Rules> rules) : rules_(std::move(rules)) {}

  std::shared_ptr<const Rules> rules_;
};

}  // namespace valet::core
