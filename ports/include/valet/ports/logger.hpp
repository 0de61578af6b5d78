#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace valet {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

struct LogField {
  std::string_view key;
  std::string value;
};

// Where valet writes what happens. `component` names the part that speaks ("scheduler",
// "http", ...); `fields` carry structured context such as a job id. Implementations must never
// throw and must be safe to call from any thread.
class Logger {
 public:
  Logger() = default;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  virtual ~Logger() = default;

  void Log(LogLevel level, std::string_view component, std::string_view message,
           std::initializer_list<LogField> fields = {}) {
    Write(level, component, message, std::span<const LogField>(fields.begin(), fields.size()));
  }
  // What Log() calls; also for fields gathered at run time.
  virtual void Write(LogLevel level, std::string_view component, std::string_view message,
                     std::span<const LogField> fields) = 0;
};

}  // namespace valet
