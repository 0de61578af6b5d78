#include "proto_values.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace valet::adapters::grpc {
namespace {

TEST(ProtoValuesTest, ValuesRoundTripThroughAStruct) {
  Json params{{"name", "x"},
              {"count", 3},
              {"ratio", 0.25},
              {"on", true},
              {"none", nullptr},
              {"list", {1, "two", Json::array(), Json::object()}},
              {"nested", {{"deeper", {{"n", -7}}}}}};
  google::protobuf::Struct proto;
  JsonToStruct(params, &proto);
  auto back = JsonFromStruct(proto, "task_params");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, params);
}

TEST(ProtoValuesTest, WholeNumbersBecomeIntegersOthersStayFloatingPoint) {
  google::protobuf::Struct proto;
  auto& fields = *proto.mutable_fields();
  fields["ms"].set_number_value(300);
  fields["half"].set_number_value(0.5);
  fields["huge"].set_number_value(1e20);
  fields["negative"].set_number_value(-42);
  auto json = JsonFromStruct(proto, "task_params");
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE((*json)["ms"].is_number_integer());
  EXPECT_EQ((*json)["ms"], 300);
  EXPECT_TRUE((*json)["negative"].is_number_integer());
  EXPECT_TRUE((*json)["half"].is_number_float());
  EXPECT_TRUE((*json)["huge"].is_number_float());
}

TEST(ProtoValuesTest, NonFiniteNumbersAreRefusedNamingTheValue) {
  google::protobuf::Struct proto;
  auto* list = (*proto.mutable_fields())["a"].mutable_list_value();
  list->add_values()->set_number_value(1);
  auto* inner = list->add_values()->mutable_struct_value();
  (*inner->mutable_fields())["b"].set_number_value(std::numeric_limits<double>::infinity());
  auto json = JsonFromStruct(proto, "task_params");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(json.status().message(), "task_params.a[1].b must be a finite number");
}

TEST(ProtoValuesTest, DeepNestingIsRefused) {
  Json deep = Json::object();
  for (int i = 0; i < 70; ++i) deep = Json{{"x", deep}};
  google::protobuf::Struct proto;
  JsonToStruct(deep, &proto);
  auto json = JsonFromStruct(proto, "task_params");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().message(), "task_params is nested more than 64 levels deep");
}

TEST(ProtoValuesTest, AnUnsetValueReadsAsNull) {
  google::protobuf::Struct proto;
  (*proto.mutable_fields())["empty"];
  auto json = JsonFromStruct(proto, "task_params");
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE((*json)["empty"].is_null());
}

TEST(ProtoValuesTest, ScalarsBecomeValues) {
  google::protobuf::Value value;
  JsonToValue(Json("some metadata"), &value);
  EXPECT_EQ(value.string_value(), "some metadata");
  JsonToValue(Json(nullptr), &value);
  EXPECT_EQ(value.kind_case(), google::protobuf::Value::kNullValue);
  JsonToValue(Json::array({1, 2}), &value);
  EXPECT_EQ(value.list_value().values_size(), 2);
}

TEST(ProtoValuesTest, TimestampsKeepMicrosecondsAlsoBefore1970) {
  google::protobuf::Timestamp timestamp;
  TimeToTimestamp(TimePoint{std::chrono::microseconds{1'500'000'123'456}}, &timestamp);
  EXPECT_EQ(timestamp.seconds(), 1'500'000);
  EXPECT_EQ(timestamp.nanos(), 123'456'000);
  TimeToTimestamp(TimePoint{std::chrono::microseconds{-1}}, &timestamp);
  EXPECT_EQ(timestamp.seconds(), -1);
  EXPECT_EQ(timestamp.nanos(), 999'999'000);
}

}  // namespace
}  // namespace valet::adapters::grpc
