#pragma once
/// What the benchmarks share: running a program as a child process and measuring it.

#include <string>
#include <vector>

namespace reco::cli {

struct ChildRun {
  double seconds = 0;  ///< wall time
  long peakKiB = 0;    ///< the child's peak resident set (wait4's ru_maxrss)
  int exitCode = 0;
};

/// Runs argv (argv[0] found on PATH or a path) with stdin from /dev/null, stdout to
/// /dev/null and stderr to errPath, and waits for it. Throws Io when it cannot start.
ChildRun runChild(const std::vector<std::string>& argv, const std::string& errPath);
/// Throws Internal with the child's stderr when it did not exit 0.
void requireSuccess(const ChildRun& run, const std::string& what, const std::string& errPath);
/// This executable's path (/proc/self/exe).
std::string selfPath();

}  // namespace reco::cli
