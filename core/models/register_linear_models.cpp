// Registration of the linear models (builtin_models.h). Each model adds one entry here.
#include "core/models/builtin_models.h"
#include "core/models/ease_model.h"
#include "core/models/registry.h"

namespace reco {

void registerLinearModels(Registry& registry) {
  registry.add(withOptionTable(
      "ease", "linear",
      "EASE: closed-form item x item weights (Steck 2019); dense, refuses item counts past a "
      "memory budget",
      EaseOptions::table(), [](EaseOptions options, const ComputeOptions& compute) {
        return std::make_unique<EaseModel>(std::move(options), compute);
      }));
}

}  // namespace reco
