#include "app/cli/progress_bar.h"

#include <cmath>
#include <cstdio>

namespace reco::cli {

void ProgressBar::onProgress(const Progress& progress) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  const double fraction = progress.fraction();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  constexpr int kWidth = 30;
  std::string bar;
  if (fraction >= 0) {
    const int filled = int(std::lround(fraction * kWidth));
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + std::string.
    bar.reserve(kWidth + 2);
    bar += '[';
    bar.append(std::size_t(filled), '#');
    bar.append(std::size_t(kWidth - filled), '.');
    bar += ']';
    std::fprintf(stderr, "\r\033[K%s %5.1f%% %s  %.1fs", bar.c_str(), fraction * 100.0,
                 progress.stage.c_str(), elapsed);
  } else {
    std::fprintf(stderr, "\r\033[K%s %llu  %.1fs", progress.stage.c_str(),
                 static_cast<unsigned long long>(progress.done), elapsed);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::onMessage(const std::string& message) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  std::fprintf(stderr, "\r\033[K%s\n", message.c_str());
  drawn_ = false;
}

void ProgressBar::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace reco::cli
