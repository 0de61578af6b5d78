#pragma once

#include <cstdio>
#include <mutex>

#include "valet/app/config.hpp"
#include "valet/ports/logger.hpp"

namespace valet::app {

// Writes one line per entry to a stdio stream (stderr by default): readable text, or one JSON
// object per line with time, level, component, message and the fields.
class StreamLogger final : public Logger {
 public:
  explicit StreamLogger(LogFormat format, std::FILE* stream = stderr,
                        LogLevel min_level = LogLevel::kInfo)
      : format_(format), stream_(stream), min_level_(min_level) {}

  void Write(LogLevel level, std::string_view component, std::string_view message,
             std::span<const LogField> fields) override;

 private:
  LogFormat format_;
  std::FILE* stream_;
  LogLevel min_level_;
  std::mutex mutex_;
};

}  // namespace valet::app
