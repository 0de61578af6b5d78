#include "valet/core/metrics.hpp"

namespace valet::core {

std::string Metrics::Render(bool storage_healthy, bool job_queue_healthy,
                            std::optional<std::int64_t> queue_depth) const {
  PrometheusText out;
  jobs.WriteTo(out);
  int busy = busy_workers();
  out.Family("valet_workers", "gauge", "Workers this process runs (0 for --role api).");
  out.Sample("valet_workers", {}, static_cast<std::uint64_t>(workers_));
  out.Family("valet_jobs_in_flight", "gauge", "Jobs this process's workers are running now.");
  out.Sample("valet_jobs_in_flight", {}, static_cast<std::uint64_t>(busy));
  out.Family("valet_worker_utilisation", "gauge", "Busy workers over all workers, 0 to 1.");
  out.Sample("valet_worker_utilisation", {},
             workers_ > 0 ? static_cast<double>(busy) / workers_ : 0.0);
  out.Family("valet_backend_up", "gauge", "1 when the backend answers its health check.");
  out.Sample("valet_backend_up", {{"backend", "repository"}}, storage_healthy ? 1.0 : 0.0);
  out.Sample("valet_backend_up", {{"backend", "job_queue"}}, job_queue_healthy ? 1.0 : 0.0);
  if (queue_depth) {
    out.Family("valet_queue_depth", "gauge",
               "Jobs waiting in the job queue for a worker (shared by every process on it).");
    out.Sample("valet_queue_depth", {}, static_cast<std::uint64_t>(*queue_depth));
  }
  out.Family("valet_pruned_total", "counter",
             "Finished records this process deleted for retention, by kind.");
  out.Sample("valet_pruned_total", {{"kind", "job"}}, pruned_jobs.load(std::memory_order_relaxed));
  out.Sample("valet_pruned_total", {{"kind", "pipeline"}},
             pruned_pipelines.load(std::memory_order_relaxed));
  requests.WriteTo(out);
  return out.text();
}

}  // namespace valet::core
