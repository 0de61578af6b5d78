#pragma once

#include <cstdint>

namespace valet::bench {

// The ceiling the engine works under: jobs/s through a bare MemoryJobQueue with one producer
// pushing ids and `consumers` threads receiving and acking them, with no repository and no task.
double MeasureQueueThroughput(std::int64_t jobs, int consumers);

}  // namespace valet::bench
