// The evaluator on a fake model whose scores come from a fixed table: metrics equal values
// worked by hand, training items are excluded, results are bit-identical for every thread
// count and batch size, sampled metrics carry the "sampled_" prefix, stopping is an outcome;
// plus segments and the speed on an ML-100K-sized problem.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/sparse_matrix.h"
#include "core/data/training_data.h"
#include "core/eval/evaluator.h"
#include "core/eval/segments.h"
#include "tests/support/gtest_support.h"

using reco::ItemIndex;
using reco::UserIndex;

namespace {

/// Scores from a users x items table; batch scoring is row copying, so it equals single
/// scoring exactly. Counts score() calls to check the batching.
class TableModel : public reco::Recommender {
 public:
  TableModel(std::int32_t users, std::int32_t items, std::vector<float> table)
      : users_(users), items_(items), table_(std::move(table)) {}
  std::string_view modelName() const override { return "table"; }
  unsigned capabilities() const override {
    return embeddings_.empty() ? 0 : reco::kHasItemEmbeddings;
  }
  reco::Outcome fit(const reco::TrainingData&, reco::TrainObserver*, std::stop_token) override {
    return reco::Outcome::Completed;
  }
  bool isFitted() const override { return true; }
  std::size_t userCount() const override { return std::size_t(users_); }
  std::size_t itemCount() const override { return std::size_t(items_); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    RECO_CHECK(out.size() == users.size() * std::size_t(items_), reco::ErrorKind::Internal, "size");
    ++calls_;
    for (std::size_t r = 0; r < users.size(); ++r)
      std::memcpy(out.data() + r * std::size_t(items_),
                  table_.data() + std::size_t(users[r].value) * std::size_t(items_),
                  sizeof(float) * std::size_t(items_));
  }
  std::size_t itemEmbeddings(std::vector<float>& out) const override {
    out = embeddings_;
    return 2;
  }
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}

  std::vector<float> embeddings_;
  mutable std::atomic<int> calls_{0};

 private:
  std::int32_t users_, items_;
  std::vector<float> table_;
};

reco::TrainingData trainingFrom(std::int32_t users, std::int32_t items,
                                std::vector<reco::Triplet> pairs) {
  reco::TrainingData t;
  t.userCount = users;
  t.itemCount = items;
  t.userItems = reco::CsrMatrix::fromTriplets(users, items, std::move(pairs));
  t.itemUsers = t.userItems.transposed();
  return t;
}

// The hand example: 4 users x 6 items.
//   u0 scores [.9 .8 .7 .6 .5 .4], train {0}, test {2, 5}
//   u1 scores [.1 .2 .3 .4 .5 .6], train {5}, test {0}
//   u2 scores all .5 (ties go by item index), train {1}, test {3}
//   u3 scores anything, train {2}, test {2}: its only test pair is a training pair, so u3 is
//      not evaluated.
struct Hand {
  reco::TrainingData train = trainingFrom(4, 6, {{0, 0, 1}, {1, 5, 1}, {2, 1, 1}, {3, 2, 1}});
  reco::CsrMatrix test =
      reco::CsrMatrix::fromTriplets(4, 6, {{0, 2, 1}, {0, 5, 1}, {1, 0, 1}, {2, 3, 1}, {3, 2, 1}});
  TableModel model{4, 6, {.9f, .8f, .7f, .6f, .5f, .4f,  //
                          .1f, .2f, .3f, .4f, .5f, .6f,  //
                          .5f, .5f, .5f, .5f, .5f, .5f,  //
                          .3f, .2f, .1f, .0f, .1f, .2f}};
};

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

struct Fixture {
  reco::TrainingData train;
  reco::CsrMatrix test;
  std::unique_ptr<TableModel> model;
};

/// Random train/test pairs and scores quantised to 1/64 (ties) with some NaN.
Fixture randomFixture(std::int32_t users, std::int32_t items, std::uint64_t seed,
                      double trainDensity = 0.15, double testDensity = 0.05) {
  reco::Random rng(seed);
  std::vector<reco::Triplet> train, test;
  std::vector<float> table(std::size_t(users) * std::size_t(items));
  for (std::int32_t u = 0; u < users; ++u) {
    bool hasTest = false;
    for (std::int32_t i = 0; i < items; ++i) {
      const double x = rng.uniform();
      if (x < trainDensity)
        train.push_back({u, i, 1});
      else if (x < trainDensity + testDensity) {
        test.push_back({u, i, 1});
        hasTest = true;
      }
      const double s = rng.uniform();
      table[std::size_t(u) * std::size_t(items) + std::size_t(i)] =
          s < 0.002 ? std::numeric_limits<float>::quiet_NaN() : float(std::floor(s * 64) / 64);
    }
    if (!hasTest) test.push_back({u, std::int32_t(rng.below(std::uint64_t(items))), 1});
  }
  Fixture f;
  f.train = trainingFrom(users, items, std::move(train));
  f.test = reco::CsrMatrix::fromTriplets(users, items, std::move(test));
  f.model = std::make_unique<TableModel>(users, items, std::move(table));
  return f;
}

TEST(Evaluator, HandValues) {
  Hand h;
  reco::EvalOptions options;
  options.ks = {1, 3};
  const reco::EvalResult r = reco::evaluate(h.model, h.train, h.test, options);
  EXPECT_EQ(r.outcome, reco::Outcome::Completed);
  EXPECT_EQ(r.users, (std::vector<UserIndex>{{0}, {1}, {2}}));
  EXPECT_EQ(r.skippedTestPairs, std::size_t(1));
  EXPECT_EQ(r.metricNames.size(), std::size_t(13));
  EXPECT_EQ(r.metricNames[0], std::string("precision@1"));
  EXPECT_EQ(r.metricNames[8], std::string("ndcg@3"));
  EXPECT_EQ(r.metricNames[12], std::string("auc"));

  // Top-3 lists with training items excluded:
  //   u0: item 0 is training -> [1 (.8), 2 (.7), 3 (.6)]
  //   u1: item 5 is training -> [4 (.5), 3 (.4), 2 (.3)]
  //   u2: all .5, item 1 is training -> by index [0, 2, 3]
  auto topItems = [&](std::size_t row) {
    std::vector<int> out;
    for (const auto& s : r.topFor(row)) out.push_back(s.item.value);
    return out;
  };
  EXPECT_EQ(topItems(0), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(topItems(1), (std::vector<int>{4, 3, 2}));
  EXPECT_EQ(topItems(2), (std::vector<int>{0, 2, 3}));
  EXPECT_EQ(r.topFor(0)[0].score, 0.8f);  // the table's value, copied

  // u0: ranking [1, 2, 3, 4, 5], test {2, 5}.
  //   @1: no hit -> 0 everywhere. @3: hit at rank 2: P = 1/3, R = 1/2,
  //   NDCG = (1/log2 3) / (1 + 1/log2 3), MAP = (1/2)(1/2) = 1/4, MRR = 1/2, hit = 1.
  //   AUC: negatives {1, 3, 4} = (.8, .6, .5); positives (.7, .4): .7 beats .6 and .5,
  //   .4 beats none -> 2 / 6 = 1/3.
  // u1: ranking [4, 3, 2, 1, 0], test {0} at rank 5: zeros at @1 and @3;
  //   AUC: .1 against (.2, .3, .4, .5) -> 0.
  // u2: ranking [0, 2, 3, 4, 5] (ties by index), test {3} at rank 3:
  //   @3: P = 1/3, R = 1, NDCG = (1/log2 4) / 1 = 1/2, MAP = (1/1)(1/3), MRR = 1/3, hit = 1.
  //   AUC: all ties -> 1/2.
  const double l3 = 1.0 / std::log2(3.0);
  const auto col = [&](const char* name) { return r.column(name); };
  EXPECT_CLOSE(col("precision@1")[0], 0.0, 1e-12);
  EXPECT_CLOSE(col("hit@1")[2], 0.0, 1e-12);
  EXPECT_NEAR(col("precision@3")[0], 1.0 / 3, 1e-15);
  EXPECT_NEAR(col("recall@3")[0], 0.5, 1e-15);
  EXPECT_NEAR(col("ndcg@3")[0], l3 / (1 + l3), 1e-15);
  EXPECT_NEAR(col("map@3")[0], 0.25, 1e-15);
  EXPECT_NEAR(col("mrr@3")[0], 0.5, 1e-15);
  EXPECT_CLOSE(col("hit@3")[0], 1.0, 1e-12);
  EXPECT_NEAR(col("auc")[0], 1.0 / 3, 1e-15);
  EXPECT_CLOSE(col("ndcg@3")[1], 0.0, 1e-12);
  EXPECT_CLOSE(col("recall@3")[1], 0.0, 1e-12);
  EXPECT_CLOSE(col("auc")[1], 0.0, 1e-12);
  EXPECT_NEAR(col("precision@3")[2], 1.0 / 3, 1e-15);
  EXPECT_NEAR(col("recall@3")[2], 1.0, 1e-15);
  EXPECT_NEAR(col("ndcg@3")[2], 0.5, 1e-15);
  EXPECT_NEAR(col("map@3")[2], 1.0 / 3, 1e-15);
  EXPECT_NEAR(col("mrr@3")[2], 1.0 / 3, 1e-15);
  EXPECT_CLOSE(col("auc")[2], 0.5, 1e-12);

  // Aggregates: ndcg@3 over the three users = (0.386853 + 0 + 0.5) / 3 with a t-interval.
  const reco::MetricSummary* ndcg = r.aggregate("ndcg@3");
  ASSERT_NE(ndcg, nullptr);
  EXPECT_EQ(ndcg->n, std::size_t(3));
  EXPECT_NEAR(ndcg->mean, (l3 / (1 + l3) + 0.5) / 3, 1e-15);
  const std::vector<double> values{l3 / (1 + l3), 0.0, 0.5};
  const reco::MeanCi ci = reco::meanCi(values);
  EXPECT_NEAR(ndcg->ciLow, ci.ciLow, 1e-15);
  EXPECT_NEAR(ndcg->ciHigh, ci.ciHigh, 1e-15);
  EXPECT_NEAR(r.aggregate("auc")->mean, (1.0 / 3 + 0 + 0.5) / 3, 1e-15);

  // Catalogue @3: lists {1,2,3}, {4,3,2}, {0,2,3} -> 5 distinct of 6 items.
  EXPECT_NEAR(r.catalogueValue("coverage@3"), 5.0 / 6.0, 1e-15);
  EXPECT_NEAR(r.catalogueValue("coverage@1"), 3.0 / 6.0, 1e-15);
  EXPECT_TRUE(std::isnan(r.catalogueValue("ild_category@3")));  // no categories: left out
  EXPECT_GE(r.seconds, 0);
}

// The selection pass (a vectorised filter, then a heap; AUC counted over whole rows and
// the excluded items taken back out) against a brute force: every candidate sorted by
// score descending (NaN last) then item, and AUC over every positive-negative pair. Rows of
// 3,000 items with ties, NaN, -inf, +inf and -0, and users with one, a few and over 64
// positives, so that both of AUC's paths and every turn of the filter are taken.
TEST(Evaluator, SelectionPassEqualsABruteForce) {
  const std::int32_t users = 40, items = 3000;
  reco::Random rng(99);
  std::vector<reco::Triplet> train, test;
  std::vector<float> table(std::size_t(users) * items);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (std::int32_t u = 0; u < users; ++u) {
    const double testDensity = u % 4 == 0 ? 0.04 : (u % 4 == 1 ? 0.0005 : 0.003);
    for (std::int32_t i = 0; i < items; ++i) {
      const double x = rng.uniform();
      if (x < 0.1)
        train.push_back({u, i, 1});
      else if (x < 0.1 + testDensity)
        test.push_back({u, i, 1});
      const double kind = rng.uniform();
      float score = float(std::floor(rng.uniform() * 200) / 200 - 0.5);  // ties
      if (kind < 0.01)
        score = nan;
      else if (kind < 0.015)
        score = -inf;
      else if (kind < 0.017)
        score = inf;
      else if (kind < 0.03)
        score = -0.0f;
      // Rising scores in some rows: the heap changes often and the filter rejects late.
      if (u % 5 == 3 && kind >= 0.03) score = float(i) / float(items);
      table[std::size_t(u) * items + std::size_t(i)] = score;
    }
    test.push_back({u, (u * 37) % items, 1});
  }
  Fixture f;
  f.train = trainingFrom(users, items, std::move(train));
  f.test = reco::CsrMatrix::fromTriplets(users, items, std::move(test));
  f.model = std::make_unique<TableModel>(users, items, table);
  reco::EvalOptions options;
  options.ks = {1, 10, 100};
  options.batchUsers = 7;
  const reco::EvalResult r = reco::evaluate(*f.model, f.train, f.test, options);
  ASSERT_GT(r.users.size(), std::size_t(30));
  const auto before = [](float a, std::int32_t ai, float b, std::int32_t bi) {
    if (std::isnan(a) != std::isnan(b)) return std::isnan(b);
    if (!std::isnan(a) && a != b) return a > b;
    return ai < bi;
  };
  std::size_t manyPositives = 0;
  for (std::size_t row = 0; row < r.users.size(); ++row) {
    const std::int32_t u = r.users[row].value;
    const float* scores = table.data() + std::size_t(u) * items;
    const auto trainCols = f.train.userItems.rowCols(u);
    std::vector<std::int32_t> candidates, positives, negatives;
    for (std::int32_t i = 0; i < items; ++i) {
      if (std::binary_search(trainCols.begin(), trainCols.end(), i)) continue;
      candidates.push_back(i);
      const auto testCols = f.test.rowCols(u);
      (std::binary_search(testCols.begin(), testCols.end(), i) ? positives : negatives)
          .push_back(i);
    }
    manyPositives += positives.size() > 64;
    std::sort(candidates.begin(), candidates.end(),
              [&](std::int32_t a, std::int32_t b) { return before(scores[a], a, scores[b], b); });
    const auto top = r.topFor(row);
    ASSERT_EQ(top.size(), std::size_t(100));
    for (std::size_t j = 0; j < top.size(); ++j)
      ASSERT_EQ(top[j].item.value, candidates[j]) << "user " << u << " rank " << j;
    const auto low = [](float x) {
      return std::isnan(x) ? -std::numeric_limits<float>::infinity() : x;
    };
    double wins2 = 0;
    for (std::int32_t p : positives)
      for (std::int32_t n : negatives)
        wins2 += low(scores[p]) > low(scores[n]) ? 2 : (low(scores[p]) == low(scores[n]) ? 1 : 0);
    const double auc = wins2 / (2.0 * double(positives.size()) * double(negatives.size()));
    EXPECT_EQ(r.column("auc")[row], auc) << "user " << u;
  }
  EXPECT_GT(manyPositives, std::size_t(0));  // AUC's binary-search path was taken too
}

TEST(Evaluator, TrainingItemsNeverRecommended) {
  const auto fixture = randomFixture(60, 40, 11);
  reco::EvalOptions options;
  options.ks = {5, 50};  // 50 is more than some users have left
  const reco::EvalResult r = reco::evaluate(*fixture.model, fixture.train, fixture.test, options);
  for (std::size_t row = 0; row < r.userCount(); ++row) {
    const auto trainCols = fixture.train.userItems.rowCols(r.users[row].value);
    const auto top = r.topFor(row);
    EXPECT_EQ(top.size(), std::min<std::size_t>(50, 40 - trainCols.size()));
    for (const auto& s : top)
      EXPECT_FALSE(std::binary_search(trainCols.begin(), trainCols.end(), s.item.value));
    // And the list equals selectTopN's (the recommend() contract).
    std::vector<float> row40(40);
    const UserIndex u[] = {r.users[row]};
    fixture.model->score(u, row40);
    std::vector<ItemIndex> seen;
    for (auto c : trainCols) seen.push_back(ItemIndex{c});
    const auto expected = reco::selectTopN(row40, seen, 50);
    EXPECT_EQ(top.size(), expected.size());
    EXPECT_EQ(std::memcmp(top.data(), expected.data(), top.size() * sizeof(reco::ScoredItem)), 0);
  }
}

TEST(Evaluator, IndependentOfThreadsAndBatchSize) {
  const auto fixture = randomFixture(300, 120, 5);
  reco::EvalOptions base;
  base.ks = {5, 10, 20};
  base.sampledNegatives = 30;
  base.sampleSeed = 9;
  base.threads = 1;
  base.batchUsers = 256;
  const reco::EvalResult reference =
      reco::evaluate(*fixture.model, fixture.train, fixture.test, base);
  EXPECT_GT(reference.userCount(), 200u);
  for (int threads : {1, 2, 3}) {
    for (int batch : {1, 7, 256}) {
      reco::EvalOptions options = base;
      options.threads = threads;
      options.batchUsers = batch;
      const reco::EvalResult r =
          reco::evaluate(*fixture.model, fixture.train, fixture.test, options);
      EXPECT_TRUE(sameBits(r.perUser, reference.perUser))
          << "threads " << threads << " batch " << batch;
      EXPECT_EQ(r.users, reference.users);
      EXPECT_EQ(r.topItems.size(), reference.topItems.size());
      EXPECT_EQ(std::memcmp(r.topItems.data(), reference.topItems.data(),
                            r.topItems.size() * sizeof(reco::ScoredItem)),
                0);
      for (std::size_t m = 0; m < r.aggregates.size(); ++m) {
        EXPECT_EQ(std::memcmp(&r.aggregates[m].mean, &reference.aggregates[m].mean, sizeof(double)),
                  0);
        EXPECT_EQ(
            std::memcmp(&r.aggregates[m].ciLow, &reference.aggregates[m].ciLow, sizeof(double)), 0);
      }
      EXPECT_EQ(r.catalogue.size(), reference.catalogue.size());
      for (std::size_t m = 0; m < r.catalogue.size(); ++m)
        EXPECT_EQ(
            std::memcmp(&r.catalogue[m].second, &reference.catalogue[m].second, sizeof(double)), 0);
    }
  }
}

TEST(Evaluator, DenseSamplingIsDeterministicToo) {
  // 60 negatives of about 96 candidates: the partial Fisher-Yates path instead of rejection.
  const auto fixture = randomFixture(100, 120, 8);
  reco::EvalOptions options;
  options.ks = {10};
  options.sampledNegatives = 60;
  options.threads = 1;
  const reco::EvalResult a = reco::evaluate(*fixture.model, fixture.train, fixture.test, options);
  options.threads = 2;
  options.batchUsers = 3;
  const reco::EvalResult b = reco::evaluate(*fixture.model, fixture.train, fixture.test, options);
  EXPECT_TRUE(sameBits(a.perUser, b.perUser));
  for (double v : a.column("sampled_hit@10")) EXPECT_TRUE(v >= 0 && v <= 1) << v;
}

TEST(Evaluator, SampledMetricsAreLabelled) {
  Hand h;
  reco::EvalOptions options;
  options.ks = {1, 3};
  options.sampledNegatives = 100;  // more than any user has: every negative is used
  const reco::EvalResult r = reco::evaluate(h.model, h.train, h.test, options);
  EXPECT_EQ(r.metricNames.size(), std::size_t(13 + 7));
  for (std::size_t m = 13; m < r.metricNames.size(); ++m)
    EXPECT_EQ(r.metricNames[m].rfind("sampled_", 0), 0u) << r.metricNames[m];
  EXPECT_EQ(r.metricNames[13], std::string("sampled_hit@1"));
  EXPECT_EQ(r.metricNames.back(), std::string("sampled_auc"));
  // The full-ranking values are unchanged by the option.
  reco::EvalOptions plain = options;
  plain.sampledNegatives.reset();
  const reco::EvalResult full = reco::evaluate(h.model, h.train, h.test, plain);
  EXPECT_TRUE(std::equal(full.perUser.begin(), full.perUser.end(), r.perUser.begin()));
  // u0: negatives {1, 3, 4} (.8, .6, .5). Test item 2 (.7): one negative above, rank 2;
  // test item 5 (.4): three above, rank 4. Per user means over the two test items:
  //   sampled_hit@3 = (1 + 0) / 2; sampled_ndcg@3 = (1/log2 3 + 0) / 2;
  //   sampled_mrr@3 = (1/2 + 0) / 2; sampled_hit@1 = 0; sampled_auc = (2/3 + 0) / 2.
  EXPECT_NEAR(r.column("sampled_hit@3")[0], 0.5, 1e-15);
  EXPECT_NEAR(r.column("sampled_ndcg@3")[0], 0.5 / std::log2(3.0), 1e-15);
  EXPECT_NEAR(r.column("sampled_mrr@3")[0], 0.25, 1e-15);
  EXPECT_CLOSE(r.column("sampled_hit@1")[0], 0.0, 1e-12);
  EXPECT_NEAR(r.column("sampled_auc")[0], 1.0 / 3, 1e-15);
  // u2: all ties; test item 3 among negatives {0, 2, 4, 5}: ties go by index, so 0 and 2
  // rank above: rank 3 -> hit@3 = 1, mrr@3 = 1/3; AUC counts ties as 1/2.
  EXPECT_CLOSE(r.column("sampled_hit@3")[2], 1.0, 1e-12);
  EXPECT_NEAR(r.column("sampled_mrr@3")[2], 1.0 / 3, 1e-15);
  EXPECT_CLOSE(r.column("sampled_auc")[2], 0.5, 1e-12);
  EXPECT_NE(r.aggregate("sampled_ndcg@3"), nullptr);

  // Few negatives: frozen by the seed, different for another seed.
  const auto fixture = randomFixture(80, 200, 3);
  reco::EvalOptions sampled;
  sampled.ks = {10};
  sampled.sampledNegatives = 5;
  sampled.sampleSeed = 1;
  const auto a = reco::evaluate(*fixture.model, fixture.train, fixture.test, sampled);
  const auto b = reco::evaluate(*fixture.model, fixture.train, fixture.test, sampled);
  EXPECT_TRUE(sameBits(a.perUser, b.perUser));
  sampled.sampleSeed = 2;
  const auto c = reco::evaluate(*fixture.model, fixture.train, fixture.test, sampled);
  EXPECT_FALSE(sameBits(a.perUser, c.perUser));
  // Ranking among 5 negatives is far easier than among all items.
  EXPECT_GT(a.aggregate("sampled_hit@10")->mean, a.aggregate("hit@10")->mean);
}

TEST(Evaluator, EmbeddingDiversityWhenTheModelHasEmbeddings) {
  Hand h;
  h.model.embeddings_ = {1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0};
  reco::EvalOptions options;
  options.ks = {3};
  const reco::EvalResult r = reco::evaluate(h.model, h.train, h.test, options);
  EXPECT_FALSE(std::isnan(r.catalogueValue("ild_embedding@3")));
  options.embeddingDiversity = false;
  EXPECT_TRUE(std::isnan(
      reco::evaluate(h.model, h.train, h.test, options).catalogueValue("ild_embedding@3")));
}

TEST(Evaluator, StoppingIsAnOutcome) {
  Hand h;
  std::stop_source source;
  source.request_stop();
  const reco::EvalResult r =
      reco::evaluate(h.model, h.train, h.test, {}, nullptr, source.get_token());
  EXPECT_EQ(r.outcome, reco::Outcome::Stopped);
  EXPECT_TRUE(r.perUser.empty());
}

TEST(Evaluator, ProgressReachesTheEnd) {
  struct Recorder : reco::JobObserver {
    std::uint64_t last = 0, total = 0;
    void onProgress(const reco::Progress& p) override {
      last = p.done;
      total = p.total;
    }
  } recorder;
  Hand h;
  reco::EvalOptions options;
  options.batchUsers = 1;
  reco::evaluate(h.model, h.train, h.test, options, &recorder);
  EXPECT_EQ(recorder.total, std::uint64_t(3));
  EXPECT_EQ(recorder.last, std::uint64_t(3));
  EXPECT_EQ(h.model.calls_.load(), 3);
}

TEST(Evaluator, BadInputsFailLoudly) {
  Hand h;
  reco::EvalOptions options;
  options.ks = {};
  EXPECT_THROW(reco::evaluate(h.model, h.train, h.test, options), reco::Error);
  options.ks = {0};
  EXPECT_THROW(reco::evaluate(h.model, h.train, h.test, options), reco::Error);
  options.ks = {5, 5};
  EXPECT_THROW(reco::evaluate(h.model, h.train, h.test, options), reco::Error);
  options.ks = {5};
  options.batchUsers = 0;
  EXPECT_THROW(reco::evaluate(h.model, h.train, h.test, options), reco::Error);
  options.batchUsers = 1;
  options.sampledNegatives = 0;
  EXPECT_THROW(reco::evaluate(h.model, h.train, h.test, options), reco::Error);
  try {
    reco::evaluate(h.model, h.train, reco::CsrMatrix::fromTriplets(4, 7, {}), {});
    FAIL() << "a test part with the wrong item count must fail";
  } catch (const reco::Error& e) {
    EXPECT_EQ(e.kind(), reco::ErrorKind::Data);
  }
}

TEST(Evaluator, RatingErrorsOfARatingModel) {
  // Predictions are the table's scores: u0 item 2 -> .7 against 1.7; u1 item 0 -> .1 against
  // .1: errors -1 and 0: RMSE = sqrt(1/2), MAE = 1/2.
  Hand h;
  const auto ratings = reco::CsrMatrix::fromTriplets(4, 6, {{0, 2, 1.7f}, {1, 0, .1f}});
  const reco::RatingErrors e = reco::evaluateRatings(h.model, ratings, 2, 1);
  EXPECT_EQ(e.n, std::size_t(2));
  EXPECT_NEAR(e.rmse, std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(e.mae, 0.5, 1e-6);
}

TEST(Evaluator, UserSegments) {
  // Training counts of 8 users: [1, 2, 3, 4, 6, 8, 10, 20]. Nearest-rank quartiles:
  // q1 = 2nd smallest = 2, q2 = 4th = 4, q3 = 6th = 8. Buckets: Q1 {1, 2}, Q2 {3, 4},
  // Q3 {6, 8}, Q4 {10, 20}; cold (<= 5): the users with 1, 2, 3, 4.
  std::vector<reco::Triplet> pairs;
  const int counts[] = {1, 2, 3, 4, 6, 8, 10, 20};
  for (int u = 0; u < 8; ++u)
    for (int i = 0; i < counts[u]; ++i) pairs.push_back({u, i, 1});
  const auto train = trainingFrom(8, 30, pairs);
  std::vector<UserIndex> users;
  for (int u = 7; u >= 0; --u) users.push_back(UserIndex{u});  // rows in any order
  const auto segments = reco::segmentUsers(train, users);
  EXPECT_EQ(segments.size(), std::size_t(5));
  EXPECT_EQ(segments[0].name, std::string("activity Q1 (1-2 interactions)"));
  EXPECT_EQ(segments[0].rows, (std::vector<std::size_t>{6, 7}));
  EXPECT_EQ(segments[3].name, std::string("activity Q4 (10-20 interactions)"));
  EXPECT_EQ(segments[3].rows, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(segments[4].group, std::string("cold"));
  EXPECT_EQ(segments[4].rows, (std::vector<std::size_t>{4, 5, 6, 7}));
}

TEST(Evaluator, SegmentAggregatesAndHeadTail) {
  Hand h;
  reco::EvalOptions options;
  options.ks = {3};
  const reco::EvalResult r = reco::evaluate(h.model, h.train, h.test, options);
  std::vector<reco::Segment> segments(1);
  segments[0].name = "u0 and u2";
  segments[0].rows = {0, 2};
  const auto summaries = reco::aggregateSegments(r, segments);
  EXPECT_EQ(summaries.size(), std::size_t(1));
  EXPECT_EQ(summaries[0].users, std::size_t(2));
  const std::size_t ndcg = std::size_t(r.metricIndex("ndcg@3"));
  const double l3 = 1.0 / std::log2(3.0);
  EXPECT_NEAR(summaries[0].metrics[ndcg].mean, (l3 / (1 + l3) + 0.5) / 2, 1e-15);
  EXPECT_EQ(summaries[0].metrics[ndcg].n, std::size_t(2));

  // Training interactions per item: [1, 1, 1, 0, 0, 1] of 4. Sorted by popularity then
  // index: 0, 1, 2, 5, 3, 4; item 0 alone holds 1/4 >= 20%, so the head is {0}.
  const reco::ItemPopularitySplit split = reco::splitHeadTail(h.train, 0.2);
  EXPECT_EQ(split.headItems, std::size_t(1));
  EXPECT_EQ(split.isHead[0], char(1));
  EXPECT_NEAR(split.headInteractions, 0.25, 1e-15);
  // Head test items: u1's item 0 (not in its top 3) -> recall 0; u0 and u2 have none -> NaN.
  // Tail: u0 {2, 5}: 2 in its top 3 -> 1/2; u1 has none -> NaN; u2 {3} in its top 3 -> 1.
  const reco::HeadTailRecall ht = reco::headTailRecall(r, h.train, h.test, 3, split);
  EXPECT_TRUE(std::isnan(ht.head[0]));
  EXPECT_CLOSE(ht.head[1], 0.0, 1e-12);
  EXPECT_CLOSE(ht.tail[0], 0.5, 1e-12);
  EXPECT_TRUE(std::isnan(ht.tail[1]));
  EXPECT_CLOSE(ht.tail[2], 1.0, 1e-12);
  EXPECT_EQ(ht.tailSummary.name, std::string("recall_tail@3"));
  EXPECT_EQ(ht.tailSummary.n, std::size_t(2));
  EXPECT_NEAR(ht.tailSummary.mean, 0.75, 1e-15);
  EXPECT_THROW(reco::splitHeadTail(h.train, 1.5), reco::Error);
}

// The evaluator on an ML-100K-shaped split, several times over on all cores: every user is
// scored each time, and the per-user metrics come out the same whatever the threads did. Its speed
// is a benchmark figure (`reco bench`), not an assertion here: a sanitizer or a loaded machine
// would make a time limit fail for no fault of the code.
TEST(Evaluator, EvaluatesEveryUserOfAnMovieLens100kShape) {
  // 943 users x 1682 items, ~80k training pairs and ~20k test pairs, random scores (a table
  // model: scoring is a row copy).
  const auto fixture = randomFixture(943, 1682, 100, 85.0 / 1682.0, 21.0 / 1682.0);
  reco::EvalOptions options;  // ks 5, 10, 20, 50; all cores
  const reco::EvalResult first =
      reco::evaluate(*fixture.model, fixture.train, fixture.test, options);
  EXPECT_EQ(first.userCount(), std::size_t(943));
  for (int i = 0; i < 2; ++i) {
    const reco::EvalResult again =
        reco::evaluate(*fixture.model, fixture.train, fixture.test, options);
    EXPECT_EQ(again.users, first.users);
    EXPECT_EQ(again.perUser, first.perUser);
  }
}

}  // namespace
