// Registration of the baseline models (builtin_models.h). Each model adds one entry here.
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/popularity_model.h"
#include "core/models/random_model.h"
#include "core/models/registry.h"

namespace reco {

void registerBaselineModels(Registry& registry) {
  registry.add(withOptionTable(
      "random", "baselines",
      "uniform random scores from the run's seed: the floor every model must beat",
      RandomOptions::table(), [](const RandomOptions& options, const ComputeOptions&) {
        return std::make_unique<RandomModel>(options);
      }));
  registry.add(withOptionTable(
      "pop", "baselines",
      "most popular items (training users per item), optionally over a recent window",
      PopularityOptions::table(), [](const PopularityOptions& options, const ComputeOptions&) {
        return std::make_unique<PopularityModel>(options);
      }));
}

}  // namespace reco
