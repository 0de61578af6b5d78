#pragma once

#include <string>

namespace valet::e2e {

// Runs valetd on the config `yaml`, expecting it to refuse to start: a non-zero exit, nothing on
// stdout and `lines` lines on stderr, each a line of valet's log (gRPC's own lines included).
// Failures are reported to the running test; returns stderr.
std::string StartUpError(const std::string& yaml, long lines = 1);

}  // namespace valet::e2e
