#pragma once
/// Per-epoch validation and early stopping (ValidationOptions in experiment.h). The runner
/// puts a ValidationMonitor between an iterative model and the caller's observer: after
/// each epoch the model asks it (through finishEpoch) to score the model's current state
/// on the validation part, and whether to stop. With patience, the monitor keeps the best
/// validated state (the model's own save() format, in memory) so that the runner can put
/// it back after training.

#include <optional>
#include <string>
#include <vector>

#include "core/data/sparse_matrix.h"
#include "core/models/train_observer.h"
#include "core/training/experiment.h"

namespace reco {

struct TrainingData;

class ValidationMonitor final : public TrainObserver {
 public:
  /// `train` must outlive the monitor and have a non-empty validation part (Config error
  /// otherwise, naming the split option that makes one). Throws Config for a metric that
  /// evaluate() does not report. `next` (may be null) hears everything.
  ValidationMonitor(const TrainingData& train, const ValidationOptions& options, int threads,
                    TrainObserver* next);

  void onProgress(const Progress& progress) override;
  void onMessage(const std::string& message) override;
  void onEpoch(const EpochReport& report) override;
  bool wantsValidation() const override { return true; }
  std::optional<double> validate(const Recommender& model, int epoch) override;
  bool stopEarly() const override;

  /// The metric of `model` on the validation users (full ranking, training items excluded).
  double measure(const Recommender& model) const;
  /// After fit(): a model that validated no epoch (one-shot models: knn, ease, pop) is
  /// validated once now, as its final epoch. Returns the value, or nullopt when epochs
  /// were validated already.
  std::optional<double> validateFinal(const Recommender& model);
  /// Loads the best validated state into `model` when training went on past it; true when
  /// it did so. Call after fit() returned.
  bool restoreBest(Recommender& model) const;

  int validations() const { return validations_; }
  std::optional<int> bestEpoch() const { return bestEpoch_; }
  std::optional<double> best() const { return best_; }
  bool stoppedEarly() const { return stoppedEarly_; }
  std::size_t users() const { return users_; }
  /// The monitor's settings and outcome as a JSON object (stored with the run).
  std::string json() const;

 private:
  const TrainingData& train_;
  ValidationOptions options_;
  int threads_;
  TrainObserver* next_;
  int k_ = 10;
  CsrMatrix part_;  // the validated users' validation rows (others empty)
  std::size_t users_ = 0;
  int validations_ = 0;
  int lastEpoch_ = 0;
  int sinceBest_ = 0;
  bool stoppedEarly_ = false;
  std::optional<int> bestEpoch_;
  std::optional<double> best_;
  std::string bestState_;  // the model's save() bytes at bestEpoch_ (patience > 0 only)
};

}  // namespace reco
