#pragma once

#include "valet/valet.hpp"

namespace valetd {

// The example tasks of valetd, used by the README and the end-to-end tests:
//   dummytask  returns "some metadata"
//   echo       returns {"params": <task_params>, "previous": <previous result, if passed>}
//   fail       fails with task_params.message (default "failed")
//   sleep      sleeps task_params.ms, stopping early when asked; returns "slept"
//   throw      throws std::runtime_error(task_params.message)
//   noop       returns null
void RegisterDemoTasks(valet::Valet& valet);

}  // namespace valetd
