#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "valet/core/engine.hpp"

namespace valet::bench {

// Submits `jobs` no-op jobs through engine.jobs().Create() from `submitters` threads, sharing
// them out evenly, and returns how many were refused.
std::int64_t SubmitNoopJobs(core::Engine& engine, std::int64_t jobs, int submitters);

// Prints the median of the runs as the figure, and every run beside it to show the spread.
void PrintRuns(const std::string& label, std::vector<double> rates);

}  // namespace valet::bench
