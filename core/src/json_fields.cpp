#include "valet/core/json_fields.hpp"

#include <limits>

namespace valet::core {

const Json* FieldReader::Find(const char* key) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

Status FieldReader::WrongType(const char* key, const char* expected) const {
  return Status::InvalidArgument(prefix_ + key + " must be " + expected);
}

Status FieldReader::String(const char* key, std::string& out) const {
  const Json* value = Find(key);
  if (!value) return Status::Ok();
  if (!value->is_string()) return WrongType(key, "a string");
  out = value->get<std::string>();
  return Status::Ok();
}

Status FieldReader::OptionalString(const char* key, std::optional<std::string>& out) const {
  if (!Find(key)) return Status::Ok();
  std::string value;
  if (Status read = String(key, value); !read.ok()) return read;
  out = std::move(value);
  return Status::Ok();
}

Status FieldReader::Integer(const char* key, int& out) const {
  const Json* value = Find(key);
  if (!value) return Status::Ok();
  if (!value->is_number_integer()) return WrongType(key, "an integer");
  bool out_of_range = value->is_number_unsigned()
                          ? value->get<std::uint64_t>() >
                                static_cast<std::uint64_t>(std::numeric_limits<int>::max())
                          : (value->get<std::int64_t>() > std::numeric_limits<int>::max() ||
                             value->get<std::int64_t>() < std::numeric_limits<int>::min());
  if (out_of_range) return Status::InvalidArgument(prefix_ + key + " is out of range");
  out = value->get<int>();
  return Status::Ok();
}

Status FieldReader::OptionalInteger(const char* key, std::optional<int>& out) const {
  if (!Find(key)) return Status::Ok();
  int value = 0;
  if (Status read = Integer(key, value); !read.ok()) return read;
  out = value;
  return Status::Ok();
}

Status FieldReader::Bool(const char* key, bool& out) const {
  const Json* value = Find(key);
  if (!value) return Status::Ok();
  if (!value->is_boolean()) return WrongType(key, "a boolean");
  out = value->get<bool>();
  return Status::Ok();
}

Status FieldReader::OptionalBool(const char* key, std::optional<bool>& out) const {
  if (!Find(key)) return Status::Ok();
  bool value = false;
  if (Status read = Bool(key, value); !read.ok()) return read;
  out = value;
  return Status::Ok();
}

Status FieldReader::Object(const char* key, Json& out) const {
  const Json* value = Find(key);
  if (!value) return Status::Ok();
  if (!value->is_object()) return WrongType(key, "a JSON object");
  out = *value;
  return Status::Ok();
}

Status FieldReader::StringMap(const char* key, std::map<std::string, std::string>& out) const {
  const Json* value = Find(key);
  if (!value) return Status::Ok();
  if (!value->is_object()) return WrongType(key, "a JSON object of strings");
  std::map<std::string, std::string> read;
  for (const auto& [name, entry] : value->items()) {
    if (!entry.is_string()) {
      return Status::InvalidArgument(prefix_ + key + "." + name + " must be a string");
    }
    read.emplace(name, entry.get<std::string>());
  }
  out = std::move(read);
  return Status::Ok();
}

}  // namespace valet::core
