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

void checkDeviceRanking(const DeviceRanking& block, std::size_t items, const char* who) {
  const std::size_t n = block.users.size(), relevant = block.relevant.size();
  const auto ascendingFromZero = [n](std::span<const std::int64_t> start, std::size_t size) {
    if (start.size() != n + 1 || start.front() != 0 || start.back() != std::int64_t(size))
      return false;
    return std::is_sorted(start.begin(), start.end());
  };
  RECO_CHECK(ascendingFromZero(block.excludeStart, block.exclude.size()) &&
                 ascendingFromZero(block.relevantStart, relevant) &&
                 block.top.size() == n * block.n && block.below.size() == relevant &&
                 block.ties.size() == relevant,
             ErrorKind::Internal, std::string(who) + ": block spans of the wrong sizes");
  for (const std::int32_t i : block.exclude)
    RECO_CHECK(i >= 0 && std::size_t(i) < items, ErrorKind::Internal,
               std::string(who) + ": excluded item " + std::to_string(i) + " out of range");
  for (const std::int32_t i : block.relevant)
    RECO_CHECK(i >= 0 && std::size_t(i) < items, ErrorKind::Internal,
               std::string(who) + ": relevant item " + std::to_string(i) + " out of range");
}

bool Recommender::rankOnDevice(DeviceRanking&) const {
  return false;
}

void Recommender::scoreHistory(std::span<const ItemIndex>, std::span<float>) const {
  unsupported(modelName(), "scoring an ad-hoc history (fold-in)");
}

Explanation Recommender::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  RECO_CHECK(item.value >= 0 && std::size_t(item.value) < itemCount(), ErrorKind::Internal,
             "item index " + std::to_string(item.value) + " out of range [0, " +
                 std::to_string(itemCount()) + ")");
  Explanation explanation;
  const unsigned caps = capabilities();
  if (!(caps & kCanFoldIn)) {
    explanation.reason = "model '" + std::string(modelName()) + "' cannot score a new history";
    return explanation;
  }
  std::vector<float> row(itemCount());
  scoreHistory(history, row);
  explanation.score = row[std::size_t(item.value)];
  if ((caps & kCanSimilarItems) && !history.empty()) {
    std::vector<ItemIndex> distinct(history.begin(), history.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<float> similarity(distinct.size());
    const ItemIndex column[] = {item};
    itemSimilarities(distinct, column, similarity);
    for (std::size_t j = 0; j < distinct.size(); ++j)
      if (similarity[j] > 0 && distinct[j] != item)
        explanation.because.push_back({distinct[j], double(similarity[j])});
    factors::sortContributions(explanation.because);
  }
  explanation.reason = explanation.because.empty()
                           ? "scored by " + std::string(modelName()) + " from the history"
                           : "similar to {item} in the history";
  return explanation;
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
  // A copy of every vector per call: models that hold their vectors override this.
  std::vector<float> vectors;
  const std::size_t dim = itemEmbeddings(vectors);
  factors::cosineSimilarities(vectors, itemCount(), dim, rows, columns, out);
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
