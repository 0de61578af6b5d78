#pragma once

#include <gmock/gmock.h>

#include "valet/ports/id_generator.hpp"
#include "valet/ports/job_queue.hpp"
#include "valet/ports/job_repository.hpp"
#include "valet/ports/logger.hpp"

namespace valet::testing {

class MockJobRepository : public JobRepository {
 public:
  MOCK_METHOD(Status, CreateJob, (const Job&), (override));
  MOCK_METHOD(Status, CreateJobs, (const std::vector<Job>&), (override));
  MOCK_METHOD(Result<Job>, GetJob, (const std::string&), (override));
  MOCK_METHOD(Result<std::vector<Job>>, ListJobs, (std::optional<JobStatus>), (override));
  MOCK_METHOD(Result<JobPage>, FindJobs, (const JobQuery&), (override));
  MOCK_METHOD(Result<std::vector<std::string>>, ListFinished,
              (FinishedKind, TimePoint, std::size_t), (override));
  MOCK_METHOD(Result<OptionalTime>, NthLatestFinish, (FinishedKind, std::size_t), (override));
  MOCK_METHOD(Status, PatchJob, (const std::string&, const JobInfoPatch&), (override));
  MOCK_METHOD(Status, TransitionJob, (const std::string&, const Transition&), (override));
  MOCK_METHOD(Result<std::vector<bool>>, TransitionJobs, (const std::vector<JobTransition>&),
              (override));
  MOCK_METHOD(Result<Job>, StartJob, (const std::string&, const Lease&), (override));
  MOCK_METHOD(Result<std::vector<Job>>, StartJobs, (const std::vector<std::string>&, const Lease&),
              (override));
  MOCK_METHOD(Status, RenewLease, (const std::string&, const std::string&, TimePoint), (override));
  MOCK_METHOD(Status, SetProgress, (const std::string&, const std::string&, const Json&),
              (override));
  MOCK_METHOD(Result<std::vector<Job>>, ListExpiredLeases, (TimePoint, std::size_t), (override));
  MOCK_METHOD(Status, DeleteJob, (const std::string&), (override));
  MOCK_METHOD(Result<std::vector<Job>>, ClaimDueJobs, (TimePoint, std::size_t), (override));
  MOCK_METHOD(Result<OptionalTime>, NextDueTime, (), (override));
  MOCK_METHOD(Result<std::vector<Job>>, ClaimStrandedJobs, (TimePoint, TimePoint, std::size_t),
              (override));
  MOCK_METHOD(Result<std::string>, CreateJobOnce, (const Job&, const IdempotencyKey&), (override));
  MOCK_METHOD(Status, CreatePipeline, (const Pipeline&, const std::vector<Job>&), (override));
  MOCK_METHOD(Result<std::string>, CreatePipelineOnce,
              (const Pipeline&, const std::vector<Job>&, const IdempotencyKey&), (override));
  MOCK_METHOD(Result<Pipeline>, GetPipeline, (const std::string&), (override));
  MOCK_METHOD(Result<std::vector<Pipeline>>, ListPipelines, (std::optional<JobStatus>), (override));
  MOCK_METHOD(Result<std::vector<Job>>, ListPipelineJobs, (const std::string&), (override));
  MOCK_METHOD(Status, PatchPipeline, (const std::string&, const JobInfoPatch&), (override));
  MOCK_METHOD(Status, TransitionPipeline, (const std::string&, const Transition&), (override));
  MOCK_METHOD(Status, DeletePipeline, (const std::string&), (override));
  MOCK_METHOD(Result<JobResult>, GetResult, (const std::string&), (override));
  MOCK_METHOD(Status, DeleteResult, (const std::string&), (override));
  MOCK_METHOD(ScheduleRepository&, Schedules, (), (override));
  MOCK_METHOD(GroupRepository&, Groups, (), (override));
  MOCK_METHOD(Status, CheckHealth, (), (override));
};

class MockScheduleRepository : public ScheduleRepository {
 public:
  MOCK_METHOD(Status, CreateSchedule, (const Schedule&), (override));
  MOCK_METHOD(Result<Schedule>, GetSchedule, (const std::string&), (override));
  MOCK_METHOD(Result<std::vector<Schedule>>, ListSchedules, (), (override));
  MOCK_METHOD(Status, UpdateSchedule, (const Schedule&), (override));
  MOCK_METHOD(Status, DeleteSchedule, (const std::string&), (override));
  MOCK_METHOD(Result<std::vector<Schedule>>, ListDueSchedules, (TimePoint, std::size_t),
              (override));
};

class MockJobQueue : public JobQueue {
 public:
  MOCK_METHOD(Status, Push, (const std::string&), (override));
  MOCK_METHOD(Status, PushBatch, (const std::vector<std::string>&), (override));
  MOCK_METHOD(Result<std::optional<Delivery>>, Receive, (std::chrono::milliseconds), (override));
  MOCK_METHOD(Result<std::vector<Delivery>>, ReceiveBatch, (std::size_t, std::chrono::milliseconds),
              (override));
  MOCK_METHOD(Status, Ack, (const Delivery&), (override));
  MOCK_METHOD(Status, AckBatch, (const std::vector<Delivery>&), (override));
  MOCK_METHOD(Status, Nack, (const Delivery&, bool), (override));
  MOCK_METHOD(Status, CheckHealth, (), (override));
  MOCK_METHOD(Result<std::int64_t>, Depth, (), (override));
  MOCK_METHOD(bool, IsDurable, (), (const, override));
  MOCK_METHOD(void, Close, (), (override));
};

}  // namespace valet::testing
