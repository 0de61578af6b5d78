// The names and numbers valet's Go clients were generated with: changing any of them breaks
// those clients, so each is pinned here (valet v0.8.7, internal/handler/*/protos).

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "job_service.pb.h"
#include "jobresult_service.pb.h"
#include "pipeline_service.pb.h"
#include "task_service.pb.h"

namespace valet::adapters::grpc {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;

struct Field {
  const char* name;
  int number;
  FieldDescriptor::Type type;
};

constexpr auto kString = FieldDescriptor::TYPE_STRING;
constexpr auto kInt32 = FieldDescriptor::TYPE_INT32;
constexpr auto kInt64 = FieldDescriptor::TYPE_INT64;
constexpr auto kMessage = FieldDescriptor::TYPE_MESSAGE;

// The generated pool, with the four files in it: a file's descriptors are there once its
// generated code is linked, which naming one of its messages makes sure of.
const DescriptorPool* Pool() {
  for (const Descriptor* linked :
       {::job::GetJobResponse::descriptor(), ::pipeline::GetPipelineResponse::descriptor(),
        ::jobresult::GetJobResultResponse::descriptor(), ::task::GetTasksResponse::descriptor()}) {
    EXPECT_EQ(linked->file()->pool(), DescriptorPool::generated_pool());
  }
  return DescriptorPool::generated_pool();
}

void ExpectFields(const char* message, const std::vector<Field>& fields) {
  const Descriptor* descriptor = Pool()->FindMessageTypeByName(message);
  ASSERT_NE(descriptor, nullptr) << message;
  for (const Field& field : fields) {
    const FieldDescriptor* found = descriptor->FindFieldByName(field.name);
    ASSERT_NE(found, nullptr) << message << "." << field.name;
    EXPECT_EQ(found->number(), field.number) << message << "." << field.name;
    EXPECT_EQ(found->type(), field.type) << message << "." << field.name;
  }
}

void ExpectMethods(const char* service, const std::vector<std::string>& methods) {
  const auto* descriptor = Pool()->FindServiceByName(service);
  ASSERT_NE(descriptor, nullptr) << service;
  for (const std::string& method : methods) {
    EXPECT_NE(descriptor->FindMethodByName(method), nullptr) << service << "/" << method;
  }
}

TEST(WireNumbersTest, ServicesKeepValetsMethods) {
  ExpectMethods("job.Job", {"Create", "Get", "GetJobs", "Update", "Delete", "Cancel"});
  ExpectMethods("pipeline.Pipeline",
                {"Create", "Get", "GetPipelines", "GetPipelineJobs", "Update", "Delete", "Cancel"});
  ExpectMethods("jobresult.JobResult", {"Get", "Delete"});
  ExpectMethods("task.Task", {"GetTasks"});
}

TEST(WireNumbersTest, JobMessagesKeepValetsNumbers) {
  ExpectFields("job.CreateJobRequest", {{"name", 1, kString},
                                        {"description", 2, kString},
                                        {"task_name", 3, kString},
                                        {"timeout", 4, kInt32},
                                        {"task_params", 5, kMessage},
                                        {"run_at", 6, kString}});
  std::vector<Field> common{
      {"id", 1, kString},           {"name", 2, kString},    {"task_name", 3, kString},
      {"task_params", 4, kMessage}, {"timeout", 5, kInt32},  {"description", 6, kString},
      {"status", 7, kInt32},        {"run_at", 9, kMessage}, {"created_at", 11, kMessage}};
  ExpectFields("job.CreateJobResponse", common);
  common.insert(common.end(), {{"failure_reason", 8, kString},
                               {"scheduled_at", 10, kMessage},
                               {"started_at", 12, kMessage},
                               {"completed_at", 13, kMessage},
                               {"duration", 14, kInt64}});
  ExpectFields("job.GetJobResponse", common);
  ExpectFields("job.GetJobRequest", {{"id", 1, kString}});
  ExpectFields("job.GetJobsRequest", {{"status", 1, kString}});
  ExpectFields("job.GetJobsResponse", {{"jobs", 1, kMessage}});
  ExpectFields("job.UpdateJobRequest",
               {{"id", 1, kString}, {"name", 2, kString}, {"description", 3, kString}});
  ExpectFields("job.DeleteJobRequest", {{"id", 1, kString}});
}

TEST(WireNumbersTest, PipelineMessagesKeepValetsNumbers) {
  ExpectFields("pipeline.CreatePipelineRequest", {{"name", 1, kString},
                                                  {"description", 2, kString},
                                                  {"run_at", 3, kString},
                                                  {"jobs", 4, kMessage}});
  ExpectFields("pipeline.CreatePipelineResponse", {{"id", 1, kString},
                                                   {"name", 2, kString},
                                                   {"description", 3, kString},
                                                   {"jobs", 4, kMessage},
                                                   {"status", 5, kInt32},
                                                   {"run_at", 6, kMessage},
                                                   {"created_at", 7, kMessage}});
  ExpectFields("pipeline.GetPipelineResponse", {{"id", 1, kString},
                                                {"name", 2, kString},
                                                {"description", 3, kString},
                                                {"status", 4, kInt32},
                                                {"run_at", 5, kMessage},
                                                {"created_at", 6, kMessage},
                                                {"started_at", 7, kMessage},
                                                {"completed_at", 8, kMessage},
                                                {"duration", 9, kInt64}});
  for (const char* request : {"pipeline.GetPipelineRequest", "pipeline.GetPipelineJobsRequest",
                              "pipeline.DeletePipelineRequest"}) {
    ExpectFields(request, {{"id", 1, kString}});
  }
  ExpectFields("pipeline.GetPipelinesRequest", {{"status", 1, kString}});
  ExpectFields("pipeline.UpdatePipelineRequest",
               {{"id", 1, kString}, {"name", 2, kString}, {"description", 3, kString}});
  ExpectFields("pipeline.GetPipelinesResponse", {{"pipelines", 1, kMessage}});
  ExpectFields("pipeline.GetPipelineJobsResponse", {{"jobs", 1, kMessage}});
}

TEST(WireNumbersTest, ResultAndTaskMessagesKeepValetsNumbers) {
  ExpectFields("jobresult.GetJobResultRequest", {{"job_id", 1, kString}});
  ExpectFields("jobresult.DeleteJobResultRequest", {{"job_id", 1, kString}});
  ExpectFields("jobresult.GetJobResultResponse",
               {{"job_id", 1, kString}, {"metadata", 2, kMessage}, {"error", 3, kString}});
  EXPECT_EQ(::jobresult::GetJobResultResponse::descriptor()
                ->FindFieldByName("metadata")
                ->message_type()
                ->full_name(),
            "google.protobuf.Value");
  ExpectFields("task.GetTasksResponse", {{"tasks", 1, kString}});
}

}  // namespace
}  // namespace valet::adapters::grpc
