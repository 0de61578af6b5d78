#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace valet::bench {

using SteadyClock = std::chrono::steady_clock;

// Seconds between two steady instants, as a double for rates.
double SecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to);

// One measured figure, printed as `figure  <label>  <value>  <unit>` so bench/run.sh can collect
// every figure of a run with grep.
void PrintFigure(const std::string& label, double value, const std::string& unit, int decimals = 0);

// The nearest-rank percentile (0 < p <= 100) of `samples`, which it sorts; 0 when empty.
double Percentile(std::vector<double>& samples, double p);

// The 1-minute load average, to tell whether other work shared the machine during a run.
double LoadAverage();

}  // namespace valet::bench
