#pragma once
/// A JobObserver that also hears about epochs: what the GUI draws as live loss curves and
/// the CLI prints as a progress line. Called on the training thread.

#include <optional>
#include <string>

#include "core/common/progress.h"

namespace reco {

struct EpochReport {
  int epoch = 0;    ///< 1-based
  int epochs = 0;   ///< planned epochs (iterations); 0 when unknown
  double loss = 0;  ///< the model's training objective for this epoch (lower is better)
  std::optional<double> validation;  ///< the validation metric, when there is a validation part
  std::string validationMetric;      ///< its name, e.g. "ndcg@10"
  double seconds = 0;                ///< wall time of this epoch
};

class Recommender;

class TrainObserver : public JobObserver {
 public:
  void onProgress(const Progress& progress) override {}
  virtual void onEpoch(const EpochReport& report) {}

  /// True when this observer validates epochs: iterative models then make their state
  /// scorable after each epoch (isFitted() true, score() current) before finishEpoch().
  virtual bool wantsValidation() const { return false; }
  /// The validation metric of the model's current state after `epoch`, or nullopt when
  /// this epoch is not validated. Called on the training thread, inside fit().
  virtual std::optional<double> validate(const Recommender& model, int epoch) {
    return std::nullopt;
  }
  /// Asked after each onEpoch(): true ends training now (early stopping).
  virtual bool stopEarly() const { return false; }
};

/// Calls observer->onEpoch when observer is set (models without a validation hook).
inline void reportEpoch(TrainObserver* observer, const EpochReport& report) {
  if (observer) observer->onEpoch(report);
}

/// The end of an epoch of an iterative model whose state is scorable when
/// observer->wantsValidation(): fills report.validation from observer->validate(), reports
/// it, and returns true when the observer asks to stop early.
inline bool finishEpoch(TrainObserver* observer, const Recommender& model, EpochReport report) {
  if (!observer) return false;
  if (observer->wantsValidation()) report.validation = observer->validate(model, report.epoch);
  observer->onEpoch(report);
  return observer->stopEarly();
}

}  // namespace reco
