#pragma once
/// The fallback chain (issue 14, cold start): where a model has nothing to say about an
/// item, another ranking (popularity) decides, below every item the model does rank. Used
/// by what-if (training/what_if.h) and by re-ranked runs' "fallback" stage alike, so that
/// the effect measured on cold users is the effect shown in the window.

#include <cstddef>
#include <span>
#include <vector>

namespace reco {

/// A score carries a signal unless it is exactly 0 or NaN (itemknn, ease and content give 0
/// to items no history item points to). -infinity ("never recommend") is kept as it is.
bool carriesSignal(float score);

/// Rewrites one score row in place: items with a signal keep their scores; every other item
/// (not -infinity) gets a score below the lowest signal score, ordered by `fallback` (same
/// length, higher first; ties keep the item order). `isFallback`, when not empty (same
/// length), is set to 1 for the items the fallback ranks and 0 elsewhere. Returns the number
/// of items with a signal. O(items). Throws Internal on mismatched lengths.
std::size_t applyFallback(std::span<float> row, std::span<const float> fallback,
                          std::span<char> isFallback = {});

}  // namespace reco
