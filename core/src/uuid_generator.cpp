#include "valet/core/uuid_generator.hpp"

#include <random>

namespace valet::core {

namespace {

// The canonical text of a UUID with the given version and the RFC 4122 variant.
std::string FormatUuid(std::uint64_t high, std::uint64_t low, std::uint64_t version) {
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | (version << 12);
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  int pos = 0;
  auto put = [&](std::uint64_t bits, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      id[pos++] = kHex[(bits >> (i * 4)) & 0xF];
    }
  };
  put(high, 16);
  put(low, 16);
  return id;
}

// FNV-1a over the bytes from `basis`, then MurmurHash3's finalizer so every input bit reaches
// every output bit.
std::uint64_t Hash64(std::string_view bytes, std::uint64_t basis) {
  std::uint64_t hash = basis;
  for (unsigned char byte : bytes) hash = (hash ^ byte) * 0x100000001b3ULL;
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  return hash ^ (hash >> 33);
}

}  // namespace

std::string UuidGenerator::NewId() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64{seed};
  }()};
  std::uint64_t high = engine();
  return FormatUuid(high, engine(), 4);
}

std::string NameBasedUuid(std::string_view name) {
  return FormatUuid(Hash64(name, 0xcbf29ce484222325ULL), Hash64(name, 0x6c62272e07bb0142ULL), 8);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace valet::core
