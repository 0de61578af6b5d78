#include "valet/core/time_zone.hpp"

#include "time_zone_rules.hpp"

namespace valet::core {

namespace {

// tz database names are letters, digits and "_+-" in '/'-separated parts ("America/Port-au-
// Prince", "Etc/GMT+5"). Anything else, ".." above all, never reaches the file system.
bool LooksLikeZoneName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  if (name.find("..") != std::string::npos || name.find("//") != std::string::npos) return false;
  for (char c : name) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (!letter && !digit && c != '_' && c != '+' && c != '-' && c != '/') return false;
  }
  return true;
}

}  // namespace

Result<TimeZone> TimeZone::Load(const std::string& name) {
  absl::TimeZone zone;
  if (!LooksLikeZoneName(name) || !absl::LoadTimeZone(name, &zone)) {
    return Status::InvalidArgument("unknown time zone \"" + name +
                                   "\": expected a tz database name such as UTC, Europe/Berlin "
                                   "or America/New_York");
  }
  return TimeZone(std::make_shared<const Rules>(Rules{name, zone}));
}

TimeZone TimeZone::Utc() {
  static const auto utc = std::make_shared<const Rules>(Rules{"UTC", absl::UTCTimeZone()});
  return TimeZone(utc);
}

const std::string& TimeZone::name() const { return rules_->name; }

}  // namespace valet::core
