#include "api_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <thread>

namespace valet::e2e {

namespace {

constexpr std::chrono::milliseconds kPollInterval{20};

bool IsTerminal(const Json& record) {
  if (!record.is_object() || !record.contains("status")) return false;
  const Json& status = record["status"];
  return status == "COMPLETED" || status == "FAILED" || status == "CANCELLED";
}

Json WaitForTerminal(HttpClient& client, const std::string& path, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  Json last;
  while (true) {
    HttpReply reply = client.Get(path);
    if (reply.status == 200) {
      last = reply.json();
      if (IsTerminal(last)) return last;
    } else {
      last = Json{{"http_status", reply.status}, {"body", reply.body}};
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  ADD_FAILURE() << "GET " << path << " did not reach a terminal status; last seen: " << last.dump();
  return last;
}

}  // namespace

Json WaitForJob(HttpClient& client, const std::string& id, std::chrono::milliseconds limit) {
  return WaitForTerminal(client, "/api/jobs/" + id, limit);
}

Json WaitForPipeline(HttpClient& client, const std::string& id, std::chrono::milliseconds limit) {
  return WaitForTerminal(client, "/api/pipelines/" + id, limit);
}

bool WaitForJobStatus(HttpClient& client, const std::string& id, const std::string& status,
                      std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    HttpReply reply = client.Get("/api/jobs/" + id);
    if (reply.status == 200 && reply.json().value("status", "") == status) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string SubmitJob(HttpClient& client, const Json& request) {
  HttpReply reply = client.Post("/api/jobs", request);
  Json job = reply.json();
  if (reply.status != 202 || !job.is_object() || !job.contains("id") || !job["id"].is_string()) {
    ADD_FAILURE() << "POST /api/jobs " << request.dump() << " gave " << reply.status << " "
                  << reply.body;
    return "";
  }
  return job["id"].get<std::string>();
}

long CountJobs(HttpClient& client, const std::string& status) {
  HttpReply reply = client.Get(status.empty() ? "/api/jobs" : "/api/jobs?status=" + status);
  Json body = reply.json();
  if (reply.status != 200 || !body.is_object() || !body.contains("jobs") ||
      !body["jobs"].is_array()) {
    return -1;
  }
  return static_cast<long>(body["jobs"].size());
}

std::string ErrorMessage(const HttpReply& reply, int expected_status) {
  EXPECT_EQ(reply.status, expected_status) << reply.body;
  EXPECT_EQ(reply.Header("Content-Type"), "application/json") << reply.body;
  Json body = reply.json();
  if (!body.is_object()) {
    ADD_FAILURE() << "error body is not a JSON object: " << reply.body;
    return "";
  }
  EXPECT_EQ(body.value("error", false), true) << reply.body;
  EXPECT_EQ(body.value("code", 0), expected_status) << reply.body;
  if (!body.contains("message") || !body["message"].is_string()) {
    ADD_FAILURE() << "error body has no message: " << reply.body;
    return "";
  }
  return body["message"].get<std::string>();
}

bool IsUuid(const std::string& text) {
  static const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_match(text, kUuid);
}

std::optional<UtcTime> ParseUtc(const std::string& text) {
  using namespace std::chrono;
  static const std::regex kUtc(
      R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z)");
  std::smatch match;
  if (!std::regex_match(text, match, kUtc)) return std::nullopt;
  auto number = [&](int group) { return std::stoi(match[group].str()); };
  year_month_day date{year{number(1)}, month{static_cast<unsigned>(number(2))},
                      day{static_cast<unsigned>(number(3))}};
  if (!date.ok()) return std::nullopt;
  long long micros = 0;
  if (match[7].matched) {
    std::string fraction = (match[7].str() + "000000").substr(0, 6);
    micros = std::stoll(fraction);
  }
  return UtcTime{sys_days{date}} + hours{number(4)} + minutes{number(5)} + seconds{number(6)} +
         microseconds{micros};
}

std::string FormatRfc3339(UtcTime time, int offset_minutes) {
  using namespace std::chrono;
  UtcTime local = time + minutes{offset_minutes};
  auto day = floor<days>(local);
  year_month_day date{day};
  hh_mm_ss clock{local - day};
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06lld",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()),
                static_cast<long long>(clock.subseconds().count()));
  std::string result = text;
  if (offset_minutes == 0) return result + "Z";
  int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return result + zone;
}

UtcTime NowUtc() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace valet::e2e
