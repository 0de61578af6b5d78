#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "http_client.hpp"
#include "valet/ports/json.hpp"

namespace valet::e2e {

using UtcTime = std::chrono::sys_time<std::chrono::microseconds>;

// Every wait in these tests is bounded by this, and never timed: the machine is shared.
inline constexpr std::chrono::seconds kWaitLimit{10};

// Polls GET /api/jobs/{id} until the job is COMPLETED, FAILED or CANCELLED and returns it; on
// timeout records a test failure and returns the last view seen.
Json WaitForJob(HttpClient& client, const std::string& id,
                std::chrono::milliseconds limit = kWaitLimit);
Json WaitForPipeline(HttpClient& client, const std::string& id,
                     std::chrono::milliseconds limit = kWaitLimit);
// Polls GET /api/jobs/{id} until its status is `status` (e.g. IN_PROGRESS); false on timeout.
bool WaitForJobStatus(HttpClient& client, const std::string& id, const std::string& status,
                      std::chrono::milliseconds limit = kWaitLimit);

// POST /api/jobs; the new job's id, or "" (with a test failure) unless the reply was 202.
std::string SubmitJob(HttpClient& client, const Json& request);
// The number of jobs GET /api/jobs lists (with `?status=` when given), or -1 on error.
long CountJobs(HttpClient& client, const std::string& status = "");

// The fields every error reply carries: {"error": true, "code": <status>, "message": ...}.
// Records a failure naming what is wrong and returns the message ("" if there is none).
std::string ErrorMessage(const HttpReply& reply, int expected_status);

bool IsUuid(const std::string& text);
// Reads valet's timestamps: UTC RFC 3339, e.g. 2024-05-01T10:00:00.123456Z.
std::optional<UtcTime> ParseUtc(const std::string& text);
// RFC 3339 with the given zone offset in minutes (0 gives "Z").
std::string FormatRfc3339(UtcTime time, int offset_minutes = 0);
UtcTime NowUtc();

}  // namespace valet::e2e
