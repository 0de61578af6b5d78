#pragma once

#include <yaml-cpp/yaml.h>

#include "valet/ports/json.hpp"

namespace valet::app {

// YAML to JSON for config sections. Plain scalars become numbers, booleans or null when they read
// as such (YAML 1.2 core schema); quoted scalars stay strings.
Json YamlToJson(const YAML::Node& node);

}  // namespace valet::app
