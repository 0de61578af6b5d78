#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "valet/adapters/redis/redis_url.hpp"
#include "valet/ports/job_queue.hpp"

namespace valet::adapters::redis {

class RedisPool;

struct RedisQueueOptions {
  RedisEndpoint endpoint;                   // from REDIS_URL
  std::string key_prefix = "valet";         // every key is "{<key_prefix>}:queue:..."
  int pool_size = 10;                       // connections for pushes, acks and leases
  int min_idle_conns = 10;                  // of those, opened at start and kept while idle
  std::chrono::milliseconds timeout{5000};  // connect and per-command timeout
  // How long a delivery stays leased without a renewal. The adapter renews the leases of the
  // deliveries it holds every lease/3, so a long job keeps its lease while its process lives;
  // the jobs of a process that died are delivered again once their lease runs out.
  std::chrono::milliseconds lease{30000};
  // Jobs taken from Redis per round trip when several are waiting, at the least (a
  // ReceiveBatch() takes as many as it asks for); the extra ones wait, leased, for this
  // process's next receive. 1 takes only what is asked for.
  int prefetch = 1;
};

// A reliable JobQueue on Redis lists (hiredis), the "reliable queue" pattern of the LMOVE docs
// with leases (as asynq and BullMQ do it). Keys, all under the hash tag {p} of the key prefix:
//   {p}:queue:ready        list of waiting entries, pushed on the left, taken from the right
//   {p}:queue:processing   list of delivered entries not yet acked
//   {p}:queue:leases       sorted set: delivered entry -> lease expiry (ms, the server's clock)
// An entry is "<token>|<earlier deliveries>|<job id>", unique per push; it is the delivery's
// receipt. Receive() moves an entry from ready to processing and leases it in one Lua script
// (with expired leases put back first, at the head of the queue); when nothing is waiting it
// blocks in BLMOVE ready -> processing on a connection of its own, then leases what it got, and
// a background pass gives a lease to any entry left in processing without one (a receiver that
// died between the two), so nothing is ever stranded. Ack() removes the entry from processing
// and leases; Nack() removes it and, to requeue, puts it back at the head with its delivery count
// raised. Both are fenced by the receipt: once a lease has expired and the job was put back, the
// old receipt matches nothing and Ack()/Nack() say so (kNotFound) instead of touching the new
// delivery.
//
// Why lists rather than a Streams consumer group: a Nack that requeues at the head, the delivery
// count carried in the entry and the lease fencing are a few lines of Lua over lists, while
// Streams would need XCLAIM tricks for requeues and a script around XACK for fencing.
//
// Leases run on the server's clock (TIME in the scripts), so instances need no clock agreement.
// A background thread renews the held deliveries' leases every lease/3 (one script call for all
// of them) and puts back expired and stranded entries. Close() wakes blocked receivers at once
// by shutting their sockets down. While Redis is down calls return kUnavailable; the pool
// reconnects by itself. The queue is unbounded: Push() never refuses for fullness.
class RedisJobQueue final : public JobQueue {
 public:
  // Connects and checks the server answers. kUnavailable if it cannot be reached,
  // kInvalidArgument for a bad key prefix, lease or refused credentials.
  static Result<std::unique_ptr<RedisJobQueue>> Open(const RedisQueueOptions& options);
  // Puts prefetched deliveries back; deliveries handed out and not acked are left to their
  // lease, as if this process had died.
  ~RedisJobQueue() override;

  Status Push(const std::string& job_id) override;
  Status PushBatch(const std::vector<std::string>& job_ids) override;
  Result<std::optional<Delivery>> Receive(std::chrono::milliseconds wait) override;
  Result<std::vector<Delivery>> ReceiveBatch(std::size_t max,
                                             std::chrono::milliseconds wait) override;
  Status Ack(const Delivery& delivery) override;
  Status AckBatch(const std::vector<Delivery>& deliveries) override;
  Status Nack(const Delivery& delivery, bool requeue) override;
  Status CheckHealth() override;
  // The length of the ready list (jobs prefetched by a process are no longer in it).
  Result<std::int64_t> Depth() override;
  bool IsDurable() const override { return true; }
  void Close() override;

 private:
  struct Keys {
    std::string ready;
    std::string processing;
    std::string leases;
  };

  RedisJobQueue(const RedisQueueOptions& options, std::unique_ptr<RedisPool> pool,
                std::unique_ptr<RedisPool> blocking_pool);
  // Takes up to `wanted` waiting entries (at least `prefetch`, the rest kept for later) into
  // `into`, without blocking.
  Status TakeWaiting(std::size_t wanted, std::vector<Delivery>& into);
  Result<std::optional<Delivery>> WaitForOne(std::chrono::milliseconds wait);
  std::optional<Delivery> HandOut(std::string entry);
  // Removes the delivery; with `requeue` puts the job back at the head, its delivery count
  // raised if `count_delivery` (a Nack) and unchanged if not (never handed out).
  Status Settle(const Delivery& delivery, bool requeue, bool count_delivery);
  void ReleasePrefetched();
  void Maintain();

  const Keys keys_;
  const std::chrono::milliseconds lease_;
  const std::chrono::milliseconds timeout_;
  const int prefetch_;
  const std::string token_prefix_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<RedisPool> blocking_pool_;
  std::atomic<std::uint64_t> next_token_{0};

  std::mutex mutex_;
  std::condition_variable stop_maintenance_;
  std::set<std::string> held_;          // entries leased by this process: renewed until settled
  std::deque<std::string> prefetched_;  // held entries not yet handed to a receiver
  std::set<int> blocked_fds_;           // sockets of receivers blocked in BLMOVE
  bool closed_ = false;
  bool stopping_ = false;
  std::thread maintenance_;
};

}  // namespace valet::adapters::redis
