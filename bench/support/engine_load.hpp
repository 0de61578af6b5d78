#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "valet/core/engine.hpp"

namespace valet::bench {

// Submits `jobs` no-op jobs from `submitters` threads, sharing them out evenly, and returns how
// many were refused: one at a time through engine.jobs().Create(), or `batch` at a time through
// CreateMany() when `batch` is more than 1.
std::int64_t SubmitNoopJobs(core::Engine& engine, std::int64_t jobs, int submitters,
                            std::int64_t batch = 1);

// Prints the median of the runs as the figure, and every run beside it to show the spread.
void PrintRuns(const std::string& label, std::vector<double> rates);

}  // namespace valet::bench
