#include "temp_file.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace valet::e2e {

TempFile::TempFile(const std::string& suffix) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/valet-e2e-XXXXXX" + suffix;
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw std::runtime_error("cannot create a temporary file from " + pattern);
  close(fd);
  path_ = name.data();
}

TempFile::~TempFile() { unlink(path_.c_str()); }

void TempFile::Write(const std::string& content) const {
  std::ofstream file(path_, std::ios::trunc);
  file << content;
  if (!file) throw std::runtime_error("cannot write " + path_);
}

std::string TempFile::Read() const {
  std::ifstream file(path_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace valet::e2e
