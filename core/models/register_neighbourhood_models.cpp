// Registration of the neighbourhood models (builtin_models.h). Each model adds one entry here.
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/item_knn_model.h"
#include "core/models/registry.h"
#include "core/models/user_knn_model.h"

namespace reco {

void registerNeighbourhoodModels(Registry& registry) {
  registry.add(withOptionTable(
      "itemknn", "memory-based CF",
      "item-based nearest neighbours: the user's items times a top-k item-item similarity matrix",
      KnnOptions::itemTable(), [](const KnnOptions& options, const ComputeOptions& compute) {
        return std::make_unique<ItemKnnModel>(options, compute.threads);
      }));
  registry.add(withOptionTable("userknn", "memory-based CF",
                               "user-based nearest neighbours: what the k most similar users chose",
                               KnnOptions::userTable(),
                               [](const KnnOptions& options, const ComputeOptions& compute) {
                                 return std::make_unique<UserKnnModel>(options, compute.threads);
                               }));
}

}  // namespace reco
