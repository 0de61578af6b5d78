#pragma once

#include <optional>
#include <string>

#include "valet/ports/job_status.hpp"
#include "valet/ports/status.hpp"
#include "valet/ports/time.hpp"

namespace valet::core {

// Checks of what an API client sends, worded the same by every API (HTTP, gRPC).

// The `status` filter of the list calls, as valet reads it: "" means all; names are
// case-insensitive. Anything else is kInvalidArgument `invalid status: "NOT_STARTED"` (upper-cased,
// in double quotes, as valet says it).
Result<std::optional<JobStatus>> ParseStatusFilter(std::string text);
// A time bound of a list filter, RFC 3339 with a zone; "" is none. The message names `field`.
Result<OptionalTime> ParseTimeFilter(const std::string& field, const std::string& text);

// An idempotency key is opaque to valet; only its size and characters are checked: up to 255
// printable ASCII characters, as HTTP header values are, so that it is stored and compared byte
// for byte. "" means no key. kInvalidArgument otherwise.
Status CheckIdempotencyKey(const std::string& key);

}  // namespace valet::core
