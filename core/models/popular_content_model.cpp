#include "core/models/popular_content_model.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/data/training_data.h"

namespace reco {

namespace {
constexpr std::uint32_t kFormatVersion = 1;

// w_i = (buyers_i / the most buyers)^popularity; 0 for items nobody bought.
std::vector<float> popularityWeights(const std::vector<std::int32_t>& buyers, double popularity) {
  const std::int32_t most = buyers.empty() ? 0 : *std::max_element(buyers.begin(), buyers.end());
  std::vector<float> weights(buyers.size(), 0.0f);
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (buyers[i] > 0) weights[i] = float(std::pow(double(buyers[i]) / double(most), popularity));
  return weights;
}
}  // namespace

const OptionTable<PopularContentOptions>& PopularContentOptions::table() {
  using O = PopularContentOptions;
  static const OptionTable<O> kTable{
      optionField("popularity", &O::popularity, 0.0, 8.0,
                  "exponent of the item's share of buyers; 0: content alone"),
      optionField("blend", &O::blend, 0.0, 1e6,
                  "weight of plain popularity beside the content cosine (0..1 in practice)"),
      feedbackField(&O::feedback,
                    "binary: every history item counts once; weighted: by the pair weights"),
      optionField("min_df", &O::minDf, 1, 1e9, "drop tokens that occur in fewer items than this"),
  };
  return kTable;
}

PopularContentModel::PopularContentModel(const PopularContentOptions& options)
    : options_(options), content_(options.content()) {
  options_.validate();
}

Outcome PopularContentModel::fit(const TrainingData& data, TrainObserver* observer,
                                 std::stop_token stop) {
  fitted_ = false;
  if (content_.fit(data, observer, stop) == Outcome::Stopped) return Outcome::Stopped;
  buyers_.assign(std::size_t(data.itemCount), 0);
  for (std::int32_t i = 0; i < data.itemCount; ++i)
    buyers_[std::size_t(i)] = std::int32_t(data.itemUsers.rowSize(i));
  weights_ = popularityWeights(buyers_, options_.popularity);
  fitted_ = true;
  return Outcome::Completed;
}

void PopularContentModel::weigh(float* row) const {
  const auto blend = float(options_.blend);
  for (std::size_t i = 0; i < weights_.size(); ++i) row[i] = weights_[i] * (blend + row[i]);
}

void PopularContentModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'popcontent' must be trained or loaded first");
  content_.score(users, out);
  for (std::size_t r = 0; r < users.size(); ++r) weigh(out.data() + r * itemCount());
}

void PopularContentModel::scoreHistory(std::span<const ItemIndex> history,
                                       std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'popcontent' must be trained or loaded first");
  content_.scoreHistory(history, out);
  weigh(out.data());
}

std::vector<ScoredItem> PopularContentModel::similarItems(ItemIndex item, std::size_t n) const {
  return content_.similarItems(item, n);
}

void PopularContentModel::itemSimilarities(std::span<const ItemIndex> rows,
                                           std::span<const ItemIndex> columns,
                                           std::span<float> out) const {
  content_.itemSimilarities(rows, columns, out);
}

Explanation PopularContentModel::weighed(Explanation explanation, ItemIndex item) const {
  const auto i = std::size_t(item.value);
  const float w = weights_[i];
  explanation.score = w * (float(options_.blend) + float(explanation.score));
  for (auto& c : explanation.because) c.weight *= double(w);
  const std::string buyers = std::to_string(buyers_[i]) + (buyers_[i] == 1 ? " buyer" : " buyers");
  explanation.reason = buyers_[i] == 0 ? "nobody bought it in training: ranked last"
                       : explanation.because.empty()
                           ? "popular (" + buyers + ")"
                           : "popular (" + buyers + ") and similar to {item} you bought";
  return explanation;
}

Explanation PopularContentModel::explain(UserIndex user, ItemIndex item,
                                         std::span<const ItemIndex> history) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'popcontent' must be trained or loaded first");
  return weighed(content_.explain(user, item, history), item);
}

Explanation PopularContentModel::explainHistory(std::span<const ItemIndex> history,
                                                ItemIndex item) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'popcontent' must be trained or loaded first");
  return weighed(content_.explainHistory(history, item), item);
}

void PopularContentModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'popcontent' must be trained before saving");
  binary::writeHeader(out, "popcontent", kFormatVersion);
  binary::writeVector(out, buyers_);
  content_.save(out);
}

void PopularContentModel::load(std::istream& in) {
  fitted_ = false;
  binary::checkHeader(in, "popcontent", kFormatVersion);
  auto buyers = binary::readVector<std::int32_t>(in, "the buyers per item");
  content_.load(in);
  if (buyers.size() != content_.itemCount())
    throw Error(ErrorKind::Model, "popcontent model file is corrupt: buyers for " +
                                      std::to_string(buyers.size()) + " items, profiles for " +
                                      std::to_string(content_.itemCount()));
  for (const auto b : buyers)
    if (b < 0) throw Error(ErrorKind::Model, "popcontent model file is corrupt: negative buyers");
  buyers_ = std::move(buyers);
  weights_ = popularityWeights(buyers_, options_.popularity);
  fitted_ = true;
}

}  // namespace reco
