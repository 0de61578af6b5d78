#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "valet/ports/logger.hpp"

namespace valet::adapters::http {

// Closes the connections of clients too slow to send their requests. A connection thread arms
// its socket's deadline when it is ready for a request and disarms it once the request, body
// included, has been read; a watcher thread shuts down (shutdown(2), which wakes the blocked
// read) every socket still armed past its deadline. Poco's own socket timeout bounds each read,
// not a whole request, so without this a client sending a byte now and then would hold a
// connection thread for ever. Thread-safe.
class RequestDeadlines {
 public:
  RequestDeadlines(std::chrono::milliseconds limit, Logger& logger);
  ~RequestDeadlines();
  RequestDeadlines(const RequestDeadlines&) = delete;
  RequestDeadlines& operator=(const RequestDeadlines&) = delete;

  // A connection's socket, from its first request until Forget(), which must come before the
  // socket is closed (a new connection may get the same descriptor); `peer` is for the log line.
  void Track(int socket, std::string peer);
  void Forget(int socket);
  // The request must have arrived in full within `limit` from now; false once the server stops
  // (serve no more requests).
  bool Arm(int socket);
  // The request has arrived; false if too late (the socket was shut down: do not act on what
  // was read, it may be cut short).
  bool Disarm(int socket);
  // True once the socket was shut down for being late, until it is armed again.
  bool Expired(int socket) const;
  // Shuts down every tracked socket now, and each one tracked from here on (server stop).
  void ShutdownAll();

 private:
  struct Connection {
    std::string peer;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    bool expired = false;
  };

  void Watch();

  const std::chrono::milliseconds limit_;
  Logger& logger_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, Connection> connections_;
  bool stopping_ = false;
  bool closing_ = false;       // the destructor runs
  bool watcher_idle_ = false;  // the watcher waits with no deadline to keep
  std::thread watcher_;
};

}  // namespace valet::adapters::http
