#pragma once
/// What a model trains on: the training part of a split as user x item matrices over the
/// dataset's dense indices, plus item side information. Built once per run
/// (storage/training_loader.h), then shared read-only (std::shared_ptr<const TrainingData>)
/// by the model, the evaluator and the GUI's threads.
///
/// Indices: users 0..userCount()-1 and items 0..itemCount()-1 are the dataset's idx values
/// (users.idx, items.idx). After k-core filtering some indices have no rows at all; a model
/// simply sees empty rows and columns there.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/data/sparse_matrix.h"

namespace reco {

struct TrainingData {
  std::int32_t userCount = 0;
  std::int32_t itemCount = 0;

  /// One entry per (user, item) pair of the training part, columns ascending. The value is
  /// the implicit weight the split's feedback mode gives the pair: 1 for "binary", the sum of
  /// event weights (or quantities) for "weighted". Never 0.
  CsrMatrix userItems;
  /// The transpose of userItems (item x user), for item-based models.
  CsrMatrix itemUsers;

  /// True when the dataset holds explicit ratings; then `ratings` is aligned with
  /// userItems' entries (ratings[k] belongs to userItems.colIndex()[k]) and holds the pair's
  /// latest rating. Empty otherwise. Rating models (biasedmf) train on these.
  bool hasRatings = false;
  std::vector<float> ratings;

  /// Each user's training items in time order (repeats kept out: one entry per pair, by the
  /// pair's first time), rows as userItems but columns in time order, values = the pair's
  /// first time in Unix seconds (NaN when unknown). For sequential models and recency.
  CsrMatrix userSequence;

  /// The validation part (users x items, value 1), empty when the split has none. Models
  /// that stop early evaluate on it; the test part never reaches a model.
  CsrMatrix validation;

  /// Item side information (content, hybrid, diversity, explanations); itemCount entries.
  std::vector<std::int32_t> itemCategory;  ///< index into categoryNames, -1 when none
  std::vector<std::string> categoryNames;
  std::vector<std::string> itemTitles;  ///< "" when unknown
  std::vector<float> itemPrices;        ///< NaN when unknown

  /// The seed of the run: every stochastic model draws from Random(seed).
  std::uint64_t seed = 42;
};

}  // namespace reco
