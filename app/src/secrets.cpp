#include "valet/app/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

namespace valet::app {

std::string ReadSecret(const std::string& name) {
  if (const char* value = std::getenv(name.c_str()); value && *value) return value;
  const char* dir = std::getenv("VALET_SECRETS_DIR");
  std::string file_name = name;
  std::transform(file_name.begin(), file_name.end(), file_name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::ifstream file(std::string(dir && *dir ? dir : "/run/secrets") + "/" + file_name);
  std::string line;
  if (file) std::getline(file, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace valet::app
