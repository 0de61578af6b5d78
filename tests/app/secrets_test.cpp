#include "valet/app/secrets.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace valet::app {
namespace {

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("valet-secrets-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    setenv("VALET_SECRETS_DIR", dir_.c_str(), 1);
    unsetenv("VALET_TEST_SECRET");
  }
  void TearDown() override {
    unsetenv("VALET_SECRETS_DIR");
    unsetenv("VALET_TEST_SECRET");
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(SecretsTest, EnvironmentWinsOverTheFile) {
  std::ofstream(dir_ / "valet_test_secret") << "from-file\n";
  setenv("VALET_TEST_SECRET", "from-env", 1);
  EXPECT_EQ(ReadSecret("VALET_TEST_SECRET"), "from-env");
}

TEST_F(SecretsTest, FallsBackToTheFirstLineOfTheLowerCaseFile) {
  std::ofstream(dir_ / "valet_test_secret") << "postgres://u:p@h/db\nsecond line\n";
  EXPECT_EQ(ReadSecret("VALET_TEST_SECRET"), "postgres://u:p@h/db");
}

TEST_F(SecretsTest, MissingSecretIsEmpty) { EXPECT_EQ(ReadSecret("VALET_TEST_SECRET"), ""); }

}  // namespace
}  // namespace valet::app
