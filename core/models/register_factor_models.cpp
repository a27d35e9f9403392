// Registration of the factor models (builtin_models.h). Each model adds one entry here.
#include "core/models/als_model.h"
#include "core/models/biased_mf.h"
#include "core/models/bpr_model.h"
#include "core/models/builtin_models.h"
#include "core/models/pure_svd.h"
#include "core/models/registry.h"

namespace reco {
namespace {

// make(options, compute) for withOptionTable: a Model built from its options struct.
template <class Model>
auto makeFactorModel() {
  return [](auto options, const ComputeOptions& compute) {
    return std::make_unique<Model>(std::move(options), compute);
  };
}

}  // namespace

void registerFactorModels(Registry& registry) {
  registry.add(
      withOptionTable("puresvd", "matrix factorisation",
                      "PureSVD: truncated SVD of the user x item matrix (randomized, seeded)",
                      PureSvdOptions::table(), makeFactorModel<PureSvdModel>()));
  registry.add(withOptionTable(
      "biasedmf", "matrix factorisation",
      "BiasedMF / FunkSVD: mean + biases + factors fitted to explicit ratings by SGD (RMSE)",
      BiasedMfOptions::table(), makeFactorModel<BiasedMfModel>()));
  registry.add(
      withOptionTable("als", "matrix factorisation",
                      "implicit ALS / WRMF (Hu-Koren-Volinsky) with conjugate-gradient solves",
                      AlsOptions::table(), makeFactorModel<AlsModel>()));
  registry.add(
      withOptionTable("bpr", "matrix factorisation",
                      "BPR-MF: pairwise ranking by SGD on sampled negatives, with an item bias",
                      BprOptions::table(), makeFactorModel<BprModel>()));
}

}  // namespace reco
