#include "request_deadlines.hpp"

#include <sys/socket.h>

namespace valet::adapters::http {

RequestDeadlines::RequestDeadlines(std::chrono::milliseconds limit, Logger& logger)
    : limit_(limit), logger_(logger), watcher_([this] { Watch(); }) {}

RequestDeadlines::~RequestDeadlines() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  watcher_.join();
}

void RequestDeadlines::Track(int socket, std::string peer) {
  std::lock_guard lock(mutex_);
  connections_[socket] = Connection{std::move(peer)};
  if (stopping_) ::shutdown(socket, SHUT_RDWR);
}

void RequestDeadlines::Forget(int socket) {
  // The socket is still open here: it is closed only after its connection forgot it, so a
  // shutdown under the lock never reaches a descriptor that was reused.
  std::lock_guard lock(mutex_);
  connections_.erase(socket);
}

bool RequestDeadlines::Arm(int socket) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    auto found = connections_.find(socket);
    if (found == connections_.end()) return true;
    found->second.deadline = std::chrono::steady_clock::now() + limit_;
    found->second.expired = false;
    // Every deadline is now + limit, so a new one never comes before those the watcher already
    // waits for: it needs waking (a thread switch per request) only when it waits for none.
    wake = watcher_idle_;
  }
  if (wake) changed_.notify_all();
  return true;
}

bool RequestDeadlines::Disarm(int socket) {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(socket);
  if (found == connections_.end()) return true;
  found->second.deadline = std::chrono::steady_clock::time_point::max();
  return !found->second.expired && !stopping_;
}

bool RequestDeadlines::Expired(int socket) const {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(socket);
  return found != connections_.end() && found->second.expired;
}

void RequestDeadlines::ShutdownAll() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (const auto& [socket, connection] : connections_) ::shutdown(socket, SHUT_RDWR);
}

void RequestDeadlines::Watch() {
  std::unique_lock lock(mutex_);
  while (!closing_) {
    auto now = std::chrono::steady_clock::now();
    auto next = std::chrono::steady_clock::time_point::max();
    for (auto& [socket, connection] : connections_) {
      if (connection.deadline <= now) {
        ::shutdown(socket, SHUT_RDWR);
        connection.deadline = std::chrono::steady_clock::time_point::max();
        connection.expired = true;
        logger_.Log(
            LogLevel::kWarning, "http", "connection closed",
            {{"reason", "request not received within " + std::to_string(limit_.count()) + " ms"},
             {"remote_address", connection.peer}});
      } else if (connection.deadline < next) {
        next = connection.deadline;
      }
    }
    if (next == std::chrono::steady_clock::time_point::max()) {
      watcher_idle_ = true;
      changed_.wait(lock);
      watcher_idle_ = false;
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

}  // namespace valet::adapters::http
