#include "startup_error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "temp_file.hpp"
#include "valetd_process.hpp"

namespace valet::e2e {

std::string StartUpError(const std::string& yaml, long lines) {
  TempFile config(".yaml");
  config.Write(yaml);
  ValetdRun run = RunValetd({"--config", config.path()});
  EXPECT_TRUE(run.exit.has_value()) << "valetd did not stop on config\n" << yaml;
  if (run.exit) {
    EXPECT_TRUE(run.exit->exited && run.exit->code != 0) << run.exit->ToString();
  }
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), lines) << "stderr:\n" << run.err;
  std::istringstream stream(run.err);
  for (std::string line; std::getline(stream, line);) {
    EXPECT_THAT(
        line, ::testing::MatchesRegex("(valetd: .*|[-0-9T:.]+Z (info|warning|error) [a-z]+: .*)"));
  }
  return run.err;
}

}  // namespace valet::e2e
