#pragma once

#include <string>

#include "temp_file.hpp"

namespace valet::e2e {

// A self-signed certificate for "localhost" and 127.0.0.1 with its private key, made once per
// test program by the openssl command. Clients trust it by naming cert_path() as their CA.
class TestCertificate {
 public:
  // A new certificate and key; throws std::runtime_error if openssl fails.
  TestCertificate();
  // One certificate for the whole test program.
  static const TestCertificate& Shared();

  const std::string& cert_path() const { return cert_.path(); }
  const std::string& key_path() const { return key_.path(); }
  std::string cert_pem() const { return cert_.Read(); }

 private:
  TempFile cert_{".crt.pem"};
  TempFile key_{".key.pem"};
};

}  // namespace valet::e2e
