#include "core/rerank/reranked_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/rerank/fallback_chain.h"

namespace reco {

namespace {

constexpr const char* kTag = "rerank";
constexpr std::uint32_t kVersion = 1;

std::vector<ItemIndex> rowItems(const CsrMatrix& m, std::int32_t row) {
  std::vector<ItemIndex> items;
  if (row < 0 || row >= m.rows()) return items;
  for (const auto c : m.rowCols(row)) items.push_back(ItemIndex{c});
  return items;
}

}  // namespace

void attachItemSimilarity(const Recommender& base, const RerankOptions& options,
                          RerankSideInfo& side) {
  side.itemVectors.clear();
  side.dimension = 0;
  side.similarity = nullptr;
  if (options.method != RerankMethod::Mmr || options.by != RerankSimilarity::Embedding) return;
  const unsigned caps = base.capabilities();
  if (caps & kHasItemEmbeddings) {
    std::vector<float> vectors;
    const std::size_t dim = base.itemEmbeddings(vectors);
    if (dim > 0 && vectors.size() == dim * base.itemCount()) {
      for (std::size_t i = 0; i < base.itemCount(); ++i) {
        float* v = vectors.data() + i * dim;
        double norm = 0;
        for (std::size_t d = 0; d < dim; ++d) norm += double(v[d]) * double(v[d]);
        const double scale = norm > 0 && std::isfinite(norm) ? 1.0 / std::sqrt(norm) : 0.0;
        for (std::size_t d = 0; d < dim; ++d) v[d] = float(v[d] * scale);
      }
      side.itemVectors = std::move(vectors);
      side.dimension = dim;
      return;
    }
  }
  if (caps & kCanSimilarItems) {
    const Recommender* model = &base;
    side.similarity = [model](std::span<const ItemIndex> pool, std::span<float> out) {
      model->itemSimilarities(pool, pool, out);
    };
    return;
  }
  throw Error(ErrorKind::Config,
              "re-rank by=embedding needs item vectors or item similarities, "
              "and model '" +
                  std::string(base.modelName()) + "' has neither; use by=category");
}

RerankedModel::RerankedModel(std::unique_ptr<Recommender> base, RerankOptions options,
                             RerankSideInfo side, CsrMatrix seen)
    : base_(std::move(base)),
      options_(std::move(options)),
      side_(std::move(side)),
      seen_(std::move(seen)) {
  RECO_CHECK(base_ && base_->isFitted(), ErrorKind::Internal,
             "RerankedModel: the base model must be fitted");
  options_.validate();
  side_.check();
  RECO_CHECK(side_.itemCount() == base_->itemCount(), ErrorKind::Internal,
             "RerankedModel: side info for " + std::to_string(side_.itemCount()) +
                 " items, the base model has " + std::to_string(base_->itemCount()));
  RECO_CHECK(seen_.cols() == std::int32_t(base_->itemCount()), ErrorKind::Internal,
             "RerankedModel: the training matrix has " + std::to_string(seen_.cols()) +
                 " items, the base model " + std::to_string(base_->itemCount()));
  prepareSimilarity();
  loaded_ = true;
}

RerankedModel::RerankedModel(std::unique_ptr<Recommender> base) : base_(std::move(base)) {
  RECO_CHECK(base_ != nullptr, ErrorKind::Internal, "RerankedModel: no base model");
}

void RerankedModel::prepareSimilarity() {
  attachItemSimilarity(*base_, options_, side_);
}

unsigned RerankedModel::capabilities() const {
  return (base_->capabilities() & (kCanFoldIn | kCanSimilarItems | kHasItemEmbeddings)) |
         kCanExplain;
}

Outcome RerankedModel::fit(const TrainingData&, TrainObserver*, std::stop_token) {
  throw Error(ErrorKind::Model,
              "a re-ranked model is not trained; a re-ranked run is made with `reco rerank`");
}

std::vector<ScoredItem> RerankedModel::rerankBaseRow(std::span<float> row,
                                                     std::span<const ItemIndex> seen,
                                                     std::span<const ItemIndex> history) const {
  return rerankRow(row, seen, history, side_, options_);
}

void RerankedModel::rewrite(std::span<float> row, std::span<const ItemIndex> seen,
                            std::span<const ItemIndex> history) const {
  const std::vector<ScoredItem> list = rerankRow(row, seen, history, side_, options_);
  const float never = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < row.size(); ++i)
    if (side_.excluded[i]) row[i] = never;
  // Everything else keeps its (fallback-applied) base score; the listed items go above the
  // best of it, in list order.
  thread_local std::vector<char> listed;
  listed.assign(row.size(), 0);
  for (const auto& s : list) listed[std::size_t(s.item.value)] = 1;
  float best = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < row.size(); ++i)
    if (!listed[i] && std::isfinite(row[i])) best = std::max(best, row[i]);
  if (!std::isfinite(best)) best = 0;
  const float gap = std::max(1.0f, std::abs(best) * 1e-3f);
  const std::size_t n = list.size();
  for (std::size_t k = 0; k < n; ++k)
    row[std::size_t(list[k].item.value)] = best + gap * float(n - k);
}

void RerankedModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  RECO_CHECK(loaded_, ErrorKind::Model, "the re-ranked model is not loaded");
  const std::size_t items = itemCount();
  RECO_CHECK(out.size() == users.size() * items, ErrorKind::Internal,
             "RerankedModel::score: wrong output size");
  base_->score(users, out);
  for (std::size_t u = 0; u < users.size(); ++u) {
    const std::vector<ItemIndex> seen = rowItems(seen_, users[u].value);
    rewrite(out.subspan(u * items, items), seen, seen);
  }
}

void RerankedModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(base_->capabilities() & kCanFoldIn, ErrorKind::Model,
             "model '" + std::string(base_->modelName()) +
                 "' under the re-ranker cannot score a new history");
  base_->scoreHistory(history, out);
  rewrite(out, history, history);
}

std::vector<ScoredItem> RerankedModel::similarItems(ItemIndex item, std::size_t n) const {
  return base_->similarItems(item, n);
}

std::size_t RerankedModel::itemEmbeddings(std::vector<float>& out) const {
  return base_->itemEmbeddings(out);
}

void RerankedModel::itemSimilarities(std::span<const ItemIndex> rows,
                                     std::span<const ItemIndex> columns,
                                     std::span<float> out) const {
  base_->itemSimilarities(rows, columns, out);
}

std::size_t RerankedModel::userEmbeddings(std::vector<float>& out) const {
  return base_->userEmbeddings(out);
}

std::string RerankedModel::effect(std::span<float> row, std::span<const ItemIndex> seen,
                                  ItemIndex item) const {
  const std::size_t i = std::size_t(item.value);
  if (side_.excluded[i]) return "; excluded by a rule";
  std::vector<char> isFallback(row.size(), 0);
  if (options_.fallback == "popular") applyFallback(row, side_.popularity, isFallback);
  RerankOptions plain = options_;
  plain.fallback.clear();  // applied above, with the marks
  const auto pool = rerankPool(row, seen, side_, plain);
  const auto list = rerankRow(row, seen, seen, side_, plain);
  auto rankIn = [&](const std::vector<ScoredItem>& items) -> std::ptrdiff_t {
    for (std::size_t k = 0; k < items.size(); ++k)
      if (items[k].item == item) return std::ptrdiff_t(k);
    return -1;
  };
  const std::ptrdiff_t before = rankIn(pool), after = rankIn(list);
  std::string text;
  if (isFallback[i]) text += "; fallback: popular";
  if (!side_.boost.empty() && side_.boost[i] != 1.0f) {
    text += "; boosted ×" + formatSignificant(side_.boost[i], 3);
    const auto c = side_.itemCategory[i];
    if (c >= 0 && std::size_t(c) < side_.categoryNames.size())
      text += " (" + side_.categoryNames[std::size_t(c)] + ")";
  }
  const std::string by = options_.method == RerankMethod::None
                             ? std::string("the rules")
                             : std::string(rerankMethodName(options_.method));
  if (before >= 0 && after >= 0 && after < before)
    text += "; moved up by " + by;
  else if (before >= 0 && after > before)
    text += "; moved down by " + by;
  else if (before >= 0 && after < 0 && before < options_.depth)
    text += "; left out by " + by;
  return text;
}

Explanation RerankedModel::explain(UserIndex user, ItemIndex item,
                                   std::span<const ItemIndex> history) const {
  Explanation explanation = base_->explain(user, item, history);
  std::vector<float> row(itemCount());
  const UserIndex users[] = {user};
  base_->score(users, row);
  explanation.reason += effect(row, rowItems(seen_, user.value), item);
  return explanation;
}

Explanation RerankedModel::explainHistory(std::span<const ItemIndex> history,
                                          ItemIndex item) const {
  Explanation explanation = base_->explainHistory(history, item);
  if (!(base_->capabilities() & kCanFoldIn)) return explanation;
  std::vector<float> row(itemCount());
  base_->scoreHistory(history, row);
  explanation.reason += effect(row, history, item);
  return explanation;
}

void RerankedModel::save(std::ostream& out) const {
  RECO_CHECK(loaded_, ErrorKind::Model, "the re-ranked model is not loaded");
  binary::writeHeader(out, kTag, kVersion);
  const OptionValues settings = options_.settings();
  binary::write<std::uint64_t>(out, settings.size());
  for (const auto& [key, value] : settings) {
    binary::writeString(out, key);
    binary::writeString(out, value);
  }
  binary::writeVector(out, side_.itemCategory);
  binary::write<std::uint64_t>(out, side_.categoryNames.size());
  for (const auto& name : side_.categoryNames) binary::writeString(out, name);
  binary::writeVector(out, side_.popularity);
  binary::writeVector(out, side_.excluded);
  binary::writeVector(out, side_.boost);
  binary::write<std::int32_t>(out, seen_.rows());
  binary::write<std::int32_t>(out, seen_.cols());
  binary::writeVector(out, seen_.rowStart());
  binary::writeVector(out, seen_.colIndex());
}

void RerankedModel::load(std::istream& in) {
  binary::checkHeader(in, kTag, kVersion);
  const auto count = binary::read<std::uint64_t>(in, "the re-rank setting count");
  if (count > 4096) throw Error(ErrorKind::Model, "re-rank model is corrupt: settings");
  OptionValues settings;
  for (std::uint64_t s = 0; s < count; ++s) {
    std::string key = binary::readString(in, "a re-rank setting");
    settings[key] = binary::readString(in, "a re-rank setting's value");
  }
  options_ = RerankOptions::fromSettings(settings);
  side_ = RerankSideInfo{};
  side_.itemCategory = binary::readVector<std::int32_t>(in, "the item categories");
  const auto names = binary::read<std::uint64_t>(in, "the category count");
  if (names > (1ull << 24)) throw Error(ErrorKind::Model, "re-rank model is corrupt: categories");
  side_.categoryNames.resize(names);
  for (auto& name : side_.categoryNames) name = binary::readString(in, "a category name");
  side_.popularity = binary::readVector<float>(in, "the item popularity");
  side_.excluded = binary::readVector<char>(in, "the excluded items");
  side_.boost = binary::readVector<float>(in, "the item boosts");
  const auto rows = binary::read<std::int32_t>(in, "the user count");
  const auto cols = binary::read<std::int32_t>(in, "the item count");
  auto start = binary::readVector<std::int64_t>(in, "the training rows");
  auto index = binary::readVector<std::int32_t>(in, "the training items");
  if (rows < 0 || start.size() != std::size_t(rows) + 1 ||
      start.back() != std::int64_t(index.size()))
    throw Error(ErrorKind::Model, "re-rank model is corrupt: the training history");
  std::vector<float> ones(index.size(), 1.0f);
  seen_ = CsrMatrix::fromParts(rows, cols, std::move(start), std::move(index), std::move(ones));
  side_.check();
  RECO_CHECK(side_.itemCount() == base_->itemCount(), ErrorKind::Model,
             "re-rank model is corrupt: side info for " + std::to_string(side_.itemCount()) +
                 " items, its base model has " + std::to_string(base_->itemCount()));
  prepareSimilarity();
  loaded_ = true;
}

}  // namespace reco
