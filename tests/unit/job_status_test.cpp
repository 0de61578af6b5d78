#include "valet/ports/job_status.hpp"

#include <gtest/gtest.h>

namespace valet {
namespace {

TEST(JobStatusTest, ParsesNamesInAnyCase) {
  EXPECT_EQ(ParseJobStatus("pending"), JobStatus::kPending);
  EXPECT_EQ(ParseJobStatus("In_Progress"), JobStatus::kInProgress);
  EXPECT_EQ(ParseJobStatus("COMPLETED"), JobStatus::kCompleted);
  EXPECT_EQ(ParseJobStatus("cancelled"), JobStatus::kCancelled);
  EXPECT_EQ(ParseJobStatus("done"), std::nullopt);
  EXPECT_EQ(ParseJobStatus(""), std::nullopt);
}

TEST(JobStatusTest, NamesRoundTrip) {
  for (JobStatus status : kAllJobStatuses) {
    EXPECT_EQ(ParseJobStatus(JobStatusName(status)), status);
  }
}

TEST(JobStatusTest, AllowsForwardTransitionsAndARunningJobBackToPending) {
  EXPECT_TRUE(IsLegalTransition(JobStatus::kPending, JobStatus::kScheduled));
  EXPECT_TRUE(IsLegalTransition(JobStatus::kPending, JobStatus::kInProgress));
  EXPECT_TRUE(IsLegalTransition(JobStatus::kScheduled, JobStatus::kInProgress));
  EXPECT_TRUE(IsLegalTransition(JobStatus::kInProgress, JobStatus::kCompleted));
  EXPECT_TRUE(IsLegalTransition(JobStatus::kInProgress, JobStatus::kFailed));
  EXPECT_FALSE(IsLegalTransition(JobStatus::kPending, JobStatus::kCompleted));
  EXPECT_FALSE(IsLegalTransition(JobStatus::kScheduled, JobStatus::kPending));
  EXPECT_TRUE(IsLegalTransition(JobStatus::kInProgress, JobStatus::kPending));  // a retry
  EXPECT_FALSE(IsLegalTransition(JobStatus::kInProgress, JobStatus::kScheduled));
  for (JobStatus terminal : {JobStatus::kCompleted, JobStatus::kFailed, JobStatus::kCancelled}) {
    EXPECT_TRUE(IsTerminal(terminal));
    for (JobStatus to : kAllJobStatuses) EXPECT_FALSE(IsLegalTransition(terminal, to));
  }
}

}  // namespace
}  // namespace valet
