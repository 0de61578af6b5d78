#pragma once

#include <string>

namespace valet {

// Makes the ids of new jobs and pipelines: lower-case UUID strings, unique across processes.
// Safe to call from any thread.
class IdGenerator {
 public:
  IdGenerator() = default;
  IdGenerator(const IdGenerator&) = delete;
  IdGenerator& operator=(const IdGenerator&) = delete;
  virtual ~IdGenerator() = default;

  virtual std::string NewId() = 0;
};

}  // namespace valet
