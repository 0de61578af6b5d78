#include "http_throughput.hpp"

#include <Poco/Exception.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "api_client.hpp"

namespace valet::bench {

namespace {

// The loop of one load thread over its share of the connections. Requests go out on all of them
// before any reply is read, so `connections` requests are in flight however few threads there are.
void DriveConnections(const LoadOptions& options, int count, SteadyClock::time_point deadline,
                      LoadResult& result) {
  std::vector<std::unique_ptr<ApiClient>> clients;
  for (int i = 0; i < count; ++i) clients.push_back(std::make_unique<ApiClient>(options.server));
  std::vector<bool> sent(clients.size());
  while (SteadyClock::now() < deadline) {
    for (std::size_t i = 0; i < clients.size(); ++i) {
      try {
        clients[i]->Send(options.method, options.path, options.body);
        sent[i] = true;
      } catch (const Poco::Exception&) {
        ++result.errors;
        clients[i]->Reset();
        sent[i] = false;
      }
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
      if (!sent[i]) continue;
      try {
        int status = clients[i]->Receive().status;
        if (status == options.expected_status) {
          ++result.expected;
        } else {
          ++result.other_statuses[status];
        }
      } catch (const Poco::Exception&) {
        ++result.errors;
        clients[i]->Reset();
      }
    }
  }
  result.end = SteadyClock::now();
}

}  // namespace

std::int64_t LoadResult::others() const {
  std::int64_t sum = 0;
  for (const auto& [status, count] : other_statuses) sum += count;
  return sum;
}

LoadResult RunLoad(const LoadOptions& options) {
  int threads = std::max(1, std::min(options.threads, options.connections));
  std::vector<LoadResult> partial(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  LoadResult total;
  total.start = SteadyClock::now();
  auto deadline = total.start + options.duration;
  for (int t = 0; t < threads; ++t) {
    int share = options.connections / threads + (t < options.connections % threads ? 1 : 0);
    workers.emplace_back(DriveConnections, std::cref(options), share, deadline,
                         std::ref(partial[static_cast<std::size_t>(t)]));
  }
  for (auto& worker : workers) worker.join();

  total.end = total.start;
  for (const LoadResult& part : partial) {
    total.expected += part.expected;
    total.errors += part.errors;
    for (const auto& [status, count] : part.other_statuses) total.other_statuses[status] += count;
    total.end = std::max(total.end, part.end);
  }
  return total;
}

}  // namespace valet::bench
