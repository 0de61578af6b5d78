#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace valet::bench {

// The command line of a bench program: `--name value`, `--name=value` or a bare `--name`.
// Getters throw std::invalid_argument for a value that does not parse, so main() can print the
// usage; Unknown() lists the flags no getter asked for, which are typos.
class Flags {
 public:
  Flags(int argc, char** argv);

  bool Has(const std::string& name);
  std::string String(const std::string& name, const std::string& fallback);
  std::int64_t Int(const std::string& name, std::int64_t fallback);

  std::vector<std::string> Unknown() const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> asked_;
};

}  // namespace valet::bench
