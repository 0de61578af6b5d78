#include "proto_values.hpp"

#include <cmath>
#include <cstdint>

namespace valet::adapters::grpc {

namespace {

// As the HTTP API: writing a deeper document back out (a job's task_params in every reply)
// recurses once per level.
constexpr int kMaxDepth = 64;
// The largest magnitude below which every whole double is exact.
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

// Walks a Struct; `root` names the request field in the message about depth, `path` the value
// in the one about numbers.
class StructReader {
 public:
  explicit StructReader(const std::string& root) : root_(root) {}

  Result<Json> Object(const google::protobuf::Struct& value, const std::string& path, int depth) {
    if (depth > kMaxDepth) return TooDeep();
    Json object = Json::object();
    for (const auto& [key, member] : value.fields()) {
      auto json = Value(member, path + "." + key, depth + 1);
      if (!json.ok()) return json.status();
      object[key] = std::move(*json);
    }
    return object;
  }

 private:
  Result<Json> Value(const google::protobuf::Value& value, const std::string& path, int depth) {
    if (depth > kMaxDepth) return TooDeep();
    switch (value.kind_case()) {
      case google::protobuf::Value::kNumberValue:
        return Number(value.number_value(), path);
      case google::protobuf::Value::kStringValue:
        return Json(value.string_value());
      case google::protobuf::Value::kBoolValue:
        return Json(value.bool_value());
      case google::protobuf::Value::kStructValue:
        return Object(value.struct_value(), path, depth);
      case google::protobuf::Value::kListValue: {
        Json array = Json::array();
        const auto& items = value.list_value().values();
        for (int i = 0; i < items.size(); ++i) {
          auto item = Value(items[i], path + "[" + std::to_string(i) + "]", depth + 1);
          if (!item.ok()) return item.status();
          array.push_back(std::move(*item));
        }
        return array;
      }
      case google::protobuf::Value::kNullValue:
      case google::protobuf::Value::KIND_NOT_SET:
        break;
    }
    return Json(nullptr);
  }

  static Result<Json> Number(double number, const std::string& path) {
    if (!std::isfinite(number)) return Status::InvalidArgument(path + " must be a finite number");
    if (std::trunc(number) == number && std::fabs(number) <= kMaxExactInteger) {
      return Json(static_cast<std::int64_t>(number));
    }
    return Json(number);
  }

  Status TooDeep() const {
    return Status::InvalidArgument(root_ + " is nested more than " + std::to_string(kMaxDepth) +
                                   " levels deep");
  }

  const std::string& root_;
};

}  // namespace

Result<Json> JsonFromStruct(const google::protobuf::Struct& value, const std::string& field) {
  return StructReader(field).Object(value, field, 1);
}

void JsonToStruct(const Json& object, google::protobuf::Struct* out) {
  out->Clear();
  if (!object.is_object()) return;
  auto& fields = *out->mutable_fields();
  for (const auto& [key, member] : object.items()) JsonToValue(member, &fields[key]);
}

void JsonToValue(const Json& value, google::protobuf::Value* out) {
  switch (value.type()) {
    case Json::value_t::boolean:
      out->set_bool_value(value.get<bool>());
      return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      out->set_number_value(value.get<double>());
      return;
    case Json::value_t::string:
      out->set_string_value(value.get<std::string>());
      return;
    case Json::value_t::array: {
      auto* list = out->mutable_list_value();
      for (const Json& item : value) JsonToValue(item, list->add_values());
      return;
    }
    case Json::value_t::object:
      JsonToStruct(value, out->mutable_struct_value());
      return;
    case Json::value_t::null:
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  out->set_null_value(google::protobuf::NULL_VALUE);
}

void TimeToTimestamp(TimePoint time, google::protobuf::Timestamp* out) {
  auto micros = time.time_since_epoch().count();
  // Floor division: nanos must be from 0 to 999,999,999, also before 1970.
  auto seconds = micros / 1'000'000;
  auto rest = micros % 1'000'000;
  if (rest < 0) {
    seconds -= 1;
    rest += 1'000'000;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<std::int32_t>(rest * 1000));
}

}  // namespace valet::adapters::grpc
