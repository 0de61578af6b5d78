#include "support/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace valet::bench {

double SecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

void PrintFigure(const std::string& label, double value, const std::string& unit, int decimals) {
  std::printf("figure  %-46s %14.*f  %s\n", label.c_str(), decimals, value, unit.c_str());
  std::fflush(stdout);
}

double Percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

double LoadAverage() {
  std::ifstream file("/proc/loadavg");
  double load = 0;
  file >> load;
  return load;
}

}  // namespace valet::bench
