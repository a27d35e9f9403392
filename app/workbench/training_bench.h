#pragma once
/// `reco-workbench --bench-training`: the same run trained from the window (the Experiments
/// panel, its run queue, live rows and curve) and by `reco train` in a child process, on
/// two copies of one synthetic shop, for a classic and a deep model. Prints both wall
/// times, their ratio (the goal: at most 1.1) and the GUI thread's CPU time while the
/// window trains (the goal: under 5% of the wall time). Needs a QApplication; works
/// offscreen (QT_QPA_PLATFORM=offscreen). Returns the process exit code.
///   --interactions N     the synthetic shop's size (default 200000)
///   --workspace W --split S   a copy of an existing workspace and split instead
///   --model M ... [--set key=value ...]   these models with these options instead of
///                        bpr (30 epochs) and neumf (2 epochs)
///   --validate           validate ndcg@10 after every epoch (the form's checkbox)
///   --repeat N           each case N times

#include <QStringList>

namespace reco::workbench {

int runTrainingBench(const QStringList& args);

}  // namespace reco::workbench
