#include "app/workbench/openmp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace reco::workbench {

void restartWithPassiveOpenMpWaits(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Still here: the program could not be run again. It runs on with spinning waits.
  unsetenv("OMP_WAIT_POLICY");
}

}  // namespace reco::workbench
