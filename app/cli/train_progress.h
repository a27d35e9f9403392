#pragma once
/// The CLI's TrainObserver: the progress bar on stderr (when a terminal) showing the
/// current epoch and loss, and one line per finished epoch.

#include <cstdio>

#include "app/cli/progress_bar.h"
#include "core/models/train_observer.h"

namespace reco::cli {

class TrainProgress final : public TrainObserver {
 public:
  explicit TrainProgress(bool terminal) : bar_(terminal), terminal_(terminal) {}
  void onProgress(const Progress& progress) override { bar_.onProgress(progress); }
  void onMessage(const std::string& message) override { bar_.onMessage(message); }
  void onEpoch(const EpochReport& e) override {
    if (!terminal_) return;
    char line[160];
    if (e.validation)
      std::snprintf(line, sizeof line, "  epoch %d/%d  loss %.6g  %s %.4f  (%.2f s)", e.epoch,
                    e.epochs, e.loss, e.validationMetric.c_str(), *e.validation, e.seconds);
    else
      std::snprintf(line, sizeof line, "  epoch %d/%d  loss %.6g  (%.2f s)", e.epoch, e.epochs,
                    e.loss, e.seconds);
    bar_.onMessage(line);
  }
  void finish() { bar_.finish(); }

 private:
  ProgressBar bar_;
  bool terminal_;
};

}  // namespace reco::cli
