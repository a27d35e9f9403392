#include "core/models/recommender.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/models/factor_scoring.h"

namespace reco {
namespace {

[[noreturn]] void unsupported(std::string_view model, const char* what) {
  throw Error(ErrorKind::Model, "model '" + std::string(model) + "' does not support " + what);
}

// Strict weak order of recommend(): score descending (NaN last), then item ascending.
bool ranksBefore(const ScoredItem& a, const ScoredItem& b) {
  const bool aNan = std::isnan(a.score);
  const bool bNan = std::isnan(b.score);
  if (aNan != bNan) return bNan;
  if (!aNan && a.score != b.score) return a.score > b.score;
  return a.item < b.item;
}

}  // namespace

bool Recommender::rankOnDevice(DeviceRanking&) const {
  return false;
}

void Recommender::scoreHistory(std::span<const ItemIndex>, std::span<float>) const {
  unsupported(modelName(), "scoring an ad-hoc history (fold-in)");
}

std::vector<ScoredItem> Recommender::similarItems(ItemIndex, std::size_t) const {
  unsupported(modelName(), "similar items");
}

std::size_t Recommender::itemEmbeddings(std::vector<float>&) const {
  unsupported(modelName(), "item embeddings");
}

void Recommender::itemSimilarities(std::span<const ItemIndex> rows,
                                   std::span<const ItemIndex> columns, std::span<float> out) const {
  if (!(capabilities() & kHasItemEmbeddings)) unsupported(modelName(), "item similarities");
  RECO_CHECK(out.size() == rows.size() * columns.size(), ErrorKind::Internal,
             "itemSimilarities: out has " + std::to_string(out.size()) + " floats, expected " +
                 std::to_string(rows.size() * columns.size()));
  std::vector<float> vectors;
  const std::size_t dim = itemEmbeddings(vectors);
  const std::size_t items = itemCount();
  auto vectorOf = [&](ItemIndex item) {
    RECO_CHECK(item.value >= 0 && std::size_t(item.value) < items, ErrorKind::Internal,
               "item index " + std::to_string(item.value) + " out of range [0, " +
                   std::to_string(items) + ")");
    return std::span<const float>(vectors).subspan(std::size_t(item.value) * dim, dim);
  };
  auto norm = [dim](std::span<const float> v) {
    return std::sqrt(double(factors::dot(v.data(), v.data(), dim)));
  };
  std::vector<double> columnNorms;
  columnNorms.reserve(columns.size());
  for (const ItemIndex c : columns) columnNorms.push_back(norm(vectorOf(c)));
  // The same cosine as factors::cosineNeighbours (similarItems of factor and deep models):
  // 0 where either vector is zero.
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto a = vectorOf(rows[r]);
    const double an = norm(a);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto b = vectorOf(columns[c]);
      const float dot = factors::dot(a.data(), b.data(), dim);
      out[r * columns.size() + c] =
          an > 0 && columnNorms[c] > 0 ? float(double(dot) / (an * columnNorms[c])) : 0.0f;
    }
  }
}

std::size_t Recommender::userEmbeddings(std::vector<float>& out) const {
  out.clear();
  return 0;
}

Explanation Recommender::explain(UserIndex user, ItemIndex item, std::span<const ItemIndex>) const {
  RECO_CHECK(item.value >= 0 && std::size_t(item.value) < itemCount(), ErrorKind::Internal,
             "item index " + std::to_string(item.value) + " out of range [0, " +
                 std::to_string(itemCount()) + ")");
  std::vector<float> row(itemCount());
  const UserIndex users[] = {user};
  score(users, row);
  Explanation explanation;
  explanation.score = row[std::size_t(item.value)];
  explanation.reason = "scored by " + std::string(modelName());
  return explanation;
}

std::vector<ScoredItem> Recommender::recommend(UserIndex user, std::span<const ItemIndex> seen,
                                               std::size_t n) const {
  RECO_CHECK(
      isFitted(), ErrorKind::Model,
      "model '" + std::string(modelName()) + "' must be trained or loaded before recommending");
  std::vector<float> row(itemCount());
  const UserIndex users[] = {user};
  score(users, row);
  return selectTopN(row, seen, n);
}

std::vector<ScoredItem> selectTopN(std::span<const float> scores,
                                   std::span<const ItemIndex> exclude, std::size_t n) {
  std::vector<char> excluded(scores.size(), 0);
  for (ItemIndex item : exclude) {
    if (item.value >= 0 && std::size_t(item.value) < scores.size()) {
      excluded[std::size_t(item.value)] = 1;
    }
  }
  std::vector<ScoredItem> candidates;
  candidates.reserve(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!excluded[i]) candidates.push_back({ItemIndex{std::int32_t(i)}, scores[i]});
  }
  const std::size_t keep = std::min(n, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + std::ptrdiff_t(keep), candidates.end(),
                    ranksBefore);
  candidates.resize(keep);
  return candidates;
}

}  // namespace reco
