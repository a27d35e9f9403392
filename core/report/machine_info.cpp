// describeThisMachine (report_builder.h): the CPU model from /proc/cpuinfo and the hardware
// thread count. Linux only reads the file; elsewhere the model is "unknown CPU".
#include <algorithm>
#include <fstream>
#include <string>
#include <thread>

#include "core/report/report_builder.h"

namespace reco::report {

MachineInfo describeThisMachine() {
  MachineInfo info;
  info.cpu = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto begin = line.find_first_not_of(" \t", colon + 1);
    if (begin != std::string::npos) info.cpu = line.substr(begin);
    break;
  }
  info.threads = std::max(1, int(std::thread::hardware_concurrency()));
  info.gpu = "not checked";
  return info;
}

}  // namespace reco::report
