#pragma once

#include <string>

namespace valet::e2e {

// A file in $TMPDIR (or /tmp) that is removed when the object goes away.
class TempFile {
 public:
  // Creates an empty file whose name ends with `suffix`; throws std::runtime_error on failure.
  explicit TempFile(const std::string& suffix = "");
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  void Write(const std::string& content) const;
  std::string Read() const;

 private:
  std::string path_;
};

}  // namespace valet::e2e
