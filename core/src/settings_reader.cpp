#include "valet/core/settings_reader.hpp"

namespace valet::core {

namespace {

const Json* Find(const AdapterSettings& settings, const char* key) {
  if (!settings.section.is_object()) return nullptr;
  auto it = settings.section.find(key);
  return it == settings.section.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

Status ReadInteger(const AdapterSettings& settings, const char* key, std::int64_t min,
                   std::int64_t max, std::int64_t& out) {
  const Json* value = Find(settings, key);
  if (!value) return Status::Ok();
  if (!value->is_number_integer() || value->get<std::int64_t>() < min ||
      value->get<std::int64_t>() > max) {
    return Status::InvalidArgument(settings.key + "." + key + " must be an integer from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got " +
                                   JsonText(*value));
  }
  out = value->get<std::int64_t>();
  return Status::Ok();
}

Status ReadString(const AdapterSettings& settings, const char* key, std::string& out) {
  const Json* value = Find(settings, key);
  if (!value) return Status::Ok();
  if (!value->is_string()) {
    return Status::InvalidArgument(settings.key + "." + key + " must be a string, got " +
                                   JsonText(*value));
  }
  out = value->get<std::string>();
  return Status::Ok();
}

}  // namespace valet::core
