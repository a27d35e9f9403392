// Registration of the baseline models (builtin_models.h). Each model adds one entry here.
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/popularity_model.h"
#include "core/models/random_model.h"
#include "core/models/registry.h"

namespace reco {

void registerBaselineModels(Registry& registry) {
  ModelInfo random;
  random.name = "random";
  random.family = "baselines";
  random.summary = "uniform random scores from the run's seed: the floor every model must beat";
  random.factory = [specs = random.options](const OptionValues& values, const ComputeOptions&) {
    const OptionReader reader(specs, values);  // refuses any key: random has no options
    return std::make_unique<RandomModel>(RandomOptions{});
  };
  registry.add(std::move(random));

  ModelInfo pop;
  pop.name = "pop";
  pop.family = "baselines";
  pop.summary = "most popular items (training users per item), optionally over a recent window";
  pop.options = {
      {"window_days", OptionType::Int, "0", 0.0, 36500.0, {},
       "count only pairs at most this many days before the latest training time; 0: all time"},
  };
  pop.factory = [specs = pop.options](const OptionValues& values, const ComputeOptions&) {
    const OptionReader reader(specs, values);
    PopularityOptions options;
    options.windowDays = std::int32_t(reader.getInt("window_days"));
    options.validate();
    return std::make_unique<PopularityModel>(options);
  };
  registry.add(std::move(pop));
}

}  // namespace reco
