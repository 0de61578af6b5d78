// A user's own valetd: one typed task, registered and served with the settings of config.yaml.
//
//   embedded_valet [config.yaml]   serve
//   embedded_valet --self-test     check the task API and exit (used by the project's CI)

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

int main(int argc, char** argv) {
  std::string arg = argc > 1 ? argv[1] : "config.yaml";
  if (arg == "--self-test") {
    valet::Json params{{"image", "cat.png"}, {"width", 64}};
    valet::TaskContext ctx("self-test", params, std::nullopt, {});
    valet::TaskResult result = ResizeTask(ctx);
    bool ok =
        result.kind() == valet::TaskResult::Kind::kSuccess && result.metadata()["width"] == 64;
    std::printf("embedded valet %s: %s\n", valet::Valet::Version().c_str(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
  }
  try {
    valet::Valet valet(arg);
    valet.RegisterTask("resize", ResizeTask);
    return valet.Run();
  } catch (const valet::app::ConfigError& error) {
    std::fprintf(stderr, "embedded_valet: %s\n", error.what());
    return 2;
  }
}
