#pragma once

#include <string>
#include <string_view>

#include "valet/ports/id_generator.hpp"

namespace valet::core {

// Random (version 4) UUIDs from a per-thread generator seeded by std::random_device.
class UuidGenerator final : public IdGenerator {
 public:
  std::string NewId() override;
};

// True for the canonical 36-character form (8-4-4-4-12 hex digits), any case.
bool IsUuid(std::string_view text);

}  // namespace valet::core
