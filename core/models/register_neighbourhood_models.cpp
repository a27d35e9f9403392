// Registration of the neighbourhood models (builtin_models.h). Each model adds one entry here.
#include <algorithm>
#include <cstdint>
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/item_knn_model.h"
#include "core/models/registry.h"
#include "core/models/user_knn_model.h"

namespace reco {

namespace {

// ItemKnnModel::save and UserKnnModel::save: their header, the training matrix (its row
// starts counted here, its pairs added by the experiment, storage/model_room.h) and the
// neighbours, at most min(k, rows) (index, weight) pairs for each of `rows` items or users.
std::uint64_t knnBytes(std::int64_t k, std::int64_t users, std::int64_t rows) {
  const auto kept = std::uint64_t(std::min(k, rows));
  const auto n = std::uint64_t(rows);
  return std::uint64_t(256) + (std::uint64_t(users) + n + 2) * sizeof(std::int64_t) +
         n * kept * (sizeof(std::int32_t) + sizeof(float));
}

}  // namespace

void registerNeighbourhoodModels(Registry& registry) {
  ModelInfo item = learnsTrainedItemsOnly(withOptionTable(
      "itemknn", "memory-based CF",
      "item-based nearest neighbours: the user's items times a top-k item-item similarity matrix",
      KnnOptions::itemTable(), [](const KnnOptions& options, const ComputeOptions& compute) {
        return std::make_unique<ItemKnnModel>(options, compute.threads);
      }));
  item.storedBytes = [](const OptionValues& values, std::int64_t users, std::int64_t items) {
    return knnBytes(KnnOptions::itemTable().read(values).k, users, items);
  };
  registry.add(std::move(item));
  ModelInfo user = learnsTrainedItemsOnly(withOptionTable(
      "userknn", "memory-based CF",
      "user-based nearest neighbours: what the k most similar users chose", KnnOptions::userTable(),
      [](const KnnOptions& options, const ComputeOptions& compute) {
        return std::make_unique<UserKnnModel>(options, compute.threads);
      }));
  user.storedBytes = [](const OptionValues& values, std::int64_t users, std::int64_t) {
    return knnBytes(KnnOptions::userTable().read(values).k, users, users);
  };
  registry.add(std::move(user));
}

}  // namespace reco
