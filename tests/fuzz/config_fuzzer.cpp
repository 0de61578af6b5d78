// Fuzzes the config loader: any text must give a Config or a one-line error, never a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "valet/app/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto config = valet::app::ParseConfig(std::string(reinterpret_cast<const char*>(data), size));
  if (!config.ok() && config.status().message().find('\n') != std::string::npos) {
    std::fprintf(stderr, "a config error spans lines: %s\n", config.status().message().c_str());
    std::abort();
  }
  return 0;
}
