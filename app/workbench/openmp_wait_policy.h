#pragma once
/// The workbench's OpenMP threads sleep instead of spinning while they wait.
///
/// LibTorch's and OpenBLAS's parallel loops run on libgomp, whose idle threads spin for a
/// while at every barrier by default. In the window that spinning is pathological: the
/// training threads run one step below the GUI's priority (nice +5), so whenever another
/// process or the GUI thread takes a core, the teammate left on the other core burns its
/// time slice spinning at each of the thousands of barriers of an epoch. A neumf epoch on
/// Online Retail took 5-12x longer from the window than from `reco train` on a busy
/// 2-core machine, 56% of it inside libgomp (perf); with OMP_WAIT_POLICY=PASSIVE the two
/// take the same time (`reco-workbench --bench-training`).
///
/// libgomp reads OMP_WAIT_POLICY once, when it is loaded, and Qt loads it before main()
/// (QtCore -> libb2 -> libgomp), as OpenBLAS's OpenMP build does for every program that
/// links the core (EASE's LAPACK). So the policy is set by running the program again with
/// it; `reco` does the same, and ctest gives every suite OMP_WAIT_POLICY=PASSIVE.

namespace reco::workbench {

/// When neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set, sets OMP_WAIT_POLICY=PASSIVE and
/// executes this program again with the same arguments (it does not return then). Does
/// nothing when the user set either variable, or when the program cannot be executed again.
/// Call it first thing in main().
void restartWithPassiveOpenMpWaits(char** argv);

}  // namespace reco::workbench
