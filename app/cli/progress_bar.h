#pragma once
/// A JobObserver that draws a one-line progress bar on stderr when stderr is a terminal
/// (and prints nothing otherwise, so scripts and logs stay clean). Thread-safe; redraws
/// at most ten times a second.

#include <chrono>
#include <mutex>
#include <string>

#include "core/common/progress.h"

namespace reco::cli {

class ProgressBar : public JobObserver {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  ~ProgressBar() override { finish(); }
  void onProgress(const Progress& progress) override;
  void onMessage(const std::string& message) override;
  /// Clears the bar line; called before printing results.
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point lastDraw_{};
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace reco::cli
