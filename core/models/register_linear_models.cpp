// Registration of the linear models (builtin_models.h). Each model adds one entry here.
#include "core/models/builtin_models.h"
#include "core/models/ease_model.h"
#include "core/models/registry.h"

namespace reco {

void registerLinearModels(Registry& registry) {
  registry.add({"ease", "linear",
                "EASE: closed-form item x item weights (Steck 2019); dense, refuses item counts past a memory budget",
                EaseOptions::specs(), false,
                [](const OptionValues& values, const ComputeOptions& compute) -> std::unique_ptr<Recommender> {
                  return std::make_unique<EaseModel>(EaseOptions::fromValues(values), compute);
                }});
}

}  // namespace reco
