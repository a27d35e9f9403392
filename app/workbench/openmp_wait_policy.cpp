#include "app/workbench/openmp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace reco::workbench {

void restartWithPassiveOpenMpWaits(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  // The program's own path, not /proc/self/exe, so that the process keeps its name
  // ("reco-workbench", not "exe") in ps, top and perf.
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return;
  self[length] = '\0';
  if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  execv(self, argv);
  // Still here: the program could not be run again. It runs on with spinning waits.
  unsetenv("OMP_WAIT_POLICY");
}

}  // namespace reco::workbench
