#pragma once

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "valet/ports/json.hpp"
#include "valet/ports/status.hpp"
#include "valet/ports/time.hpp"

namespace valet::adapters::grpc {

// protobuf's JSON-like types and valet's Json. A Struct number that is a whole number within
// ±2^53 becomes a JSON integer (so `{"ms": 300}` reaches a task as 300, not 300.0); other
// numbers stay floating point. NaN and infinities have no JSON form and are kInvalidArgument
// naming the field (`task_params.ratio must be a finite number`), as is a value nested more than
// 64 levels deep.
Result<Json> JsonFromStruct(const google::protobuf::Struct& value, const std::string& field);

// Integers beyond ±2^53 lose precision: a protobuf number is a double.
void JsonToStruct(const Json& object, google::protobuf::Struct* out);
void JsonToValue(const Json& value, google::protobuf::Value* out);

void TimeToTimestamp(TimePoint time, google::protobuf::Timestamp* out);

}  // namespace valet::adapters::grpc
