// valetd never shows the password of a DSN: not when the server refuses it, not when the DSN is
// malformed so that a client library quotes the password back, and not in what valetd serves or
// logs while it runs on it. Run once per backend with a server (VALET_E2E_REPOSITORY or
// VALET_E2E_QUEUE chooses it); the DSN comes from the same variable users set, with its password
// replaced by a recognisable one.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "http_client.hpp"
#include "valetd_process.hpp"
#include "valetd_server.hpp"

namespace valet::e2e {
namespace {

constexpr char kPassword[] = "Sh0wMe-Pa55word-4711";
// A fragment that any quote of the password, whole or cut at a ':' or '@', still contains.
constexpr char kPasswordCore[] = "Pa55word";

// Sets an environment variable for the valetd processes a test starts, and restores it after.
class EnvironmentOverride {
 public:
  EnvironmentOverride(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~EnvironmentOverride() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  EnvironmentOverride(const EnvironmentOverride&) = delete;
  EnvironmentOverride& operator=(const EnvironmentOverride&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// `dsn` ("scheme://[user[:password]@]host...") with kPassword as its password.
std::string WithPassword(const std::string& dsn) {
  auto start = dsn.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  auto at = dsn.find('@', start);
  if (at == std::string::npos)
    return dsn.substr(0, start) + ":" + kPassword + "@" + dsn.substr(start);
  auto colon = dsn.find(':', start);
  std::string user = dsn.substr(start, (colon < at ? colon : at) - start);
  return dsn.substr(0, start) + user + ":" + kPassword + dsn.substr(at);
}

// What valetd showed of itself on one DSN: its output, and what it served if it came up.
struct Observation {
  bool healthy = false;  // it came up and /api/status said both backends answer
  std::string shown;     // stdout, stderr and the bodies of the endpoints below
};

class RedactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (config_.queue != "memory") {
      variable_ = "RABBITMQ_URI";
      if (config_.queue == "redis") variable_ = "REDIS_URL";
    } else if (config_.repository == "postgres") {
      variable_ = "POSTGRES_DSN";
    } else if (config_.repository == "mysql") {
      variable_ = "MYSQL_DSN";
    } else if (config_.repository == "redis") {
      variable_ = "REDIS_URL";
    }
    ASSERT_FALSE(variable_.empty())
        << "set VALET_E2E_REPOSITORY or VALET_E2E_QUEUE to a backend with a server";
    const char* dsn = std::getenv(variable_.c_str());
    ASSERT_TRUE(dsn && *dsn) << variable_ << " is not set (scripts/servers.sh prints it)";
    dsn_ = dsn;
  }

  // Starts valetd with `dsn` in the backend's variable, reads what it serves if it comes up (it
  // may stop at start-up instead, or come up and keep retrying the backend), then stops it.
  Observation ObserveWith(const std::string& dsn) {
    EnvironmentOverride override(variable_, dsn);
    Observation seen;
    std::unique_ptr<ValetdServer> server;
    try {
      server = ValetdServer::Start(config_);
    } catch (const std::runtime_error& refused) {
      seen.shown = refused.what();  // holds valetd's log
      return seen;
    }
    HttpClient client(server->port());
    for (const char* path : {"/api/status", "/healthz", "/readyz", "/metrics", "/api/jobs"}) {
      HttpReply reply = client.Get(path);
      if (std::string(path) == "/api/status") {
        seen.healthy = reply.status == 200 && reply.json().value("storage_healthy", false) &&
                       reply.json().value("job_queue_healthy", false);
      }
      seen.shown += reply.body;
    }
    server->Stop();
    seen.shown += server->process().Stdout() + server->Log();
    ValetdRun version = RunValetd({"--version"});
    seen.shown += version.out + version.err;
    return seen;
  }

  ValetdConfig config_;
  std::string variable_;
  std::string dsn_;
};

// valet said that the backend failed: a start-up error, or a warning while it retries.
bool Complained(const Observation& seen) {
  return seen.shown.find(" error ") != std::string::npos ||
         seen.shown.find(" warning ") != std::string::npos ||
         seen.shown.find("valetd: ") != std::string::npos;
}

TEST_F(RedactionTest, APasswordIsNeverShownWhetherTheServerTakesItOrNot) {
  std::string dsn = WithPassword(dsn_);
  ASSERT_NE(dsn.find(kPassword), std::string::npos) << dsn_;
  Observation seen = ObserveWith(dsn);
  // Either valetd ran on it (a server that accepts any password) or it said why it could not.
  EXPECT_TRUE(seen.healthy || Complained(seen)) << seen.shown;
  EXPECT_EQ(seen.shown.find(kPasswordCore), std::string::npos) << seen.shown;
}

TEST_F(RedactionTest, AMalformedDsnFailsWithoutShowingItsPassword) {
  // Without its '@' the password runs into the host name: client libraries then read it as a
  // host or a port, and quote it back in their errors.
  std::string dsn = WithPassword(dsn_);
  dsn.erase(dsn.find('@'), 1);
  Observation seen = ObserveWith(dsn);
  EXPECT_FALSE(seen.healthy) << seen.shown;
  EXPECT_TRUE(Complained(seen)) << seen.shown;
  EXPECT_EQ(seen.shown.find(kPasswordCore), std::string::npos) << seen.shown;
}

}  // namespace
}  // namespace valet::e2e
