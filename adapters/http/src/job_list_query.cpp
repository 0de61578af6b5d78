#include "job_list_query.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <charconv>
#include <string>

#include "valet/core/job_query.hpp"
#include "valet/core/request_checks.hpp"

namespace valet::adapters::http {

namespace {

// Calls `visit(key, value)` for every parameter, both decoded.
template <typename Visit>
Status ForEachParameter(std::string_view query, Visit visit) {
  while (!query.empty()) {
    auto end = query.find('&');
    std::string_view pair = query.substr(0, end);
    auto eq = pair.find('=');
    std::string key;
    std::string value;
    try {
      Poco::URI::decode(std::string(pair.substr(0, eq)), key);
      if (eq != std::string_view::npos) Poco::URI::decode(std::string(pair.substr(eq + 1)), value);
    } catch (const Poco::Exception&) {
      return Status::InvalidArgument("the query string is not percent-encoded correctly");
    }
    if (Status status = visit(key, value); !status.ok()) return status;
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return Status::Ok();
}

Status ReadLimit(const std::string& text, std::size_t& limit) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size() || limit == 0 ||
      limit > core::kMaxPageSize) {
    return core::BadLimit();
  }
  return Status::Ok();
}

Status ReadLabel(const std::string& text, Labels& labels) {
  auto colon = text.find(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("invalid label filter \"" + text + "\": expected key:value");
  }
  labels[text.substr(0, colon)] = text.substr(colon + 1);
  return Status::Ok();
}

}  // namespace

Result<JobQuery> JobQueryFrom(std::string_view text) {
  JobQuery query;
  Status read = ForEachParameter(text, [&query](const std::string& key, const std::string& value) {
    if (value.empty()) return Status::Ok();
    if (key == "status") {
      auto status = core::ParseStatusFilter(value);
      if (!status.ok()) return status.status();
      query.status = *status;
    } else if (key == "task_name") {
      query.task_name = value;
    } else if (key == "label") {
      return ReadLabel(value, query.labels);
    } else if (key == "created_after" || key == "created_before") {
      auto time = core::ParseTimeFilter(key, value);
      if (!time.ok()) return time.status();
      (key == "created_after" ? query.created_after : query.created_before) = *time;
    } else if (key == "limit") {
      return ReadLimit(value, query.limit);
    } else if (key == "cursor") {
      query.cursor = value;
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return query;
}

}  // namespace valet::adapters::http
