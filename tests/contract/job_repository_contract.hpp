#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "valet/ports/job_repository.hpp"

namespace valet::testing {

// How the suite gets a fresh, empty repository of the adapter under test.
struct RepositoryMaker {
  std::string name;
  std::function<std::unique_ptr<JobRepository>()> make;
};

// Test names and logs show the adapter's name, not the bytes of the maker.
inline void PrintTo(const RepositoryMaker& maker, std::ostream* out) { *out << maker.name; }

inline std::string RepositoryName(const ::testing::TestParamInfo<RepositoryMaker>& info) {
  return info.param.name;
}

// The behaviour every JobRepository owes (see ports/job_repository.hpp). Instantiate with
//   INSTANTIATE_TEST_SUITE_P(Postgres, JobRepositoryContract,
//                            ::testing::Values(RepositoryMaker{"postgres", ...}), RepositoryName);
class JobRepositoryContract : public ::testing::TestWithParam<RepositoryMaker> {
 protected:
  void SetUp() override {
    repository_ = GetParam().make();
    ASSERT_NE(repository_, nullptr) << "could not create the " << GetParam().name << " repository";
  }

  JobRepository& repository() { return *repository_; }

 private:
  std::unique_ptr<JobRepository> repository_;
};

}  // namespace valet::testing
