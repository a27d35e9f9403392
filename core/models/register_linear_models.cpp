// Registration of the linear models (builtin_models.h). Each model adds one entry here.
#include <cstdint>

#include "core/models/builtin_models.h"
#include "core/models/ease_model.h"
#include "core/models/registry.h"

namespace reco {

void registerLinearModels(Registry& registry) {
  ModelInfo ease = learnsTrainedItemsOnly(withOptionTable(
      "ease", "linear",
      "EASE: closed-form item x item weights (Steck 2019); dense, refuses item counts past a "
      "memory budget",
      EaseOptions::table(), [](EaseOptions options, const ComputeOptions& compute) {
        return std::make_unique<EaseModel>(std::move(options), compute);
      }));
  // EaseModel::save: its header, items x items float weights, and the training matrix, whose
  // row starts are counted here (one int64 per user) and whose pairs the experiment adds
  // (storage/model_room.h): 17k items are 1.16 GB.
  ease.storedBytes = [](const OptionValues&, std::int64_t users, std::int64_t items) {
    const auto n = std::uint64_t(items);
    return std::uint64_t(256) + n * n * sizeof(float) +
           (std::uint64_t(users) + 1) * sizeof(std::int64_t);
  };
  registry.add(std::move(ease));
}

}  // namespace reco
