#include <vector>

#include "valet/core/task.hpp"

namespace valet {

void TaskContext::Log(LogLevel level, std::string_view message,
                      std::initializer_list<LogField> fields) const {
  if (!logger_) return;
  std::vector<LogField> line{
      {"job_id", job_id_}, {"task", task_name_}, {"attempt", std::to_string(attempt_)}};
  line.insert(line.end(), fields.begin(), fields.end());
  logger_->Write(level, "task", message, line);
}

}  // namespace valet
