// Registration of the factor models (builtin_models.h). Each model adds one entry here.
#include "core/models/als_model.h"
#include "core/models/biased_mf.h"
#include "core/models/bpr_model.h"
#include "core/models/builtin_models.h"
#include "core/models/pure_svd.h"
#include "core/models/registry.h"

namespace reco {
namespace {

template <class Model, class Options>
ModelFactory factoryOf() {
  return [](const OptionValues& values, const ComputeOptions& compute) -> std::unique_ptr<Recommender> {
    return std::make_unique<Model>(Options::fromValues(values), compute);
  };
}

}  // namespace

void registerFactorModels(Registry& registry) {
  registry.add({"puresvd", "matrix factorisation",
                "PureSVD: truncated SVD of the user x item matrix (randomized, seeded)", PureSvdOptions::specs(),
                false, factoryOf<PureSvdModel, PureSvdOptions>()});
  registry.add({"biasedmf", "matrix factorisation",
                "BiasedMF / FunkSVD: mean + biases + factors fitted to explicit ratings by SGD (RMSE)",
                BiasedMfOptions::specs(), false, factoryOf<BiasedMfModel, BiasedMfOptions>()});
  registry.add({"als", "matrix factorisation",
                "implicit ALS / WRMF (Hu-Koren-Volinsky) with conjugate-gradient solves", AlsOptions::specs(),
                false, factoryOf<AlsModel, AlsOptions>()});
  registry.add({"bpr", "matrix factorisation",
                "BPR-MF: pairwise ranking by SGD on sampled negatives, with an item bias", BprOptions::specs(),
                false, factoryOf<BprModel, BprOptions>()});
}

}  // namespace reco
