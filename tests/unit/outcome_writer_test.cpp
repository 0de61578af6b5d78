#include "valet/core/outcome_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "valet/testing/fakes.hpp"
#include "valet/testing/mock_ports.hpp"

namespace valet::core {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Return;
using ::testing::SizeIs;
using ::testing::StrictMock;

const TimePoint kAt{std::chrono::seconds{1'900'000'000}};

OutcomeWriter::Outcome Completed(const std::string& id, std::function<void(bool)> then = {}) {
  Transition transition{JobStatus::kInProgress, JobStatus::kCompleted, kAt, {}, {}};
  transition.result = JobResult{id, "done", ""};
  return {{id, transition}, Delivery{id, "receipt-" + id, 1}, std::move(then)};
}

class OutcomeWriterTest : public ::testing::Test {
 protected:
  StrictMock<testing::MockJobRepository> repository_;
  StrictMock<testing::MockJobQueue> queue_;
  testing::RecordingLogger logger_;
};

TEST_F(OutcomeWriterTest, StoresTheOutcomeThenCallsBackThenAcks) {
  ::testing::InSequence in_order;
  std::promise<bool> called_back;
  EXPECT_CALL(repository_, TransitionJobs(ElementsAre(Field(&JobTransition::job_id, "a"))))
      .WillOnce(Return(std::vector<bool>{true}));
  EXPECT_CALL(queue_, AckBatch(ElementsAre(Field(&Delivery::receipt, "receipt-a"))))
      .WillOnce(Return(Status::Ok()));
  OutcomeWriter writer(repository_, queue_, logger_);
  writer.Write(Completed("a", [&](bool applied) { called_back.set_value(applied); }));
  EXPECT_TRUE(called_back.get_future().get());
}

TEST_F(OutcomeWriterTest, OutcomesThatArriveDuringAWriteGoInTheNextBatchTogether) {
  std::promise<void> release;
  std::promise<void> first_write_started;
  EXPECT_CALL(repository_, TransitionJobs(SizeIs(1)))
      .WillOnce([&](const std::vector<JobTransition>&) {
        first_write_started.set_value();
        release.get_future().wait();
        return Result<std::vector<bool>>(std::vector<bool>{true});
      });
  EXPECT_CALL(repository_, TransitionJobs(SizeIs(3)))
      .WillOnce(Return(std::vector<bool>{true, false, true}));
  EXPECT_CALL(queue_, AckBatch(SizeIs(1))).WillOnce(Return(Status::Ok()));
  // A change that was not applied (decided by someone else) is acked as well.
  EXPECT_CALL(queue_, AckBatch(SizeIs(3))).WillOnce(Return(Status::Ok()));
  OutcomeWriter writer(repository_, queue_, logger_);
  // The first outcome's thread writes it, and then whatever was handed over meanwhile.
  std::thread first([&] { writer.Write(Completed("first")); });
  first_write_started.get_future().wait();
  std::vector<bool> applied;
  for (const char* id : {"b", "c", "d"}) {
    // A write is under way: these return at once, left to that writer.
    writer.Write(Completed(id, [&](bool was) { applied.push_back(was); }));
  }
  EXPECT_TRUE(applied.empty());
  release.set_value();
  first.join();
  EXPECT_EQ(applied, (std::vector<bool>{true, false, true}));
}

TEST_F(OutcomeWriterTest, TriesAnUnreachableRepositoryAgainThenGivesUp) {
  EXPECT_CALL(repository_, TransitionJobs(_))
      .Times(5)
      .WillRepeatedly(Return(Status::Unavailable("postgres is unavailable")));
  EXPECT_CALL(queue_, AckBatch(SizeIs(1))).WillOnce(Return(Status::Ok()));
  OutcomeWriter writer(repository_, queue_, logger_);
  std::optional<bool> applied;
  writer.Write(Completed("x", [&](bool was) { applied = was; }));
  EXPECT_EQ(applied, false);
  ASSERT_FALSE(logger_.lines().empty());
  EXPECT_THAT(logger_.lines().back(), ::testing::HasSubstr("cannot store the outcomes of jobs"));
}

TEST_F(OutcomeWriterTest, ARecoveredRepositoryTakesTheBatchOnALaterTry) {
  EXPECT_CALL(repository_, TransitionJobs(_))
      .WillOnce(Return(Status::Unavailable("down")))
      .WillOnce(Return(std::vector<bool>{true}));
  EXPECT_CALL(queue_, AckBatch(SizeIs(1))).WillOnce(Return(Status::Ok()));
  OutcomeWriter writer(repository_, queue_, logger_);
  std::optional<bool> applied;
  writer.Write(Completed("y", [&](bool was) { applied = was; }));
  EXPECT_EQ(applied, true);
}

TEST_F(OutcomeWriterTest, AnOutcomeWithoutADeliveryIsStoredAndNotAcked) {
  EXPECT_CALL(repository_, TransitionJobs(SizeIs(1))).WillOnce(Return(std::vector<bool>{true}));
  OutcomeWriter writer(repository_, queue_, logger_);
  OutcomeWriter::Outcome outcome = Completed("z");
  outcome.delivery.reset();
  writer.Write(std::move(outcome));
}

}  // namespace
}  // namespace valet::core
