// PATCH and DELETE of /api/jobs/{id}.

#include <gtest/gtest.h>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

class JobUpdatesTest : public ValetdTest {
 protected:
  // A finished job named "original" described as "before".
  Json FinishedJob() {
    std::string id = SubmitJob(
        client(), {{"name", "original"}, {"description", "before"}, {"task_name", "dummytask"}});
    if (id.empty()) return Json::object();
    return WaitForJob(client(), id);
  }

  Json Get(const std::string& id) { return client().Get("/api/jobs/" + id).json(); }
};

TEST_F(JobUpdatesTest, PatchDescriptionChangesOnlyTheDescription) {
  Json job = FinishedJob();
  std::string id = job.value("id", "");
  ASSERT_EQ(job["status"], "COMPLETED") << job.dump();

  HttpReply reply = client().Patch("/api/jobs/" + id, {{"description", "x"}});

  EXPECT_EQ(reply.status, 204) << reply.body;
  EXPECT_EQ(reply.body, "");
  Json expected = job;
  expected["description"] = "x";
  EXPECT_EQ(Get(id), expected);
}

TEST_F(JobUpdatesTest, PatchNameRenamesTheJob) {
  Json job = FinishedJob();
  std::string id = job.value("id", "");

  EXPECT_EQ(client().Patch("/api/jobs/" + id, {{"name", "renamed"}}).status, 204);

  Json expected = job;
  expected["name"] = "renamed";
  EXPECT_EQ(Get(id), expected);
}

TEST_F(JobUpdatesTest, PatchWithAWrongFieldTypeChangesNothing) {
  Json job = FinishedJob();
  std::string id = job.value("id", "");

  HttpReply reply = client().Patch("/api/jobs/" + id, {{"description", "x"}, {"name", 5}});

  EXPECT_EQ(ErrorMessage(reply, 400), "name must be a string");
  EXPECT_EQ(Get(id), job);
}

TEST_F(JobUpdatesTest, PatchWithMalformedJsonChangesNothing) {
  Json job = FinishedJob();
  std::string id = job.value("id", "");

  HttpReply reply = client().PatchRaw("/api/jobs/" + id, R"({"description": "x")");

  EXPECT_FALSE(ErrorMessage(reply, 400).empty());
  EXPECT_EQ(Get(id), job);
}

TEST_F(JobUpdatesTest, PatchOfAnUnknownJobIs404) {
  std::string id = "00000000-0000-4000-8000-000000000000";

  EXPECT_EQ(ErrorMessage(client().Patch("/api/jobs/" + id, {{"description", "x"}}), 404),
            "job with ID: " + id + " not found");
}

TEST_F(JobUpdatesTest, DeleteRemovesTheJobAndItsResult) {
  Json job = FinishedJob();
  std::string id = job.value("id", "");
  ASSERT_EQ(client().Get("/api/jobs/" + id + "/results").status, 200);

  HttpReply reply = client().Delete("/api/jobs/" + id);

  EXPECT_EQ(reply.status, 204) << reply.body;
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(ErrorMessage(client().Get("/api/jobs/" + id), 404),
            "job with ID: " + id + " not found");
  EXPECT_EQ(ErrorMessage(client().Get("/api/jobs/" + id + "/results"), 404),
            "job result with ID: " + id + " not found");
  EXPECT_EQ(ErrorMessage(client().Delete("/api/jobs/" + id), 404),
            "job with ID: " + id + " not found");
}

}  // namespace
}  // namespace valet::e2e
