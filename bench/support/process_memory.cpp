#include "support/process_memory.hpp"

#include <malloc.h>

#include <fstream>
#include <string>

namespace valet::bench {

std::size_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::size_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

std::size_t HeapBytesInUse() { return mallinfo2().uordblks; }

}  // namespace valet::bench
