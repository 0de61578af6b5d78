#pragma once

#include <map>
#include <optional>
#include <string>

#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"

namespace valet::core {

// Reads optional fields of a JSON object as clients send them: null counts as absent, and a
// field of the wrong type is kInvalidArgument naming it (after `prefix`, such as "jobs[1].").
// Each reader leaves `out` as it was when the field is absent.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  Status String(const char* key, std::string& out) const;
  Status OptionalString(const char* key, std::optional<std::string>& out) const;
  // Integers that fit an int; "X is out of range" otherwise.
  Status Integer(const char* key, int& out) const;
  Status OptionalInteger(const char* key, std::optional<int>& out) const;
  Status Bool(const char* key, bool& out) const;
  Status OptionalBool(const char* key, std::optional<bool>& out) const;
  Status Object(const char* key, Json& out) const;
  // An object whose values are all strings.
  Status StringMap(const char* key, std::map<std::string, std::string>& out) const;

  // The field's value, or nullptr when it is absent or null.
  const Json* Find(const char* key) const;
  const std::string& prefix() const { return prefix_; }

 private:
  Status WrongType(const char* key, const char* expected) const;

  const Json& object_;
  std::string prefix_;
};

}  // namespace valet::core
