#pragma once
// Test support: a workspace holding a generated shop (dataset "shop") and, where a suite
// trains runs, its random split "holdout" with a validation part.

#include <cstdint>
#include <string>

#include "core/data/synthetic.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"

namespace reco::testing {

/// Imports a generated shop of `users` x `items` with `interactions` events (generator
/// seed `seed`) as the dataset "shop" of `workspace`.
inline DatasetInfo importSyntheticShop(storage::Workspace& workspace, std::int64_t users,
                                       std::int64_t items, std::int64_t interactions,
                                       std::uint64_t seed) {
  io::ImportOptions options;
  options.name = "shop";
  data::SyntheticOptions shop;
  shop.users = users;
  shop.items = items;
  shop.interactions = interactions;
  shop.seed = seed;
  return storage::importRecords(
             workspace, "synthetic", "memory", options,
             [&](io::RecordSink& sink) { return data::generateShop(shop, sink, nullptr, {}); },
             nullptr, {})
      .dataset;
}

/// Draws the random split "holdout" of `dataset`: 20% test, 10% validation.
inline storage::SplitInfo createHoldoutSplit(storage::Workspace& workspace,
                                             const DatasetInfo& dataset) {
  SplitOptions split;
  split.test = 0.2;
  split.valid = 0.1;
  return storage::createSplit(workspace, dataset, "holdout", split, nullptr, {}).split;
}

}  // namespace reco::testing
