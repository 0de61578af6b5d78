#pragma once

#include "valet/ports/logger.hpp"

namespace valet::bench {

// Drops every line: a bench measures the engine, not the formatting of log lines.
class NullLogger final : public Logger {
 public:
  void Write(LogLevel, std::string_view, std::string_view, std::span<const LogField>) override {}
};

}  // namespace valet::bench
