#pragma once
/// The options `reco train`, `reco eval` and `reco tune` share, read from their arguments
/// (command_train.cpp), and the summary they print for a stored run.

#include "app/cli/args.h"
#include "core/training/experiment.h"

namespace reco::cli {

ComputeOptions computeFrom(const Args& args);        ///< --device, --threads
EvalOptions evalFrom(const Args& args);              ///< --k, --sampled
ValidationOptions validationFrom(const Args& args);  ///< --validate, --patience, ...
FitOn fitOnFrom(const Args& args);                   ///< --fit-on
/// The run's name, timings, protocol (when it has validation or a refit) and its @10 metrics.
void printRunSummary(const ExperimentResult& result);

}  // namespace reco::cli
