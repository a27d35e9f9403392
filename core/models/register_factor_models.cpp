// Registration of the factor models (builtin_models.h). Each model adds one entry here.
#include <cstdint>

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

// The stored bytes of a factor model (FactorModel::save): its header, (users + items) x k
// floats, and what follows them, at most one float per user, per item and per factor (the
// biases of biasedmf and bpr, the singular values of puresvd) and a few counts.
template <class Options>
ModelInfo withFactorBytes(ModelInfo info) {
  info.storedBytes = [](const OptionValues& values, std::int64_t users, std::int64_t items) {
    const auto k = std::uint64_t(Options::table().read(values).factors);
    const auto rows = std::uint64_t(users) + std::uint64_t(items);
    return std::uint64_t(256) + rows * (k + 1) * sizeof(float) + k * sizeof(float);
  };
  return info;
}

}  // namespace

// biasedmf keeps every item: it predicts ratings, and an item nobody rated still has one
// (the mean and the user's bias), which RMSE on the test part needs.
void registerFactorModels(Registry& registry) {
  registry.add(learnsTrainedItemsOnly(withFactorBytes<PureSvdOptions>(
      withOptionTable("puresvd", "matrix factorisation",
                      "PureSVD: truncated SVD of the user x item matrix (randomized, seeded)",
                      PureSvdOptions::table(), makeFactorModel<PureSvdModel>()))));
  registry.add(withFactorBytes<BiasedMfOptions>(withOptionTable(
      "biasedmf", "matrix factorisation",
      "BiasedMF / FunkSVD: mean + biases + factors fitted to explicit ratings by SGD (RMSE)",
      BiasedMfOptions::table(), makeFactorModel<BiasedMfModel>())));
  registry.add(learnsTrainedItemsOnly(withFactorBytes<AlsOptions>(
      withOptionTable("als", "matrix factorisation",
                      "implicit ALS / WRMF (Hu-Koren-Volinsky) with conjugate-gradient solves",
                      AlsOptions::table(), makeFactorModel<AlsModel>()))));
  registry.add(learnsTrainedItemsOnly(withFactorBytes<BprOptions>(
      withOptionTable("bpr", "matrix factorisation",
                      "BPR-MF: pairwise ranking by SGD on sampled negatives, with an item bias",
                      BprOptions::table(), makeFactorModel<BprModel>()))));
}

}  // namespace reco
