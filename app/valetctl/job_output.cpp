#include "job_output.hpp"

#include <algorithm>
#include <cmath>

#include "table.hpp"

namespace valetctl {

namespace {

std::string Text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string Field(const Json& job, const char* name) {
  return job.contains(name) ? Text(job[name]) : "";
}

std::string Duration(const Json& job) {
  if (!job.contains("duration") || !job["duration"].is_number()) return "";
  return Text(job["duration"]) + " ms";
}

}  // namespace

std::string StatusOf(const Json& job) { return Field(job, "status"); }

bool IsFinished(const std::string& status) {
  return status == "COMPLETED" || status == "FAILED" || status == "CANCELLED";
}

std::string JobTable(const Json& jobs) {
  Table table({"ID", "NAME", "TASK", "STATUS", "CREATED", "DURATION"});
  for (const Json& job : jobs) {
    table.AddRow({Field(job, "id"), Field(job, "name"), Field(job, "task_name"),
                  Field(job, "status"), Field(job, "created_at"), Duration(job)});
  }
  return table.Render();
}

std::string JobDetails(const Json& job) {
  std::string out;
  for (const auto& [key, value] : job.items()) {
    std::string text = key == "duration" ? Duration(job) : Text(value);
    out += Printable(key) + ": " + Printable(text) + "\n";
  }
  return out;
}

std::string ProgressBar(double fraction, int width) {
  if (!std::isfinite(fraction)) fraction = 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  int filled = static_cast<int>(std::lround(fraction * width));
  int percent = static_cast<int>(std::lround(fraction * 100));
  std::string percent_text = std::to_string(percent) + "%";
  return "[" + std::string(filled, '#') + std::string(width - filled, '-') + "] " +
         std::string(4 - std::min<std::size_t>(4, percent_text.size()), ' ') + percent_text;
}

std::string WatchLine(const Json& job) {
  std::string status = StatusOf(job);
  std::string line = status;
  const Json& progress = job.contains("progress") ? job["progress"] : Json();
  if (progress.is_object() && progress.contains("fraction") && progress["fraction"].is_number()) {
    line += " " + ProgressBar(progress["fraction"].get<double>());
    if (progress.contains("message")) line += " " + Text(progress["message"]);
  }
  if (status == "COMPLETED" && job.contains("duration")) line += " in " + Duration(job);
  if ((status == "FAILED" || status == "CANCELLED") && job.contains("failure_reason")) {
    line += ": " + Field(job, "failure_reason");
  }
  return Printable(line);
}

}  // namespace valetctl
