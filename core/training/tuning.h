#pragma once
/// Tuning on the validation part, never on the test part: every combination of a grid of
/// option values is fitted on the training part and scored on the validation part; the
/// best one is refitted (by default on training and validation together) and evaluated on
/// the test part once, as an ordinary stored run whose protocol records the whole search.

#include <stop_token>
#include <string>
#include <vector>

#include "core/training/experiment.h"

namespace reco {

struct TuningAxis {
  std::string option;               ///< a registry option of the model
  std::vector<std::string> values;  ///< at least one; each checked against the option's spec
};

struct TuningOptions {
  ExperimentOptions experiment;      ///< model, fixed options, seed, compute, eval, run name
  std::vector<TuningAxis> grid;      ///< the candidates are the cartesian product
  std::string metric = "ndcg@10";    ///< what is maximised on the validation part
  int maxValidationUsers = 1 << 30;  ///< validation users scored per candidate
  bool refitOnValidation = true;     ///< the final run fits on train+valid (else on train)
  /// Validation parts each candidate is scored on (its score is their mean): the split's
  /// own, plus folds - 1 more drawn the same way (random protocol only) from the split's
  /// training and validation pairs together, with seeds split seed + 1, + 2, ... One draw
  /// is noisy on small data; averaging several picks options that hold on the test part.
  int folds = 1;
};

struct TuningCandidate {
  OptionValues options;         ///< the grid's values for this candidate (fixed options aside)
  double validation = 0;        ///< the metric on the validation parts (their mean)
  std::vector<double> perFold;  ///< the metric on each validation part
  double fitSeconds = 0;        ///< summed over the folds
};

struct TuningResult {
  Outcome outcome = Outcome::Completed;     ///< Stopped: nothing was stored
  std::vector<TuningCandidate> candidates;  ///< in grid order
  std::size_t best = 0;                     ///< index of the chosen candidate
  ExperimentResult final;                   ///< the stored run of the chosen options
};

/// Parses "key=v1,v2,v3" into an axis; throws Usage naming the text.
TuningAxis parseTuningAxis(const std::string& text);

/// Runs the search and the final run. Throws Config for an unknown option or value, an
/// empty grid, or a split without a validation part. Progress: one message per candidate;
/// the final run's epochs go to `observer`. Ties keep the earlier candidate.
TuningResult tune(storage::Workspace& workspace, const storage::SplitInfo& split,
                  const TuningOptions& options, TrainObserver* observer, std::stop_token stop);

}  // namespace reco
