#pragma once

#include <string>

#include "valet/core/requests.hpp"
#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::core {

// A group request as a client sends it:
//   {"name", "description", "members": [{"job": {...}} | {"pipeline": {...}}], "then": {...}}
// A known field of the wrong type is kInvalidArgument naming it; unknown fields are ignored.
// Also reads a group's stored definition back (its "members" and "then").
Result<GroupRequest> GroupRequestFromJson(const Json& object);

// What a Group stores as its definition: {"members": [...], "then": {...}} ("then" only with a
// chord), in the request shapes of request_json.hpp.
Json DefinitionToJson(const GroupRequest& request);

}  // namespace valet::core
