#include "core/rerank/fallback_chain.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"

namespace reco {

bool carriesSignal(float score) {
  return score != 0.0f && !std::isnan(score);
}

std::size_t applyFallback(std::span<float> row, std::span<const float> fallback,
                          std::span<char> isFallback) {
  RECO_CHECK(fallback.size() == row.size(), ErrorKind::Internal,
             "applyFallback: " + std::to_string(row.size()) + " scores but " +
                 std::to_string(fallback.size()) + " fallback scores");
  RECO_CHECK(isFallback.empty() || isFallback.size() == row.size(), ErrorKind::Internal,
             "applyFallback: the fallback marks must match the scores");
  const float never = -std::numeric_limits<float>::infinity();
  std::size_t signals = 0;
  float lowest = std::numeric_limits<float>::infinity();
  float top = 0;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (carriesSignal(row[i])) {
      if (row[i] != never) {
        ++signals;
        lowest = std::min(lowest, row[i]);
      }
    }
    if (std::isfinite(fallback[i])) top = std::max(top, std::abs(fallback[i]));
  }
  if (!std::isfinite(lowest)) lowest = 0;
  // The fallback's items fill [lowest - 2 gap, lowest - gap]: below every signal, in the
  // fallback's order. The gap grows with |lowest| so the offsets survive float rounding.
  const float gap = std::max(1.0f, std::abs(lowest) * 1e-3f);
  for (std::size_t i = 0; i < row.size(); ++i) {
    const bool filled = row[i] != never && !carriesSignal(row[i]);
    if (!isFallback.empty()) isFallback[i] = filled ? 1 : 0;
    if (!filled) continue;
    const float share = top > 0 && std::isfinite(fallback[i]) ? fallback[i] / top : 0.0f;
    row[i] = lowest - gap * (2.0f - std::clamp(share, -1.0f, 1.0f));
    // Exactly 0 would read as "no signal" again (lowest = gap = 1 and the top share).
    if (row[i] == 0.0f) row[i] = -std::numeric_limits<float>::min();
  }
  return signals;
}

}  // namespace reco
