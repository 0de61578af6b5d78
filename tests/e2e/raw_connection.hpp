#pragma once

#include <chrono>
#include <string>

namespace valet::e2e {

// A plain TCP connection to 127.0.0.1 that sends whatever it is given, as slowly as the test
// likes: a client that misbehaves below HTTP or gRPC.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& bytes);
  // Everything the server sends until it closes the connection, or until `limit`.
  std::string ReceiveUntilClosed(std::chrono::milliseconds limit);
  // True once the server has closed the connection (end of stream or reset), checked without
  // waiting.
  bool ClosedByServer();

 private:
  int fd_;
  bool connected_ = false;
};

}  // namespace valet::e2e
