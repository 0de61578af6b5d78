#include "test_certificate.hpp"

#include <cstdlib>
#include <stdexcept>

namespace valet::e2e {

TestCertificate::TestCertificate() {
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      key_.path() + " -out " + cert_.path() + " 2>/dev/null";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("openssl could not make a test certificate: " + command);
  }
}

const TestCertificate& TestCertificate::Shared() {
  static const TestCertificate certificate;
  return certificate;
}

}  // namespace valet::e2e
