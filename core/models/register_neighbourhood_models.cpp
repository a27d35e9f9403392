// Registration of the neighbourhood models (builtin_models.h). Each model adds one entry here.
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/item_knn_model.h"
#include "core/models/registry.h"
#include "core/models/user_knn_model.h"

namespace reco {
namespace {

std::vector<OptionSpec> knnSpecs(bool itemBased) {
  const std::string who = itemBased ? "item" : "user";
  return {
      {"similarity", OptionType::Choice, "cosine", {}, {}, {"cosine", "jaccard", "pearson", "bm25", "tfidf"},
       itemBased ? "cosine, jaccard, pearson (adjusted cosine: ratings centred by the user's mean), "
                   "bm25 or tfidf (implicit's weightings)"
                 : "cosine, jaccard, pearson (ratings centred by the user's mean), bm25 or tfidf"},
      {"k", OptionType::Int, "100", 1.0, 100000.0, {}, "neighbours kept per " + who},
      {"shrink", OptionType::Double, "0", 0.0, 1e9, {}, "shrinkage: similarity = dot / (norms + shrink)"},
      {"feedback", OptionType::Choice, "binary", {}, {}, {"binary", "weighted"},
       "binary: 1 for every training pair; weighted: the pair weights"},
  };
}

KnnOptions readKnnOptions(const std::vector<OptionSpec>& specs, const OptionValues& values) {
  const OptionReader reader(specs, values);
  KnnOptions options;
  options.similarity = similarity::parseMeasure(reader.getString("similarity"));
  options.k = std::int32_t(reader.getInt("k"));
  options.shrink = reader.getDouble("shrink");
  options.feedback = parseFeedback(reader.getString("feedback"));
  options.validate();
  return options;
}

}  // namespace

void registerNeighbourhoodModels(Registry& registry) {
  ModelInfo item;
  item.name = "itemknn";
  item.family = "memory-based CF";
  item.summary = "item-based nearest neighbours: the user's items times a top-k item-item similarity matrix";
  item.options = knnSpecs(true);
  item.factory = [specs = item.options](const OptionValues& values, const ComputeOptions& compute) {
    return std::make_unique<ItemKnnModel>(readKnnOptions(specs, values), compute.threads);
  };
  registry.add(std::move(item));

  ModelInfo user;
  user.name = "userknn";
  user.family = "memory-based CF";
  user.summary = "user-based nearest neighbours: what the k most similar users chose";
  user.options = knnSpecs(false);
  user.factory = [specs = user.options](const OptionValues& values, const ComputeOptions& compute) {
    return std::make_unique<UserKnnModel>(readKnnOptions(specs, values), compute.threads);
  };
  registry.add(std::move(user));
}

}  // namespace reco
