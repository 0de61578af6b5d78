// A user's own valetd: one typed task, registered and served with the settings of config.yaml.
//
//   embedded_valet [config.yaml]   serve
//   embedded_valet --self-test     run one job in-process and exit (used by the project's CI)

#include <chrono>
#include <cstdio>
#include <string>

#include "valet/valet.hpp"

struct Resize {
  std::string image;
  int width = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Resize, image, width)

valet::TaskResult ResizeTask(valet::TaskContext& ctx) {
  auto params = ctx.Params<Resize>();
  if (params.width <= 0) return valet::Failure("width must be positive");
  if (ctx.StopRequested()) return valet::Cancelled();
  ctx.Log(valet::LogLevel::kInfo, "resized", {{"width", std::to_string(params.width)}});
  return valet::Json{{"image", params.image}, {"width", params.width}};
}

// Runs valet in-process on the memory backends, with no API server, and resizes one image
// through it: the task API, the engine and the installed package working together.
int SelfTest() {
  valet::app::Config config;
  config.protocols = {};
  config.workers = 1;
  valet::Valet valet(config);
  valet.RegisterTask("resize", ResizeTask);
  if (valet.Start() != 0) return 1;
  auto job = valet.Submit({.name = "thumbnail",
                           .task_name = "resize",
                           .task_params = {{"image", "cat.png"}, {"width", 64}}});
  auto done = job.ok() ? valet.WaitForJob(job->id, std::chrono::seconds(10)) : job;
  auto result = done.ok() ? valet.GetResult(done->id) : done.status();
  bool ok = done.ok() && done->status == valet::JobStatus::kCompleted && result.ok() &&
            result->metadata["width"] == 64;
  valet.Shutdown();
  std::printf("embedded valet %s: %s\n", valet::Valet::Version().c_str(),
              ok ? "ok" : (done.ok() ? "FAILED" : done.status().message().c_str()));
  return ok ? 0 : 1;
}

int main(int argc, char** argv) {
  std::string arg = argc > 1 ? argv[1] : "config.yaml";
  if (arg == "--self-test") return SelfTest();
  try {
    valet::Valet valet(arg);
    valet.RegisterTask("resize", ResizeTask);
    return valet.Run();
  } catch (const valet::app::ConfigError& error) {
    std::fprintf(stderr, "embedded_valet: %s\n", error.what());
    return 2;
  }
}
