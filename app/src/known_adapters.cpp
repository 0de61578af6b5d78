#include "known_adapters.hpp"

#include <algorithm>
#include <cctype>

namespace valet::app {

std::string BuildOptionFor(const std::string& name) {
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return "VALET_WITH_" + upper;
}

}  // namespace valet::app
