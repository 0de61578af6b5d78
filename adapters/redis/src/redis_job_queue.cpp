#include "valet/adapters/redis/redis_job_queue.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <random>

#include "queue_scripts.hpp"
#include "redis_connection.hpp"
#include "valet/adapters/redis/redis_job_repository.hpp"

namespace valet::adapters::redis {

namespace {

using std::chrono::milliseconds;

const Script kTakeScript{scripts::kTake};
const Script kLeaseScript{scripts::kLease};
const Script kRenewScript{scripts::kRenew};
const Script kSettleScript{scripts::kSettle};
const Script kAckAllScript{scripts::kAckAll};
const Script kReapScript{scripts::kReap};

// A blocked receiver looks at Close() at least this often, even if its socket is not shut down.
constexpr milliseconds kBlockSlice{1000};
constexpr int kMaxBlockingConnections = 256;

// 64 random bits in hex: entries pushed by different processes never collide.
std::string RandomToken() {
  std::random_device device;
  std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

// "<token>|<earlier deliveries>|<job id>" -> job id and this delivery's count.
bool ParseEntry(const std::string& entry, std::string& job_id, int& delivery_count) {
  std::size_t first = entry.find('|');
  std::size_t second = first == std::string::npos ? first : entry.find('|', first + 1);
  if (second == std::string::npos) return false;
  int earlier = 0;
  auto [end, error] = std::from_chars(entry.data() + first + 1, entry.data() + second, earlier);
  if (error != std::errc() || end != entry.data() + second) return false;
  job_id = entry.substr(second + 1);
  delivery_count = earlier + 1;
  return true;
}

std::string BlockSeconds(milliseconds slice) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(slice.count()) / 1000.0);
  return text;
}

}  // namespace

Result<std::unique_ptr<RedisJobQueue>> RedisJobQueue::Open(const RedisQueueOptions& options) {
  if (Status prefix = CheckKeyPrefix(options.key_prefix); !prefix.ok()) return prefix;
  if (options.lease < milliseconds{100}) {
    return Status::InvalidArgument("redis queue lease must be at least 100 ms");
  }
  core::ConnectionPoolOptions pool_options;
  pool_options.max_open = std::max(1, options.pool_size);
  pool_options.max_idle = std::max(pool_options.max_open, options.min_idle_conns);
  pool_options.max_lifetime = milliseconds{0};
  pool_options.acquire_timeout = options.timeout;
  auto pool = std::make_unique<RedisPool>(options.endpoint, pool_options, options.timeout);
  // Each receiver blocked in BLMOVE holds a connection of its own; they come from here so that
  // pushes and acks never wait behind them.
  core::ConnectionPoolOptions blocking_options = pool_options;
  blocking_options.max_open = kMaxBlockingConnections;
  blocking_options.max_idle = kMaxBlockingConnections;
  auto blocking_pool =
      std::make_unique<RedisPool>(options.endpoint, blocking_options, options.timeout);
  int warm_count = std::min(options.min_idle_conns, pool_options.max_open);
  if (Status warmed = WarmUp(*pool, warm_count); !warmed.ok()) return warmed;
  return std::unique_ptr<RedisJobQueue>(
      new RedisJobQueue(options, std::move(pool), std::move(blocking_pool)));
}

RedisJobQueue::RedisJobQueue(const RedisQueueOptions& options, std::unique_ptr<RedisPool> pool,
                             std::unique_ptr<RedisPool> blocking_pool)
    : keys_{"{" + options.key_prefix + "}:queue:ready",
            "{" + options.key_prefix + "}:queue:processing",
            "{" + options.key_prefix + "}:queue:leases"},
      lease_(options.lease),
      timeout_(options.timeout),
      prefetch_(std::max(1, options.prefetch)),
      token_prefix_(RandomToken()),
      pool_(std::move(pool)),
      blocking_pool_(std::move(blocking_pool)) {
  maintenance_ = std::thread([this] { Maintain(); });
}

RedisJobQueue::~RedisJobQueue() {
  Close();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_maintenance_.notify_all();
  maintenance_.join();
}

Status RedisJobQueue::Push(const std::string& job_id) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::Unavailable("job queue is closed");
  }
  std::string entry = token_prefix_ + std::to_string(++next_token_) + "|0|" + job_id;
  return RunOn(*pool_, {"LPUSH", keys_.ready, entry}).status();
}

Status RedisJobQueue::PushBatch(const std::vector<std::string>& job_ids) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::Unavailable("job queue is closed");
  }
  if (job_ids.empty()) return Status::Ok();
  // One LPUSH: the entries go in together, and the first is the first taken.
  std::vector<std::string> command{"LPUSH", keys_.ready};
  for (const std::string& job_id : job_ids) {
    command.push_back(token_prefix_ + std::to_string(++next_token_) + "|0|" + job_id);
  }
  return RunOn(*pool_, command).status();
}

std::optional<Delivery> RedisJobQueue::HandOut(std::string entry) {
  Delivery delivery;
  if (!ParseEntry(entry, delivery.job_id, delivery.delivery_count)) return std::nullopt;
  delivery.receipt = std::move(entry);
  return delivery;
}

Status RedisJobQueue::TakeWaiting(std::size_t wanted, std::vector<Delivery>& into) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  std::size_t count = std::max(wanted, static_cast<std::size_t>(prefetch_));
  auto taken = (*lease)->Eval(kTakeScript, {keys_.ready, keys_.processing, keys_.leases},
                              {std::to_string(lease_.count()), std::to_string(count)});
  if (!taken.ok()) return taken.status();
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < taken->size(); ++i) {
    std::string entry(TextOf(taken->at(i)));
    held_.insert(entry);
    if (i < wanted) {
      if (auto delivery = HandOut(std::move(entry))) into.push_back(std::move(*delivery));
    } else {
      prefetched_.push_back(std::move(entry));
    }
  }
  return Status::Ok();
}

Result<std::optional<Delivery>> RedisJobQueue::WaitForOne(milliseconds wait) {
  auto lease = blocking_pool_->Acquire();
  if (!lease.ok()) return lease.status();
  RedisConnection& connection = **lease;
  int fd = connection.fd();
  {
    std::lock_guard lock(mutex_);
    if (closed_) return std::optional<Delivery>{};
    blocked_fds_.insert(fd);
  }
  connection.SetReadTimeout(wait + timeout_);
  auto moved = connection.Run(
      {"BLMOVE", keys_.ready, keys_.processing, "RIGHT", "LEFT", BlockSeconds(wait)});
  bool closed;
  {
    std::lock_guard lock(mutex_);
    blocked_fds_.erase(fd);
    closed = closed_;
  }
  if (!moved.ok()) {
    // Close() shut the socket down; anything BLMOVE moved meanwhile gets a lease from the next
    // maintenance pass and comes back when it runs out.
    if (closed) return std::optional<Delivery>{};
    return moved.status();
  }
  if (Status error = moved->ErrorStatus(); !error.ok()) return error;
  if (moved->IsNil()) return std::optional<Delivery>{};
  std::string entry(moved->text());
  auto leased =
      (*lease)->Eval(kLeaseScript, {keys_.leases}, {std::to_string(lease_.count()), entry});
  if (!leased.ok()) return leased.status();  // the maintenance pass leases it instead
  {
    std::lock_guard lock(mutex_);
    held_.insert(entry);
  }
  if (closed) {
    // Never handed out: back at the head with its count unchanged.
    Status released = Settle(*HandOut(entry), /*requeue=*/true, /*count_delivery=*/false);
    released.IgnoreError();  // if it fails, the lease brings the job back
    return std::optional<Delivery>{};
  }
  return HandOut(std::move(entry));
}

Result<std::optional<Delivery>> RedisJobQueue::Receive(milliseconds wait) {
  auto received = ReceiveBatch(1, wait);
  if (!received.ok()) return received.status();
  if (received->empty()) return std::optional<Delivery>{};
  return std::optional<Delivery>{std::move(received->front())};
}

Result<std::vector<Delivery>> RedisJobQueue::ReceiveBatch(std::size_t max, milliseconds wait) {
  max = std::max<std::size_t>(max, 1);
  auto deadline = std::chrono::steady_clock::now() + wait;
  std::vector<Delivery> received;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return received;
      while (received.size() < max && !prefetched_.empty()) {
        auto delivery = HandOut(std::move(prefetched_.front()));
        prefetched_.pop_front();
        if (delivery) received.push_back(std::move(*delivery));
      }
    }
    if (received.size() == max) return received;
    if (Status taken = TakeWaiting(max - received.size(), received); !taken.ok()) {
      if (received.empty()) return taken;
      return received;  // what was taken is held; the error shows again on the next call
    }
    if (!received.empty()) return received;
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left < milliseconds{1}) return received;
    auto waited = WaitForOne(std::min(left, kBlockSlice));
    if (!waited.ok()) return waited.status();
    // One came after a wait: take what else is waiting now, without waiting again.
    if (waited->has_value()) {
      received.push_back(std::move(**waited));
      deadline = std::chrono::steady_clock::now();
    }
  }
}

Status RedisJobQueue::Settle(const Delivery& delivery, bool requeue, bool count_delivery) {
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto settled =
      (*lease)->Eval(kSettleScript, {keys_.ready, keys_.processing, keys_.leases},
                     {delivery.receipt, requeue ? "1" : "0", count_delivery ? "1" : "0"});
  if (!settled.ok()) return settled.status();
  {
    std::lock_guard lock(mutex_);
    held_.erase(delivery.receipt);
  }
  if (settled->integer() == 1) return Status::Ok();
  return Status::NotFound("delivery of job " + delivery.job_id +
                          " is no longer held: its lease expired and the job was queued again");
}

Status RedisJobQueue::Ack(const Delivery& delivery) {
  return Settle(delivery, /*requeue=*/false, /*count_delivery=*/false);
}

Status RedisJobQueue::AckBatch(const std::vector<Delivery>& deliveries) {
  if (deliveries.empty()) return Status::Ok();
  std::vector<std::string> receipts;
  receipts.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) receipts.push_back(delivery.receipt);
  auto lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  auto acked = (*lease)->Eval(kAckAllScript, {keys_.processing, keys_.leases}, receipts);
  if (!acked.ok()) return acked.status();
  {
    std::lock_guard lock(mutex_);
    for (const std::string& receipt : receipts) held_.erase(receipt);
  }
  auto missing = static_cast<long long>(deliveries.size()) - acked->integer();
  if (missing == 0) return Status::Ok();
  return Status::NotFound(std::to_string(missing) +
                          " deliveries are no longer held: their leases expired and the jobs "
                          "were queued again");
}

Status RedisJobQueue::Nack(const Delivery& delivery, bool requeue) {
  return Settle(delivery, requeue, /*count_delivery=*/true);
}

Status RedisJobQueue::CheckHealth() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return Status::Unavailable("job queue is closed");
  }
  return RunOn(*pool_, {"PING"}).status();
}

Result<std::int64_t> RedisJobQueue::Depth() {
  auto reply = RunOn(*pool_, {"LLEN", keys_.ready});
  if (!reply.ok()) return reply.status();
  return static_cast<std::int64_t>(reply->integer());
}

void RedisJobQueue::ReleasePrefetched() {
  std::deque<std::string> entries;
  {
    std::lock_guard lock(mutex_);
    entries.swap(prefetched_);
  }
  // Each goes back to the head, so the last first keeps their order.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    auto delivery = HandOut(*it);
    if (!delivery) continue;
    // Never handed out, so not a delivery: back at the head with its count unchanged.
    Status released = Settle(*delivery, /*requeue=*/true, /*count_delivery=*/false);
    released.IgnoreError();  // if Redis is down, the lease brings the job back
  }
}

void RedisJobQueue::Close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    // Wakes receivers blocked in BLMOVE now rather than at the end of their slice.
    for (int fd : blocked_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  ReleasePrefetched();
}

void RedisJobQueue::Maintain() {
  const milliseconds interval = std::max(lease_ / 3, milliseconds{30});
  std::unique_lock lock(mutex_);
  while (!stop_maintenance_.wait_for(lock, interval, [this] { return stopping_; })) {
    std::vector<std::string> held(held_.begin(), held_.end());
    lock.unlock();
    auto connection = pool_->Acquire();
    if (connection.ok()) {
      if (!held.empty()) {
        std::vector<std::string> args{std::to_string(lease_.count())};
        args.insert(args.end(), held.begin(), held.end());
        auto lost = (*connection)->Eval(kRenewScript, {keys_.leases}, args);
        if (lost.ok() && lost->size() > 0) {
          std::lock_guard relock(mutex_);
          for (std::size_t i = 0; i < lost->size(); ++i) {
            std::string entry(TextOf(lost->at(i)));
            held_.erase(entry);
            std::erase(prefetched_, entry);
          }
        }
      }
      auto reaped = (*connection)
                        ->Eval(kReapScript, {keys_.ready, keys_.processing, keys_.leases},
                               {std::to_string(lease_.count())});
      reaped.status().IgnoreError();  // Redis is down: the next pass tries again
    }
    lock.lock();
  }
}

}  // namespace valet::adapters::redis
