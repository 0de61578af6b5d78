#include "server_credentials.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace valet::adapters::grpc {

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  if (!file) return Status::InvalidArgument("server.grpc.tls: cannot read " + path);
  return text.str();
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<BIO, BioDeleter> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Status CheckPair(const core::TlsFiles& tls, const std::string& certificate_pem,
                 const std::string& key_pem) {
  std::unique_ptr<X509, X509Deleter> certificate(
      PEM_read_bio_X509(MemoryBio(certificate_pem).get(), nullptr, nullptr, nullptr));
  if (!certificate) {
    return Status::InvalidArgument("server.grpc.tls.cert_file: " + tls.cert_file +
                                   " holds no PEM certificate");
  }
  // An empty passphrase callback: an encrypted key fails instead of prompting on the terminal.
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(PEM_read_bio_PrivateKey(
      MemoryBio(key_pem).get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) {
    return Status::InvalidArgument("server.grpc.tls.key_file: " + tls.key_file +
                                   " holds no unencrypted PEM private key");
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return Status::InvalidArgument("server.grpc.tls: the key in " + tls.key_file +
                                   " does not belong to the certificate in " + tls.cert_file);
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<::grpc::ServerCredentials>> ServerCredentialsFor(const core::TlsFiles& tls) {
  if (!tls.enabled()) return ::grpc::InsecureServerCredentials();
  Result<std::string> certificate = ReadFile(tls.cert_file);
  if (!certificate.ok()) return certificate.status();
  Result<std::string> key = ReadFile(tls.key_file);
  if (!key.ok()) return key.status();
  if (Status pair = CheckPair(tls, *certificate, *key); !pair.ok()) return pair;
  ::grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *certificate});
  return ::grpc::SslServerCredentials(options);
}

}  // namespace valet::adapters::grpc
