#include "core/rerank/reranker.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/common/error.h"
#include "core/rerank/fallback_chain.h"

namespace reco {

void RerankSideInfo::check() const {
  const std::size_t n = itemCategory.size();
  auto same = [&](std::size_t size, const char* what) {
    RECO_CHECK(size == n, ErrorKind::Internal,
               std::string("re-rank side info: ") + what + " has " + std::to_string(size) +
                   " entries for " + std::to_string(n) + " items");
  };
  same(popularity.size(), "popularity");
  same(excluded.size(), "the exclusions");
  if (!boost.empty()) same(boost.size(), "the boosts");
  if (!itemVectors.empty())
    same(dimension == 0 ? 0 : itemVectors.size() / dimension, "the vectors");
}

namespace {

/// Items not to list: the user's training items (marked in `mark`, which the caller clears)
/// and the excluded ones; NaN and -infinity never enter the pool.
bool eligible(float score, std::size_t item, const std::vector<char>& mark,
              const RerankSideInfo& side) {
  return !mark[item] && !side.excluded[item] && !std::isnan(score) &&
         score != -std::numeric_limits<float>::infinity();
}

/// The pool plus the first score below it (NaN when no item is left below the pool).
struct Pool {
  std::vector<ScoredItem> items;
  float below = std::numeric_limits<float>::quiet_NaN();
};

Pool takePool(std::span<const float> row, std::span<const ItemIndex> seen,
              const RerankSideInfo& side, std::size_t candidates) {
  thread_local std::vector<char> mark;
  mark.assign(row.size(), 0);
  for (const ItemIndex i : seen)
    if (i.value >= 0 && std::size_t(i.value) < row.size()) mark[std::size_t(i.value)] = 1;
  std::vector<ScoredItem> all;
  all.reserve(std::min(row.size(), candidates * 4));
  for (std::size_t i = 0; i < row.size(); ++i)
    if (eligible(row[i], i, mark, side)) all.push_back({ItemIndex{std::int32_t(i)}, row[i]});
  const auto better = [](const ScoredItem& a, const ScoredItem& b) {
    return a.score != b.score ? a.score > b.score : a.item < b.item;
  };
  const std::size_t keep = std::min(all.size(), candidates + 1);
  std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(keep), all.end(), better);
  all.resize(keep);
  Pool pool;
  if (all.size() > candidates) {
    pool.below = all.back().score;
    all.pop_back();
  }
  pool.items = std::move(all);
  return pool;
}

/// Relevance in (0, 1]: the best pool score maps to 1, the first score below the pool to 0
/// (ties with it get a tiny positive value, so that a boost still moves them).
std::vector<double> relevanceOf(const Pool& pool) {
  std::vector<double> rel(pool.items.size(), 1.0);
  if (pool.items.empty()) return rel;
  const double top = pool.items.front().score;
  double floor = pool.below;
  if (std::isnan(floor)) {
    // Nothing below the pool: place the zero one average step below its last item.
    const double low = pool.items.back().score;
    const double step = pool.items.size() > 1 ? (top - low) / double(pool.items.size() - 1) : 0;
    floor = low - std::max(step, std::max(1e-6, std::abs(low) * 1e-6));
  }
  const double span = top - floor;
  for (std::size_t k = 0; k < rel.size(); ++k)
    rel[k] = span > 0 ? std::max((double(pool.items[k].score) - floor) / span, 1e-9) : 1.0;
  return rel;
}

/// KL(p || (1 - alpha) q + alpha p) over the categories with p > 0; q from counts.
double calibrationLoss(const std::vector<double>& p, const std::vector<double>& counts,
                       double total) {
  constexpr double kAlpha = 0.01;
  double kl = 0;
  for (std::size_t c = 0; c < p.size(); ++c) {
    if (p[c] <= 0) continue;
    const double q = total > 0 ? counts[c] / total : 0.0;
    kl += p[c] * std::log(p[c] / ((1 - kAlpha) * q + kAlpha * p[c]));
  }
  return kl;
}

}  // namespace

std::vector<ScoredItem> rerankPool(std::span<const float> row, std::span<const ItemIndex> seen,
                                   const RerankSideInfo& side, const RerankOptions& options) {
  RECO_CHECK(row.size() == side.itemCount(), ErrorKind::Internal,
             "rerankPool: a row of " + std::to_string(row.size()) + " scores for " +
                 std::to_string(side.itemCount()) + " items");
  return takePool(row, seen, side, std::size_t(options.candidates)).items;
}

std::vector<ScoredItem> rerankRow(std::span<float> row, std::span<const ItemIndex> seen,
                                  std::span<const ItemIndex> history, const RerankSideInfo& side,
                                  const RerankOptions& options) {
  RECO_CHECK(row.size() == side.itemCount(), ErrorKind::Internal,
             "rerankRow: a row of " + std::to_string(row.size()) + " scores for " +
                 std::to_string(side.itemCount()) + " items");
  if (options.fallback == "popular") applyFallback(row, side.popularity);
  const Pool pool = takePool(row, seen, side, std::size_t(options.candidates));
  const std::size_t n = pool.items.size();
  std::vector<double> rel = relevanceOf(pool);
  if (!side.boost.empty())
    for (std::size_t k = 0; k < n; ++k) rel[k] *= side.boost[std::size_t(pool.items[k].item.value)];

  // Candidates in relevance order (stable: pool order among equals), so that every greedy
  // step below breaks ties towards relevance, then towards the base order.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rel[a] > rel[b]; });
  auto categoryOf = [&](std::size_t k) {
    return side.itemCategory[std::size_t(pool.items[k].item.value)];
  };

  // The static part of the objective (none, popularity; the relevance term of the others).
  std::vector<double> base(n);
  for (std::size_t k = 0; k < n; ++k) base[k] = rel[k];
  if (options.method == RerankMethod::Popularity && options.beta > 0) {
    const float maxPop = side.popularity.empty()
                             ? 0.0f
                             : *std::max_element(side.popularity.begin(), side.popularity.end());
    const double scale = std::log1p(std::max(0.0, double(maxPop)));
    for (std::size_t k = 0; k < n; ++k) {
      const double pop =
          std::max(0.0, double(side.popularity[std::size_t(pool.items[k].item.value)]));
      base[k] -= scale > 0 ? options.beta * std::log1p(pop) / scale : 0.0;
    }
  }

  // Per-pick state: what is chosen, each category's count (the cap, calibration), and for
  // mmr each candidate's largest similarity to the chosen items.
  const std::size_t categories = side.categoryNames.size();
  std::vector<double> counts(categories, 0.0);
  double categorised = 0;
  std::vector<char> taken(n, 0);
  std::vector<double> maxSim(n, 0.0);
  std::vector<float> simMatrix;
  const bool mmr = options.method == RerankMethod::Mmr;
  const bool calibration = options.method == RerankMethod::Calibration;
  const bool byCategory = options.by == RerankSimilarity::Category;
  std::vector<ItemIndex> poolItems;
  if (mmr && options.by == RerankSimilarity::Embedding && side.itemVectors.empty()) {
    RECO_CHECK(bool(side.similarity), ErrorKind::Internal,
               "rerankRow: by=embedding without item vectors or a similarity");
    for (const auto& s : pool.items) poolItems.push_back(s.item);
    simMatrix.assign(n * n, 0.0f);
    side.similarity(poolItems, simMatrix);
    float largest = 0;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b && std::isfinite(simMatrix[a * n + b]))
          largest = std::max(largest, std::abs(simMatrix[a * n + b]));
    if (largest > 0)
      for (auto& v : simMatrix) v = std::isfinite(v) ? v / largest : 0.0f;
  }
  auto similarity = [&](std::size_t a, std::size_t b) -> double {
    if (options.by == RerankSimilarity::Category) {
      const auto ca = categoryOf(a);
      return ca >= 0 && ca == categoryOf(b) ? 1.0 : 0.0;
    }
    if (!simMatrix.empty()) return simMatrix[a * n + b];
    const float* va =
        side.itemVectors.data() + std::size_t(pool.items[a].item.value) * side.dimension;
    const float* vb =
        side.itemVectors.data() + std::size_t(pool.items[b].item.value) * side.dimension;
    double dot = 0;
    for (std::size_t d = 0; d < side.dimension; ++d) dot += double(va[d]) * double(vb[d]);
    return dot;
  };

  // Calibration: the history's category mix p.
  std::vector<double> p;
  if (calibration) {
    p.assign(categories, 0.0);
    double total = 0;
    for (const ItemIndex i : history) {
      if (i.value < 0 || std::size_t(i.value) >= side.itemCount()) continue;
      const auto c = side.itemCategory[std::size_t(i.value)];
      if (c < 0 || std::size_t(c) >= categories) continue;
      p[std::size_t(c)] += 1;
      total += 1;
    }
    for (auto& v : p) v = total > 0 ? v / total : 0.0;
  }
  std::vector<double> lossIfAdded(categories, 0.0);

  const std::size_t want = std::min(n, std::size_t(options.depth));
  std::vector<ScoredItem> list;
  list.reserve(want);
  const double lambda = options.lambda;
  while (list.size() < want) {
    double lossNow = 0, lossElsewhere = 0;
    if (calibration) {
      lossNow = calibrationLoss(p, counts, categorised);
      lossElsewhere = calibrationLoss(p, counts, categorised + 1);
      for (std::size_t c = 0; c < categories; ++c) {
        if (p[c] <= 0) continue;  // adding a category the history lacks: handled below
        counts[c] += 1;
        lossIfAdded[c] = calibrationLoss(p, counts, categorised + 1);
        counts[c] -= 1;
      }
    }
    std::size_t best = n;
    double bestValue = -std::numeric_limits<double>::infinity();
    for (const std::size_t k : order) {
      if (taken[k]) continue;
      const auto c = categoryOf(k);
      const bool known = c >= 0 && std::size_t(c) < categories;
      if (options.capPerCategory > 0 && known && counts[std::size_t(c)] >= options.capPerCategory)
        continue;
      double value = base[k];
      if (mmr) {
        // By category the penalty is the share of the chosen items in k's category: one
        // minus it is what k adds to the list's ild_category, so lambda trades relevance
        // against exactly the metric reported. (The largest similarity, 0 or 1 here, would
        // make every lambda <= 0.5 give the same list.)
        const double penalty = !byCategory ? maxSim[k]
                               : known && !list.empty()
                                   ? counts[std::size_t(c)] / double(list.size())
                                   : 0.0;
        value = lambda * rel[k] - (1 - lambda) * penalty;
      } else if (calibration) {
        // An item without a category leaves the mix as it is; one of a category the
        // history lacks only dilutes the others.
        double loss = lossNow;
        if (known) loss = p[std::size_t(c)] > 0 ? lossIfAdded[std::size_t(c)] : lossElsewhere;
        value = (1 - lambda) * rel[k] - lambda * loss;
      }
      if (value > bestValue) {
        bestValue = value;
        best = k;
      }
    }
    if (best == n) break;  // the cap leaves nothing eligible
    taken[best] = 1;
    list.push_back(pool.items[best]);
    const auto c = categoryOf(best);
    if (c >= 0 && std::size_t(c) < categories) {
      counts[std::size_t(c)] += 1;
      categorised += 1;
    }
    if (mmr && !byCategory)
      for (std::size_t k = 0; k < n; ++k)
        if (!taken[k]) maxSim[k] = std::max(maxSim[k], similarity(best, k));
  }
  return list;
}

}  // namespace reco
