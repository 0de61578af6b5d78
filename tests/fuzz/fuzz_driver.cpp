// Runs a libFuzzer target without libFuzzer: every file of the corpus directories, then
// `--mutations N` inputs made by mutating them with a fixed seed, so a run is repeatable.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

void Run(const Bytes& input) { LLVMFuzzerTestOneInput(input.data(), input.size()); }

Bytes Mutate(Bytes input, std::mt19937_64& random, const std::vector<Bytes>& seeds) {
  static constexpr const char* kTokens[] = {"{",    "}",    "[",    "]",  "\"",    ":",
                                            ",",    "null", "true", "-1", "1e999", "\\u0000",
                                            "\xff", "\n",   "  ",   "&"};
  int edits = 1 + static_cast<int>(random() % 8);
  for (int i = 0; i < edits; ++i) {
    std::size_t at = input.empty() ? 0 : random() % (input.size() + 1);
    switch (random() % 5) {
      case 0:  // flip a byte
        if (!input.empty())
          input[at % input.size()] ^= static_cast<std::uint8_t>(1 + random() % 255);
        break;
      case 1:  // delete a run
        if (!input.empty()) {
          std::size_t from = at % input.size();
          std::size_t count = std::min<std::size_t>(input.size() - from, 1 + random() % 16);
          input.erase(input.begin() + static_cast<long>(from),
                      input.begin() + static_cast<long>(from + count));
        }
        break;
      case 2: {  // insert a token
        const char* token = kTokens[random() % std::size(kTokens)];
        input.insert(input.begin() + static_cast<long>(at), token, token + std::strlen(token));
        break;
      }
      case 3: {  // splice in part of another seed
        const Bytes& other = seeds[random() % seeds.size()];
        if (!other.empty()) {
          std::size_t from = random() % other.size();
          std::size_t count = std::min<std::size_t>(other.size() - from, 1 + random() % 64);
          input.insert(input.begin() + static_cast<long>(at),
                       other.begin() + static_cast<long>(from),
                       other.begin() + static_cast<long>(from + count));
        }
        break;
      }
      default:  // truncate
        input.resize(at);
        break;
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 0;
  std::vector<Bytes> seeds;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--mutations") == 0 && i + 1 < argc) {
      mutations = std::stol(argv[++i]);
      continue;
    }
    std::filesystem::path path(argv[i]);
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path))
        files.push_back(entry.path());
    } else {
      files.push_back(path);
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (seeds.empty()) seeds.emplace_back();
  for (const Bytes& seed : seeds) Run(seed);
  std::mt19937_64 random(20261123);
  for (long i = 0; i < mutations; ++i) Run(Mutate(seeds[random() % seeds.size()], random, seeds));
  std::printf("%zu seeds and %ld mutations ran without a crash\n", seeds.size(), mutations);
  return 0;
}
