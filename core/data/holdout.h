#pragma once
/// Repeated validation draws for tuning: a validation part drawn at random, per user, from
/// a training part, the way the random split protocol draws it (split.h). Used by tuning
/// to average a candidate's score over several draws instead of trusting one.

#include <cstdint>

#include "core/data/training_data.h"

namespace reco {

/// A copy of `full` whose training part loses, for each user with n >= 2 training pairs,
/// round(fraction * n) of them (at most n - 1), drawn with Random(seed).split(user); the
/// drawn pairs become the validation part (value 1). Ratings and time-ordered histories
/// follow their pairs; item side information is shared by copy. fraction in (0, 1).
/// O(pairs) time and one copy of the matrices.
TrainingData holdOutValidation(const TrainingData& full, double fraction, std::uint64_t seed);

}  // namespace reco
