#include "support/flags.hpp"

#include <stdexcept>

namespace valet::bench {

Flags::Flags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument " + arg);
    arg.erase(0, 2);
    auto eq = arg.find('=');
    if (eq != std::string::npos) {
      values_[arg.substr(0, eq)] = arg.substr(eq + 1);
    } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
      values_[arg] = argv[++i];
    } else {
      values_[arg] = "";  // a bare switch such as --latency
    }
  }
}

bool Flags::Has(const std::string& name) {
  asked_.insert(name);
  return values_.count(name) > 0;
}

std::string Flags::String(const std::string& name, const std::string& fallback) {
  asked_.insert(name);
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second;
}

std::int64_t Flags::Int(const std::string& name, std::int64_t fallback) {
  std::string text = String(name, "");
  if (text.empty()) return fallback;
  std::size_t used = 0;
  std::int64_t value = -1;
  try {
    value = std::stoll(text, &used);
  } catch (const std::logic_error&) {
    // Reported below with the flag's name, which stoll's own message lacks.
  }
  if (used != text.size() || value < 0) {
    throw std::invalid_argument("--" + name + " wants a non-negative integer, got " + text);
  }
  return value;
}

std::vector<std::string> Flags::Unknown() const {
  std::vector<std::string> unknown;
  for (const auto& [name, value] : values_) {
    if (!asked_.count(name)) unknown.push_back("--" + name);
  }
  return unknown;
}

}  // namespace valet::bench
