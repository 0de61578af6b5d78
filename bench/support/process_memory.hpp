#pragma once

#include <cstddef>

namespace valet::bench {

// The resident set of this process (VmRSS in /proc/self/status), in bytes; 0 if unreadable.
std::size_t ResidentBytes();

// The bytes malloc has handed out and not yet taken back, over all arenas (mallinfo2): the part
// of the resident set the program asked for, without allocator slack and code.
std::size_t HeapBytesInUse();

}  // namespace valet::bench
