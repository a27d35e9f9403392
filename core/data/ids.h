#pragma once
/// The core's shared vocabulary for users and items: dense indices into a dataset's id maps
/// and a scored item. Defined here, low in the layer order (.github/ARCHITECTURE.md, Layers
/// inside the core), so that storage, evaluation and the models share them without
/// including one another.

#include <compare>
#include <cstdint>

namespace reco {

/// A user's dense 0-based index in a dataset's id map (not the shop's external id). A strong
/// type so that users and items cannot be swapped.
struct UserIndex {
  std::int32_t value = 0;
  friend auto operator<=>(const UserIndex&, const UserIndex&) = default;
};

/// An item's dense 0-based index in a dataset's id map.
struct ItemIndex {
  std::int32_t value = 0;
  friend auto operator<=>(const ItemIndex&, const ItemIndex&) = default;
};

/// An item and a model's score for it (higher is better; the scale is the model's own).
struct ScoredItem {
  ItemIndex item;
  float score = 0;
  friend bool operator==(const ScoredItem&, const ScoredItem&) = default;
};

}  // namespace reco
