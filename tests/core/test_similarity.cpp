// Item-item similarities (core/similarity) against values worked by hand on a 4 x 3
// matrix, top-k pruning, independence from the thread count, and ItemKNN's fit time on
// MovieLens-100K (printed; skipped where the shared datasets are absent).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/similarity/item_similarity.h"
#include "core/similarity/weighting.h"
#include "tests/support/gtest_support.h"

namespace {

using reco::similarity::Measure;

// Users x items, binary:      i0 i1 i2
//                         u0   1  1  .
//                         u1   1  1  1
//                         u2   .  1  .
//                         u3   1  .  1
// Item columns: i0 = {u0, u1, u3}, i1 = {u0, u1, u2}, i2 = {u1, u3}.
reco::CsrMatrix handMatrix() {
  return reco::CsrMatrix::fromTriplets(
      4, 3,
      {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}, {1, 2, 1}, {2, 1, 1}, {3, 0, 1}, {3, 2, 1}});
}

reco::CsrMatrix itemNeighbours(Measure measure, int k = 100, double shrink = 0, int threads = 1) {
  const auto items = handMatrix().transposed();
  auto result = reco::similarity::topKNeighbours(items, {measure, k, shrink, threads}, nullptr, {});
  if (!result) throw std::runtime_error("stopped");
  return *result;
}

/// sim(a, b) and sim(b, a) are both `expected` (to 1e-6: they are floats).
void expectSim(const reco::CsrMatrix& s, int a, int b, double expected) {
  EXPECT_NEAR(s.at(a, b), expected, 1e-6) << "sim(" << a << ", " << b << ")";
  EXPECT_NEAR(s.at(b, a), expected, 1e-6) << "not symmetric: sim(" << b << ", " << a << ")";
}

reco::CsrMatrix randomMatrix(std::int32_t rows, std::int32_t cols, double density,
                             std::uint64_t seed) {
  reco::Random rng(seed);
  std::vector<reco::Triplet> t;
  for (std::int32_t r = 0; r < rows; ++r)
    for (std::int32_t c = 0; c < cols; ++c)
      if (rng.uniform() < density) t.push_back({r, c, float(1 + rng.below(5))});
  return reco::CsrMatrix::fromTriplets(rows, cols, t);
}

bool sameMatrix(const reco::CsrMatrix& a, const reco::CsrMatrix& b) {
  return a.rows() == b.rows() && a.rowStart() == b.rowStart() && a.colIndex() == b.colIndex() &&
         a.values() == b.values();
}

TEST(Similarity, CosineByHand) {
  const auto s = itemNeighbours(Measure::Cosine);
  expectSim(s, 0, 1, 2.0 / 3.0);                                 // |{u0,u1}| / (sqrt 3 sqrt 3)
  expectSim(s, 0, 2, 2.0 / std::sqrt(6.0));                      // |{u1,u3}| / (sqrt 3 sqrt 2)
  expectSim(s, 1, 2, 1.0 / std::sqrt(6.0));                      // |{u1}|    / (sqrt 3 sqrt 2)
  for (int i = 0; i < 3; ++i) EXPECT_EQ(s.at(i, i), 0.0f) << i;  // never itself
  const auto shrunk = itemNeighbours(Measure::Cosine, 100, 1.0);
  expectSim(shrunk, 0, 1, 2.0 / (3.0 + 1.0));  // dot / (norms + shrink)
}

TEST(Similarity, JaccardByHand) {
  const auto s = itemNeighbours(Measure::Jaccard);
  expectSim(s, 0, 1, 2.0 / (3 + 3 - 2));
  expectSim(s, 0, 2, 2.0 / (3 + 2 - 2));
  expectSim(s, 1, 2, 1.0 / (3 + 2 - 1));
}

TEST(Similarity, Bm25ByHand) {
  // implicit's bm25 over items (documents) x users (terms): N = 3 items,
  // idf(u) = log 3 - log(1 + items of u): u0 log(3/3) = 0, u1 log(3/4), u2 log(3/2), u3 0.
  // Length norms: item sums 3, 3, 2, mean 8/3: 0.25 + 0.75 * 9/8 for i0, i1; 0.25 + 0.75 * 3/4 for
  // i2. Weight of a 1: (K1 + 1) / (K1 * norm + 1) * idf.
  const double idf1 = std::log(3.0 / 4.0);
  const double f01 = 2.2 / (1.2 * (0.25 + 0.75 * 9.0 / 8.0) + 1.0);
  const double f2 = 2.2 / (1.2 * (0.25 + 0.75 * 3.0 / 4.0) + 1.0);
  const auto s = itemNeighbours(Measure::Bm25);
  // Only u1 (and u0, u3 with idf 0) is shared; u2's weight never meets another item.
  expectSim(s, 0, 1, (f01 * idf1) * (f01 * idf1));
  expectSim(s, 0, 2, (f01 * idf1) * (f2 * idf1));
  expectSim(s, 1, 2, (f01 * idf1) * (f2 * idf1));
  // The weighting itself, on item i1's entry for u2.
  const auto w = reco::similarity::bm25Weight(handMatrix().transposed());
  EXPECT_NEAR(w.at(1, 2), f01 * std::log(1.5), 1e-6);
}

TEST(Similarity, TfidfAndPearsonCentring) {
  // tfidf = cosine over sqrt(x) * idf: i0 = (0, idf1, ., 0), i2 = (., idf1, ., 0): cosine 1
  // between i0 and i2 (both only u1 non-zero), and i1 adds u2 = log 1.5.
  const auto s = itemNeighbours(Measure::Tfidf);
  const double idf1 = std::log(3.0 / 4.0), idf2 = std::log(1.5);
  expectSim(s, 0, 2, 1.0);
  expectSim(s, 0, 1, idf1 * idf1 / (std::abs(idf1) * std::sqrt(idf1 * idf1 + idf2 * idf2)));
  // Centring: each row's values minus the row mean.
  const auto c =
      reco::similarity::centreRows(reco::CsrMatrix::fromTriplets(1, 3, {{0, 0, 4}, {0, 2, 2}}));
  EXPECT_EQ(c.values(), (std::vector<float>{1.0f, -1.0f}));
}

TEST(Similarity, TopKPruning) {
  const auto s = itemNeighbours(Measure::Cosine, 1);
  ASSERT_EQ(s.rowSize(0), 1);
  EXPECT_EQ(s.rowCols(0)[0], 2);  // 0.816 beats 0.667
  EXPECT_EQ(s.rowCols(1)[0], 0);  // 0.667 beats 0.408
  EXPECT_EQ(s.rowCols(2)[0], 0);
  const auto sorted = reco::similarity::sortedNeighbours(itemNeighbours(Measure::Cosine), 0, 5);
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0].first, 2);
  EXPECT_EQ(sorted[1].first, 1);
}

TEST(Similarity, MatchesBruteForceAndThreadCount) {
  const auto userItems = randomMatrix(300, 120, 0.05, 11);
  const auto items = userItems.transposed();
  for (const Measure m :
       {Measure::Cosine, Measure::Jaccard, Measure::Pearson, Measure::Bm25, Measure::Tfidf}) {
    const auto one = *reco::similarity::topKNeighbours(items, {m, 10, 0.5, 1}, nullptr, {});
    for (const int threads : {2, 3, 7}) {
      const auto many =
          *reco::similarity::topKNeighbours(items, {m, 10, 0.5, threads}, nullptr, {});
      EXPECT_TRUE(sameMatrix(one, many))
          << reco::similarity::measureName(m) << ", " << threads << " threads";
    }
    for (std::int32_t i = 0; i < one.rows(); ++i)
      EXPECT_LE(one.rowSize(i), 10) << reco::similarity::measureName(m) << ", item " << i;
  }
  // Cosine against a dense brute force: the kept neighbours are the top 10 by (sim, -index).
  const auto s = *reco::similarity::topKNeighbours(items, {Measure::Cosine, 10, 0, 2}, nullptr, {});
  for (std::int32_t i = 0; i < items.rows(); ++i) {
    std::vector<std::pair<float, std::int32_t>> all;
    for (std::int32_t j = 0; j < items.rows(); ++j) {
      if (j == i) continue;
      double dot = 0, ni = 0, nj = 0;
      for (std::int32_t u = 0; u < items.cols(); ++u) {
        dot += double(items.at(i, u)) * items.at(j, u);
        ni += double(items.at(i, u)) * items.at(i, u);
        nj += double(items.at(j, u)) * items.at(j, u);
      }
      const double sim = ni > 0 && nj > 0 ? dot / std::sqrt(ni) / std::sqrt(nj) : 0;
      if (sim > 0) all.push_back({float(sim), j});
    }
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    const auto got = reco::similarity::sortedNeighbours(s, i, 10);
    ASSERT_EQ(got.size(), std::min<std::size_t>(10, all.size())) << "item " << i;
    for (std::size_t q = 0; q < got.size(); ++q)
      EXPECT_NEAR(got[q].second, all[q].first, 1e-5) << "item " << i << ", neighbour " << q;
  }
}

TEST(Similarity, StopsWhenAsked) {
  std::stop_source source;
  source.request_stop();
  EXPECT_FALSE(
      reco::similarity::topKNeighbours(handMatrix(), {}, nullptr, source.get_token()).has_value());
}

TEST(Similarity, ItemKnnFitTimeOnMovieLens100k) {
  const std::string path = reco::testing::sharedDataset("movielens-100k/u.data");
  if (path.empty())
    GTEST_SKIP() << "no movielens-100k/u.data under " << RECO_SHARED_DIR << "/datasets";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::vector<reco::Triplet> pairs;
  std::int32_t users = 0, items = 0, u, i, rating;
  long long time;
  while (in >> u >> i >> rating >> time) {
    pairs.push_back({u - 1, i - 1, 1.0f});
    users = std::max(users, u);
    items = std::max(items, i);
  }
  ASSERT_EQ(pairs.size(), 100000u);
  reco::TrainingData data;
  data.userCount = users;
  data.itemCount = items;
  data.userItems = reco::CsrMatrix::fromTriplets(users, items, pairs);
  data.itemUsers = data.userItems.transposed();
  for (const char* sim : {"cosine", "bm25"}) {
    for (const int threads : {1, 2}) {
      double best = 1e9;
      for (int run = 0; run < 5; ++run) {
        reco::ComputeOptions compute;
        compute.threads = threads;
        auto model =
            reco::defaultRegistry().create("itemknn", {{"similarity", sim}, {"k", "100"}}, compute);
        const auto start = std::chrono::steady_clock::now();
        ASSERT_EQ(model->fit(data, nullptr, {}), reco::Outcome::Completed);
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
      std::printf(
          "itemknn %s k=100 fit on MovieLens-100K (%d x %d, %zu pairs), %d thread(s): %.4f s (best "
          "of 5)\n",
          sim, users, items, pairs.size(), threads, best);
    }
  }
}

}  // namespace
