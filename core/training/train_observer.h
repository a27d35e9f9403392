#pragma once
/// A JobObserver that also hears about epochs: what the GUI draws as live loss curves and
/// the CLI prints as a progress line. Called on the training thread.

#include <optional>
#include <string>

#include "core/common/progress.h"

namespace reco {

struct EpochReport {
  int epoch = 0;   ///< 1-based
  int epochs = 0;  ///< planned epochs (iterations); 0 when unknown
  double loss = 0; ///< the model's training objective for this epoch (lower is better)
  std::optional<double> validation;  ///< the validation metric, when there is a validation part
  std::string validationMetric;      ///< its name, e.g. "ndcg@10"
  double seconds = 0;                ///< wall time of this epoch
};

class TrainObserver : public JobObserver {
 public:
  void onProgress(const Progress& progress) override {}
  virtual void onEpoch(const EpochReport& report) {}
};

/// Calls observer->onEpoch when observer is set.
inline void reportEpoch(TrainObserver* observer, const EpochReport& report) {
  if (observer) observer->onEpoch(report);
}

}  // namespace reco
