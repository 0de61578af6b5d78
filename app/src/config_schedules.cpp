#include "config_schedules.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <string>

#include "valet/core/schedule_json.hpp"

namespace valet::app {

namespace {

constexpr const char* kKeys[] = {"name",   "description", "cron",     "every", "time_zone",
                                 "missed", "job",         "pipeline", "paused"};

std::string ValidKeys() {
  std::string joined;
  for (const char* key : kKeys) joined += (joined.empty() ? "" : ", ") + std::string(key);
  return joined;
}

}  // namespace

Status ReadSchedules(const Json& list, std::vector<core::ScheduleRequest>& out) {
  if (list.is_null()) return Status::Ok();
  if (!list.is_array()) return Status::InvalidArgument("schedules: must be a list");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "schedules[" + std::to_string(i) + "]";
    const Json& entry = list[i];
    if (!entry.is_object()) return Status::InvalidArgument(path + ": must be a mapping");
    for (const auto& [key, value] : entry.items()) {
      if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
        std::string printable = JsonText(Json(key));  // escaped, for a one-line message
        return Status::InvalidArgument(path + "." + printable.substr(1, printable.size() - 2) +
                                       ": unknown key - valid keys: " + ValidKeys());
      }
    }
    auto request = core::ScheduleRequestFromJson(entry, path + ".");
    if (!request.ok()) return Status::InvalidArgument(request.status().message());
    if (request->name.empty()) return Status::InvalidArgument(path + ".name: required");
    if (!names.insert(request->name).second) {
      return Status::InvalidArgument(path + ".name: \"" + request->name +
                                     "\" is declared twice - schedule names are unique");
    }
    out.push_back(std::move(*request));
  }
  return Status::Ok();
}

}  // namespace valet::app
