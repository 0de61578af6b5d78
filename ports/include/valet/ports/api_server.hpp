#pragma once

#include "valet/ports/status.hpp"

namespace valet {

// A front door to the services (HTTP, gRPC). Start() binds and serves in the background and
// returns kUnavailable with the reason if it cannot bind; Stop() stops taking new requests, lets
// those in flight finish, and returns once it has.
class ApiServer {
 public:
  ApiServer() = default;
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;
  virtual ~ApiServer() = default;

  virtual Status Start() = 0;
  virtual void Stop() = 0;
};

}  // namespace valet
