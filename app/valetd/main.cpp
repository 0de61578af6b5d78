// valetd: the valet server with the example tasks.
//
//   valetd [--config FILE] [--role all|api|worker]   serve (FILE defaults to ./config.yaml;
//                                                     the role overrides the config's)
//   valetd --version                                 print the version and the linked adapters

#include <cstdio>
#include <cstring>
#include <string>

#include "demo_tasks.hpp"
#include "valet/valet.hpp"

namespace {

constexpr const char* kUsage =
    "usage: valetd [--config FILE] [--role all|api|worker] [--version]\n";

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = "config.yaml";
  std::string role;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--version" || arg == "-v") {
      std::printf("valetd %s (%s)\n", valet::Valet::Version().c_str(),
                  valet::Valet::LinkedAdapters().c_str());
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      config_path = arg.substr(std::strlen("--config="));
    } else if (arg == "--role" && i + 1 < argc) {
      role = argv[++i];
    } else if (arg.rfind("--role=", 0) == 0) {
      role = arg.substr(std::strlen("--role="));
    } else {
      std::fprintf(stderr, "valetd: unknown argument %s\n%s", arg.c_str(), kUsage);
      return 2;
    }
  }

  try {
    valet::Valet valet(config_path);
    if (!role.empty()) valet.SetRole(role);
    valetd::RegisterDemoTasks(valet);
    return valet.Run();
  } catch (const valet::app::ConfigError& error) {
    std::fprintf(stderr, "valetd: %s\n", error.what());
    return 2;
  }
}
