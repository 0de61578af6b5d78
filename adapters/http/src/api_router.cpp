#include "valet/adapters/http/api_router.hpp"

#include <optional>
#include <string_view>

#include "group_routes.hpp"
#include "job_list_query.hpp"
#include "json_views.hpp"
#include "openapi_document.hpp"
#include "request_decoding.hpp"
#include "responses.hpp"
#include "schedule_routes.hpp"
#include "stats_view.hpp"
#include "ui_routes.hpp"
#include "valet/core/job_query.hpp"
#include "valet/core/messages.hpp"
#include "valet/core/request_checks.hpp"
#include "valet/core/time_format.hpp"
#include "valet/core/uuid_generator.hpp"

namespace valet::adapters::http {

namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto end = path.find('/');
    parts.push_back(path.substr(0, end));
    if (end == std::string_view::npos) break;
    path.remove_prefix(end);
  }
  return parts;
}

// `?status=` as valet reads it.
Result<std::optional<JobStatus>> StatusFilter(const ApiRequest& request) {
  return core::ParseStatusFilter(QueryValue(request.query, "status"));
}

ApiJson PipelineWithJobsView(const core::PipelineWithJobs& pipeline) {
  ApiJson view = PipelineView(pipeline.pipeline);
  view["jobs"] = ListView(pipeline.jobs, JobView);
  return view;
}

class RouteHandler {
 public:
  RouteHandler(core::ApiContext& context, const ApiRequest& request)
      : context_(context), request_(request) {}

  ApiResponse Route() {
    auto parts = SplitPath(request_.path);
    // Probes for load balancers and orchestrators: open, and telling nothing sensitive.
    if (parts.size() == 1 && parts[0] == "healthz") return Only("GET", [&] { return Live(); });
    if (parts.size() == 1 && parts[0] == "readyz") return Only("GET", [&] { return Ready(); });
    if (parts.size() == 1 && parts[0] == "metrics") {
      if (auto refused = Authorize(); refused) return *refused;
      return Only("GET", [&] { return ServeMetrics(); });
    }
    // The dashboard's files are open: the page asks for the token its API calls need.
    if (!parts.empty() && parts[0] == "ui") return UiRoutes(request_, parts);
    if (parts.empty() || parts[0] != "api") return NotFound();
    parts.erase(parts.begin());
    if (parts.size() == 1 && parts[0] == "status") return Only("GET", [&] { return Health(); });
    if (parts.size() == 1 && parts[0] == "openapi.json") {
      return Only("GET", [&] { return ApiResponse{200, OpenApiDocument(), {}}; });
    }
    if (auto refused = Authorize(); refused) return *refused;
    if (parts.size() == 1 && parts[0] == "tasks") return Only("GET", [&] { return Tasks(); });
    if (parts.size() == 1 && parts[0] == "stats") return Only("GET", [&] { return Stats(); });
    if (!parts.empty() && parts[0] == "jobs") return Jobs(parts);
    if (!parts.empty() && parts[0] == "pipelines") return Pipelines(parts);
    if (!parts.empty() && parts[0] == "groups")
      return GroupRoutes(context_.groups, request_, parts);
    if (!parts.empty() && parts[0] == "schedules") {
      return ScheduleRoutes(context_.schedules, request_, parts);
    }
    return NotFound();
  }

 private:
  std::optional<ApiResponse> Authorize() const {
    core::Access access = context_.access.GrantHeader(request_.authorization);
    if (access == core::Access::kNone) {
      ApiResponse refused = ErrorResponse(
          401, request_.authorization.empty() ? "an API token is required: send Authorization: "
                                                "Bearer <token>"
                                              : "the API token is not valid");
      refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"valet\"");
      return refused;
    }
    if (access == core::Access::kRead && !core::IsReadMethod(request_.method)) {
      return ErrorResponse(403, "this API token may only read: " + request_.method + " " +
                                    request_.path + " needs a full token");
    }
    return std::nullopt;
  }

  ApiResponse NotFound() const {
    return ErrorResponse(404, "no route for " + request_.method + " " + request_.path);
  }

  template <typename Action>
  ApiResponse Only(const char* method, Action action) {
    if (request_.method != method) return MethodNotAllowed(request_, method);
    return action();
  }

  ApiResponse Jobs(const std::vector<std::string_view>& parts) {
    const std::string& method = request_.method;
    if (parts.size() == 1) {
      if (method == "GET") return ListJobs();
      if (method == "POST") return CreateJob();
      return MethodNotAllowed(request_, "GET, POST");
    }
    std::string id(parts[1]);
    if (parts.size() == 2 && id == "batch") {
      if (method != "POST") return MethodNotAllowed(request_, "POST");
      return CreateJobBatch();
    }
    if (parts.size() == 2) {
      if (method != "GET" && method != "PATCH" && method != "DELETE") {
        return MethodNotAllowed(request_, "GET, PATCH, DELETE");
      }
      if (!core::IsUuid(id)) return FromStatus(core::JobNotFound(id), 0);
      if (method == "GET") return GetJob(id);
      if (method == "PATCH") return PatchJob(id);
      return FromStatus(context_.jobs.Delete(id), 204);
    }
    if (parts.size() == 3 && parts[2] == "cancel") {
      if (method != "POST") return MethodNotAllowed(request_, "POST");
      if (!core::IsUuid(id)) return FromStatus(core::JobNotFound(id), 0);
      auto job = context_.jobs.Cancel(id);
      if (!job.ok()) return FromStatus(job.status(), 0);
      return JsonResponse(200, JobView(*job));
    }
    if (parts.size() == 3 && parts[2] == "retry") {
      if (method != "POST") return MethodNotAllowed(request_, "POST");
      if (!core::IsUuid(id)) return FromStatus(core::JobNotFound(id), 0);
      auto job = context_.jobs.Retry(id);
      if (!job.ok()) return FromStatus(job.status(), 0);
      return JsonResponse(202, JobView(*job));
    }
    if (parts.size() == 3 && parts[2] == "results") {
      if (method != "GET" && method != "DELETE") return MethodNotAllowed(request_, "GET, DELETE");
      if (!core::IsUuid(id)) return FromStatus(core::ResultNotFound(id), 0);
      if (method == "DELETE") return FromStatus(context_.results.Delete(id), 204);
      auto result = context_.results.Get(id);
      if (!result.ok()) return FromStatus(result.status(), 0);
      return JsonResponse(200, ResultView(*result));
    }
    return NotFound();
  }

  ApiResponse Pipelines(const std::vector<std::string_view>& parts) {
    const std::string& method = request_.method;
    if (parts.size() == 1) {
      if (method == "GET") return ListPipelines();
      if (method == "POST") return CreatePipeline();
      return MethodNotAllowed(request_, "GET, POST");
    }
    std::string id(parts[1]);
    if (parts.size() == 2) {
      if (method != "GET" && method != "PATCH" && method != "DELETE") {
        return MethodNotAllowed(request_, "GET, PATCH, DELETE");
      }
      if (!core::IsUuid(id)) return FromStatus(core::PipelineNotFound(id), 0);
      if (method == "GET") {
        auto pipeline = context_.pipelines.Get(id);
        if (!pipeline.ok()) return FromStatus(pipeline.status(), 0);
        return JsonResponse(200, PipelineView(*pipeline));
      }
      if (method == "PATCH") {
        auto patch = DecodePatch(request_.body);
        if (!patch.ok()) return FromStatus(patch.status(), 0);
        return FromStatus(context_.pipelines.Patch(id, *patch), 204);
      }
      return FromStatus(context_.pipelines.Delete(id), 204);
    }
    if (parts.size() == 3 && parts[2] == "cancel") {
      if (method != "POST") return MethodNotAllowed(request_, "POST");
      if (!core::IsUuid(id)) return FromStatus(core::PipelineNotFound(id), 0);
      auto cancelled = context_.pipelines.Cancel(id);
      if (!cancelled.ok()) return FromStatus(cancelled.status(), 0);
      return JsonResponse(200, PipelineWithJobsView(*cancelled));
    }
    if (parts.size() == 3 && parts[2] == "jobs") {
      if (method != "GET") return MethodNotAllowed(request_, "GET");
      if (!core::IsUuid(id)) return FromStatus(core::PipelineNotFound(id), 0);
      auto jobs = context_.pipelines.ListJobs(id);
      if (!jobs.ok()) return FromStatus(jobs.status(), 0);
      return JsonResponse(200, ApiJson{{"jobs", ListView(*jobs, JobView)}});
    }
    return NotFound();
  }

  ApiResponse CreateJob() {
    if (Status key = core::CheckIdempotencyKey(request_.idempotency_key); !key.ok()) {
      return FromStatus(key, 0);
    }
    auto request = DecodeJobRequest(request_.body);
    if (!request.ok()) return FromStatus(request.status(), 0);
    auto job = context_.jobs.Create(*request, request_.idempotency_key);
    if (!job.ok()) return FromStatus(job.status(), 0);
    return JsonResponse(202, JobView(*job));
  }

  ApiResponse CreateJobBatch() {
    if (!request_.idempotency_key.empty()) {
      return ErrorResponse(400,
                           "Idempotency-Key is not taken by POST /api/jobs/batch: send the "
                           "jobs one at a time to make each submit idempotent");
    }
    auto requests = DecodeJobBatch(request_.body);
    if (!requests.ok()) return FromStatus(requests.status(), 0);
    auto jobs = context_.jobs.CreateMany(*requests);
    if (!jobs.ok()) return FromStatus(jobs.status(), 0);
    return JsonResponse(202, ApiJson{{"jobs", ListView(*jobs, JobView)}});
  }

  // valet's list, or a page of it when the query has more than `status`.
  ApiResponse ListJobs() {
    auto query = JobQueryFrom(request_.query);
    if (!query.ok()) return FromStatus(query.status(), 0);
    if (!core::IsPageQuery(*query)) {
      auto jobs = context_.jobs.List(query->status);
      if (!jobs.ok()) return FromStatus(jobs.status(), 0);
      return JsonResponse(200, ApiJson{{"jobs", ListView(*jobs, JobView)}});
    }
    auto page = context_.jobs.Find(*query);
    if (!page.ok()) return FromStatus(page.status(), 0);
    ApiJson body{{"jobs", ListView(page->jobs, JobView)}};
    if (!page->next_cursor.empty()) body["next_cursor"] = page->next_cursor;
    return JsonResponse(200, body);
  }

  ApiResponse GetJob(const std::string& id) {
    auto job = context_.jobs.Get(id);
    if (!job.ok()) return FromStatus(job.status(), 0);
    return JsonResponse(200, JobView(*job));
  }

  ApiResponse PatchJob(const std::string& id) {
    auto patch = DecodePatch(request_.body);
    if (!patch.ok()) return FromStatus(patch.status(), 0);
    return FromStatus(context_.jobs.Patch(id, *patch), 204);
  }

  ApiResponse CreatePipeline() {
    if (Status key = core::CheckIdempotencyKey(request_.idempotency_key); !key.ok()) {
      return FromStatus(key, 0);
    }
    auto request = DecodePipelineRequest(request_.body);
    if (!request.ok()) return FromStatus(request.status(), 0);
    auto created = context_.pipelines.Create(*request, request_.idempotency_key);
    if (!created.ok()) return FromStatus(created.status(), 0);
    return JsonResponse(202, PipelineWithJobsView(*created));
  }

  ApiResponse ListPipelines() {
    auto filter = StatusFilter(request_);
    if (!filter.ok()) return FromStatus(filter.status(), 0);
    auto pipelines = context_.pipelines.List(*filter);
    if (!pipelines.ok()) return FromStatus(pipelines.status(), 0);
    return JsonResponse(200, ApiJson{{"pipelines", ListView(*pipelines, PipelineView)}});
  }

  ApiResponse Tasks() { return JsonResponse(200, ApiJson{{"tasks", context_.tasks.Names()}}); }

  ApiResponse ServeMetrics() {
    Result<std::int64_t> depth = context_.queue.Depth();
    ApiResponse reply{200,
                      context_.metrics.Render(context_.repository.CheckHealth().ok(),
                                              context_.queue.CheckHealth().ok(),
                                              depth.ok() ? std::optional(*depth) : std::nullopt),
                      {}};
    reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return reply;
  }

  ApiResponse Stats() {
    Result<std::int64_t> depth = context_.queue.Depth();
    return JsonResponse(
        200, StatsView(context_.metrics, depth.ok() ? std::optional(*depth) : std::nullopt));
  }

  ApiResponse Live() { return JsonResponse(200, ApiJson{{"status", "ok"}}); }

  // Ready when both backends answer: a load balancer sends traffic elsewhere until then.
  ApiResponse Ready() {
    bool queue = context_.queue.CheckHealth().ok();
    bool storage = context_.repository.CheckHealth().ok();
    return JsonResponse(queue && storage ? 200 : 503, ApiJson{{"ready", queue && storage},
                                                              {"job_queue_healthy", queue},
                                                              {"storage_healthy", storage}});
  }

  ApiResponse Health() {
    return JsonResponse(200, ApiJson{{"job_queue_healthy", context_.queue.CheckHealth().ok()},
                                     {"storage_healthy", context_.repository.CheckHealth().ok()},
                                     {"time", core::FormatTime(context_.clock.Now())},
                                     {"version", context_.version}});
  }

  core::ApiContext& context_;
  const ApiRequest& request_;
};

}  // namespace

std::string RouteOf(const std::string& path) {
  auto parts = SplitPath(path);
  if (parts.size() == 1 &&
      (parts[0] == "healthz" || parts[0] == "readyz" || parts[0] == "metrics")) {
    return "/" + std::string(parts[0]);
  }
  if (!parts.empty() && parts[0] == "ui") return "/ui";
  if (parts.empty() || parts[0] != "api" || parts.size() > 4) return "other";
  if (parts.size() == 2) {
    for (const char* route :
         {"status", "tasks", "stats", "jobs", "pipelines", "schedules", "groups", "openapi.json"}) {
      if (parts[1] == route) return "/api/" + std::string(route);
    }
    return "other";
  }
  if (parts[1] != "jobs" && parts[1] != "pipelines" && parts[1] != "schedules" &&
      parts[1] != "groups") {
    return "other";
  }
  if (parts.size() == 3 && parts[1] == "jobs" && parts[2] == "batch") return "/api/jobs/batch";
  std::string route = "/api/" + std::string(parts[1]) + "/{id}";
  if (parts.size() == 3) return route;
  for (const char* tail : {"cancel", "retry", "results", "jobs", "pause", "resume"}) {
    if (parts[3] == tail) return route + "/" + tail;
  }
  return "other";
}

ApiResponse ApiRouter::Handle(const ApiRequest& request) const {
  return RouteHandler(context_, request).Route();
}

}  // namespace valet::adapters::http
