#pragma once
/// Split protocols over a dataset's user-item pairs. A pair is one (user, item) with all its
/// interactions folded together (first time, summed weight, latest rating), so that the same
/// item never sits in a user's training and test parts at once.
///
/// Protocols (seeded; each user draws from its own stream, so a user's split does not
/// depend on the others):
/// - random: per user, round(test * n) of the user's n pairs go to test (at least one pair
///   stays in training; users with one pair keep it);
/// - temporal: one global cut-off: pairs first seen at or after it are test. The cut-off is
///   a date, or the time quantile that leaves the fraction `test` of pairs after it;
/// - leave-last: per user, the last `test` pairs by first time (ties by item index) are test.
/// Validation (optional) is drawn the same way from what stays in training.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reco {

enum class SplitProtocol { Random, Temporal, LeaveLast };
const char* splitProtocolName(SplitProtocol protocol);
/// "random", "temporal", "leave-last"; throws Config listing them otherwise.
SplitProtocol parseSplitProtocol(const std::string& text);

struct SplitOptions {
  SplitProtocol protocol = SplitProtocol::Random;
  double test = 0.2;                   ///< a fraction in (0, 1), or a count >= 1 for leave-last
  double valid = 0.0;                  ///< the same for the validation part; 0: none
  std::optional<std::int64_t> cutoff;  ///< temporal only: a date (Unix s) instead of `test`
  std::uint64_t seed = 42;
  /// Keep only pairs whose latest rating is >= this (datasets with ratings only).
  std::optional<double> ratingThreshold;
  /// How TrainingData weights a pair: "binary" (1) or "weighted" (the summed values:
  /// event weights, quantities or ratings).
  std::string weighting = "binary";

  /// Throws Config naming the option and the accepted range.
  void validate() const;
  /// The options as JSON (stored with the split).
  std::string toJson() const;
};

inline constexpr std::int64_t kNoPairTime = INT64_MIN;

/// One user-item pair. `time` is the first interaction's time (kNoPairTime when unknown).
struct Pair {
  std::int32_t user = 0;
  std::int32_t item = 0;
  std::int64_t time = kNoPairTime;
  float weight = 0;  ///< the summed values of the pair's interactions
  float rating = 0;  ///< the latest value (the rating, for rating datasets)
};

/// The rule that folds a user's interactions with an item into one Pair's rating, shared by
/// every reader of a split's parts (storage's loadPairs and loadUserPairs, the item profile's
/// co-occurrence), so that they agree on which pairs are training pairs.
/// Rows come in file order; a row at `time` takes over the rating from the row it was taken
/// from at `ratedAt` when it is not older: the latest time wins, a later row wins a tie, and a
/// row without a time (kNoPairTime) counts as the oldest.
inline bool takesPairRating(std::int64_t time, std::int64_t ratedAt) {
  return time >= ratedAt;
}
/// Whether a pair with this rating is kept at the split's rating threshold (none: every pair).
inline bool keptAtThreshold(float rating, const std::optional<double>& threshold) {
  return !threshold || double(rating) >= *threshold;
}

enum class Part : std::uint8_t { Train = 0, Valid = 1, Test = 2 };

/// The part of each pair, aligned with `pairs`, which must be sorted by user and then
/// item (as loadPairs returns them). Throws Config when the protocol cannot apply (a
/// temporal split of pairs without times).
std::vector<Part> assignParts(const std::vector<Pair>& pairs, const SplitOptions& options);

}  // namespace reco
