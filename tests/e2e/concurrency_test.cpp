// Many clients at once: every job accepted, every job completed, no id twice.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "valetd_test.hpp"

namespace valet::e2e {
namespace {

constexpr int kWriters = 8;
constexpr int kJobsPerWriter = 250;
constexpr int kReaders = 2;
constexpr long kTotalJobs = kWriters * kJobsPerWriter;

class ConcurrencyTest : public ValetdTest {};

TEST_F(ConcurrencyTest, ConcurrentClientsGetEveryJobAcceptedAndCompleted) {
  std::vector<std::vector<std::string>> ids(kWriters);
  std::vector<std::vector<std::string>> refusals(kWriters);
  std::atomic<bool> writing{true};
  std::atomic<int> reads{0};
  std::atomic<int> failed_reads{0};

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      HttpClient http(port());
      const std::string body =
          Json{{"name", "load-" + std::to_string(w)}, {"task_name", "noop"}}.dump();
      for (int i = 0; i < kJobsPerWriter; ++i) {
        HttpReply reply = http.PostRaw("/api/jobs", body);
        if (reply.status == 202) {
          ids[w].push_back(reply.json().value("id", ""));
        } else {
          refusals[w].push_back(std::to_string(reply.status) + " " + reply.body);
        }
      }
    });
  }
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      HttpClient http(port());
      while (writing) {
        HttpReply reply = http.Get(r == 0 ? "/api/status" : "/api/jobs?status=pending");
        ++reads;
        if (reply.status != 200 || !reply.json().is_object()) ++failed_reads;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  writing = false;
  for (auto& reader : readers) reader.join();

  std::set<std::string> unique;
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_TRUE(refusals[w].empty()) << "writer " << w << " got " << refusals[w].size()
                                     << " refusals, first: " << refusals[w].front();
    for (const std::string& id : ids[w]) {
      EXPECT_TRUE(IsUuid(id)) << id;
      unique.insert(id);
    }
  }
  EXPECT_EQ(static_cast<long>(unique.size()), kTotalJobs) << "ids are not unique";
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(failed_reads.load(), 0);

  auto deadline = std::chrono::steady_clock::now() + 3 * kWaitLimit;
  long completed = CountJobs(client(), "completed");
  while (completed < kTotalJobs && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    completed = CountJobs(client(), "completed");
  }
  EXPECT_EQ(completed, kTotalJobs);
  EXPECT_EQ(CountJobs(client()), kTotalJobs);
}

}  // namespace
}  // namespace valet::e2e
