#include "valet/app/stream_logger.hpp"

#include <chrono>

#include "valet/core/time_format.hpp"
#include "valet/ports/json.hpp"

namespace valet::app {

namespace {

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

void StreamLogger::Write(LogLevel level, std::string_view component, std::string_view message,
                         std::span<const LogField> fields) {
  if (level < min_level_) return;
  try {
    std::string time = core::FormatTime(
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
    std::string line;
    if (format_ == LogFormat::kJson) {
      Json entry{{"time", time},
                 {"level", LevelName(level)},
                 {"component", component},
                 {"message", message}};
      for (const LogField& field : fields) entry[std::string(field.key)] = field.value;
      line = entry.dump(-1, ' ', false, Json::error_handler_t::replace);
    } else {
      line.append(time).append(" ").append(LevelName(level)).append(" ");
      line.append(component).append(": ").append(message);
      for (const LogField& field : fields) {
        line.append(" ").append(field.key).append("=");
        if (NeedsQuotes(field.value)) {
          line.append(Json(field.value).dump(-1, ' ', false, Json::error_handler_t::replace));
        } else {
          line.append(field.value);
        }
      }
    }
    line += '\n';
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stream_);
    std::fflush(stream_);
  } catch (...) {
    // A logger must never take its caller down.
  }
}

}  // namespace valet::app
