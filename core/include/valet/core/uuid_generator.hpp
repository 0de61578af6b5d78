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

// A UUID (version 8, RFC 9562) that is a function of `name`: the same name always gives the same
// id. Built from a 128-bit non-cryptographic hash, so it names things the server derives (a
// schedule's tick), never anything a client could choose to collide.
std::string NameBasedUuid(std::string_view name);

// True for the canonical 36-character form (8-4-4-4-12 hex digits), any case.
bool IsUuid(std::string_view text);

}  // namespace valet::core
