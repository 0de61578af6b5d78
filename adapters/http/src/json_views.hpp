#pragma once

#include "valet/adapters/http/api_router.hpp"
#include "valet/ports/job.hpp"
#include "valet/ports/job_result.hpp"
#include "valet/ports/pipeline.hpp"

namespace valet::adapters::http {

// valet's JSON shapes: empty and zero fields are left out, timestamps are RFC 3339 UTC, and
// `duration` (milliseconds) appears once a job or pipeline has both started and finished.
ApiJson JobView(const Job& job);
ApiJson PipelineView(const Pipeline& pipeline);
ApiJson ResultView(const JobResult& result);

}  // namespace valet::adapters::http
