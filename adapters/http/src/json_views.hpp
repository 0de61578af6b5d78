#pragma once

#include <vector>

#include "valet/adapters/http/api_router.hpp"
#include "valet/core/group_service.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/job_result.hpp"
#include "valet/ports/pipeline.hpp"
#include "valet/ports/schedule.hpp"

namespace valet::adapters::http {

// valet's JSON shapes: empty and zero fields are left out, timestamps are RFC 3339 UTC, and
// `duration` (milliseconds) appears once a job or pipeline has both started and finished.
ApiJson JobView(const Job& job);
ApiJson PipelineView(const Pipeline& pipeline);
ApiJson ResultView(const JobResult& result);
// A schedule with its timing and target flattened into it: "cron" or "every", "time_zone",
// "missed", "job" or "pipeline" (as submitted), "paused", "next_run_at", "last_runs".
ApiJson ScheduleView(const Schedule& schedule);
// A group as listed: its record, without members.
ApiJson GroupSummaryView(const Group& group);
// A group with its members in order ("job_id" or "pipeline_id", "name", "status", or
// "deleted": true), a "statuses" map from member id to status, and its "then" job.
ApiJson GroupView(const core::GroupWithMembers& group);

template <typename T, typename View>
ApiJson ListView(const std::vector<T>& items, View view) {
  ApiJson list = ApiJson::array();
  for (const T& item : items) list.push_back(view(item));
  return list;
}

}  // namespace valet::adapters::http
