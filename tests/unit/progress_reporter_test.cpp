#include "valet/core/progress_reporter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "valet/testing/mock_ports.hpp"

namespace valet::core {
namespace {

using ::testing::Return;
using ::testing::StrictMock;

class ProgressReporterTest : public ::testing::Test {
 protected:
  StrictMock<testing::MockJobRepository> repository_;
};

TEST_F(ProgressReporterTest, WritesAReportAtOnceUnderTheLease) {
  EXPECT_CALL(repository_,
              SetProgress("job", "token", Json({{"fraction", 0.25}, {"message", "a quarter"}})))
      .WillOnce(Return(Status::Ok()));
  ProgressReporter reporter(repository_, "job", "token");
  reporter.Report(0.25, "a quarter");
  reporter.Flush();  // nothing kept back
}

TEST_F(ProgressReporterTest, ReportsWithinTheIntervalAreKeptAndTheLastIsFlushed) {
  ::testing::InSequence in_order;
  EXPECT_CALL(repository_, SetProgress("job", "token", Json({{"fraction", 0.0}})))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(repository_, SetProgress("job", "token", Json({{"fraction", 0.3}})))
      .WillOnce(Return(Status::Ok()));
  ProgressReporter reporter(repository_, "job", "token", std::chrono::hours{1});
  reporter.Report(0.0, "");
  reporter.Report(0.1, "");
  reporter.Report(0.2, "");
  reporter.Report(0.3, "");
  reporter.Flush();
}

TEST_F(ProgressReporterTest, ClampsTheFractionIgnoresNanAndCutsLongMessages) {
  ::testing::InSequence in_order;
  EXPECT_CALL(repository_, SetProgress("job", "token", Json({{"fraction", 1.0}})))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(repository_, SetProgress("job", "token", Json({{"fraction", 0.0}})))
      .WillOnce(Return(Status::Ok()));
  // 1023 bytes of 'a' then a 2-byte character: cut before it rather than through it.
  std::string message = std::string(1023, 'a') + "é" + "tail";
  EXPECT_CALL(
      repository_,
      SetProgress("job", "token", Json({{"fraction", 0.5}, {"message", std::string(1023, 'a')}})))
      .WillOnce(Return(Status::Ok()));
  ProgressReporter reporter(repository_, "job", "token", std::chrono::milliseconds{0});
  reporter.Report(7.0, "");
  reporter.Report(std::nan(""), "");
  reporter.Report(-1.0, "");
  reporter.Report(0.5, message);
}

TEST_F(ProgressReporterTest, AJobNoLongerUnderTheLeaseIsLeftAlone) {
  EXPECT_CALL(repository_, SetProgress("job", "token", ::testing::_))
      .WillOnce(Return(Status::Conflict("no longer held")));
  ProgressReporter reporter(repository_, "job", "token");
  reporter.Report(0.9, "late");  // no throw, no retry
}

}  // namespace
}  // namespace valet::core
