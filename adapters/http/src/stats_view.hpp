#pragma once

#include <cstdint>
#include <optional>

#include "valet/adapters/http/api_router.hpp"
#include "valet/core/metrics.hpp"

namespace valet::adapters::http {

// GET /api/stats: this process's job endings per minute over the last hour ("minutes", oldest
// first, each {"start", "completed", "failed"}), their totals and failure rate, its workers and
// how many are busy, and the job queue's depth (left out when the queue cannot tell).
ApiJson StatsView(const core::Metrics& metrics, std::optional<std::int64_t> queue_depth);

}  // namespace valet::adapters::http
