// The factor models (puresvd, biasedmf, als, bpr) and EASE against answers known in closed
// form: EASE's B, ALS's least-squares solve, a low-rank matrix PureSVD must reproduce; plus
// losses that go down, same seed and threads giving the same model, and refusals.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <sstream>
#include <stop_token>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/als_model.h"
#include "core/models/bpr_model.h"
#include "core/models/ease_model.h"
#include "core/models/factor_scoring.h"
#include "core/models/pure_svd.h"
#include "core/models/registry.h"
#include "core/models/train_observer.h"
#include "core/models/trained_items_model.h"
#include "tests/support/gtest_support.h"

namespace {

using reco::ItemIndex;
using reco::UserIndex;

struct LossRecorder : reco::TrainObserver {
  std::vector<double> losses;
  void onEpoch(const reco::EpochReport& report) override { losses.push_back(report.loss); }
};

reco::TrainingData makeData(std::int32_t users, std::int32_t items,
                            std::vector<reco::Triplet> triplets, bool ratings = false) {
  reco::TrainingData data;
  data.userCount = users;
  data.itemCount = items;
  data.userItems = reco::CsrMatrix::fromTriplets(users, items, triplets);
  data.itemUsers = data.userItems.transposed();
  if (ratings) {
    data.hasRatings = true;
    data.ratings = data.userItems.values();
  }
  return data;
}

// A checkerboard with noise: even users like even items, odd users odd items.
reco::TrainingData checkerboard(std::int32_t users = 60, std::int32_t items = 40,
                                std::uint64_t seed = 3) {
  reco::Random rng(seed);
  std::vector<reco::Triplet> triplets;
  for (std::int32_t u = 0; u < users; ++u) {
    for (std::int32_t i = 0; i < items; ++i) {
      if ((u + i) % 2 == 0 && rng.uniform() < 0.5) triplets.push_back({u, i, 1.0f});
    }
  }
  return makeData(users, items, triplets);
}

std::vector<float> scoreAll(const reco::Recommender& model) {
  std::vector<UserIndex> users(model.userCount());
  for (std::size_t u = 0; u < users.size(); ++u) users[u] = UserIndex{std::int32_t(u)};
  std::vector<float> out(users.size() * model.itemCount());
  model.score(users, out);
  return out;
}

std::unique_ptr<reco::Recommender> create(const std::string& name, reco::OptionValues values = {},
                                          int threads = 2) {
  reco::ComputeOptions compute;
  compute.threads = threads;
  return reco::defaultRegistry().create(name, values, compute);
}

TEST(FactorModels, FactorScoringIsTheSameForEveryBatchAndPath) {
  // Odd sizes on purpose: items not a multiple of the 16-item tile, users not of 4.
  const std::size_t items = 1003, dim = 13, users = 7;
  reco::Random rng(3);
  std::vector<float> factors(items * dim), bias(items), vectors(users * dim);
  for (auto* v : {&factors, &bias, &vectors})
    for (float& x : *v) x = float(rng.uniform() * 2.0 - 1.0);
  reco::factors::FactorScorer scorer;
  scorer.reset(factors, items, dim, bias);
  std::vector<float> batch(users * items), portable(users * items), one(items);
  scorer.score(vectors.data(), users, batch.data());
  scorer.score(vectors.data(), users, portable.data(), true);
  EXPECT_EQ(batch, portable);  // bit for bit: both paths round once per multiply-add
  for (std::size_t u = 0; u < users; ++u) {
    scorer.score(vectors.data() + u * dim, 1, one.data());
    EXPECT_TRUE(std::equal(one.begin(), one.end(), batch.begin() + std::ptrdiff_t(u * items)));
    // And the value is the dot product (to float rounding).
    for (std::size_t i : {std::size_t(0), std::size_t(500), items - 1}) {
      double expected = bias[i];
      for (std::size_t f = 0; f < dim; ++f)
        expected += double(vectors[u * dim + f]) * double(factors[i * dim + f]);
      EXPECT_NEAR(one[i], expected, 1e-4) << "user " << u << " item " << i;
    }
  }
}

// learning_rate_scale=auto multiplies the step by clamp(users / (2 items), 1, 10), says so
// in resolvedOptions(), and trains exactly as that step given by hand does.
TEST(FactorModels, BprScalesItsStepWhereUsersOutnumberItems) {
  reco::Random rng(5);
  std::vector<reco::Triplet> triplets;
  const std::int32_t users = 120, items = 20;  // 6 users per item: the step times 3
  for (std::int32_t u = 0; u < users; ++u) {
    triplets.push_back({u, u % items, 1.0f});
    if (rng.uniform() < 0.3) triplets.push_back({u, (u + 1 + u % 3) % items, 1.0f});
  }
  const auto data = makeData(users, items, triplets);
  const reco::OptionValues small{{"epochs", "5"}, {"factors", "8"}};
  auto automatic = create("bpr", small, 1);
  ASSERT_EQ(automatic->fit(data, nullptr, {}), reco::Outcome::Completed);
  EXPECT_EQ(automatic->resolvedOptions(), (reco::OptionValues{{"learning_rate", "0.06"}}));
  reco::OptionValues byHandOptions = small;
  byHandOptions["learning_rate"] = "0.06";
  byHandOptions["learning_rate_scale"] = "none";
  auto byHand = create("bpr", byHandOptions, 1);
  ASSERT_EQ(byHand->fit(data, nullptr, {}), reco::Outcome::Completed);
  EXPECT_TRUE(byHand->resolvedOptions().empty());
  EXPECT_EQ(scoreAll(*automatic), scoreAll(*byHand));
  // Fewer than 2 users per item (the checkerboard: 60 x 40): the step as given.
  auto dense = create("bpr", small, 1);
  ASSERT_EQ(dense->fit(checkerboard(), nullptr, {}), reco::Outcome::Completed);
  EXPECT_EQ(dense->resolvedOptions(), (reco::OptionValues{{"learning_rate", "0.02"}}));
}

TEST(FactorModels, BprPopularitySamplingSpreadsRecommendations) {
  // A skewed catalogue: item i is chosen with probability ~ 1/(i+1). Popularity-proportional
  // negatives (the implicit library's sampler) push popular items down, so the top-10
  // lists hold clearly less popular items than with uniform negatives (cornac's).
  reco::Random rng(11);
  std::vector<reco::Triplet> triplets;
  const std::int32_t users = 300, items = 120;
  for (std::int32_t u = 0; u < users; ++u)
    for (std::int32_t i = 0; i < items; ++i)
      if (rng.uniform() < 0.6 / double(i + 1) + 0.02) triplets.push_back({u, i, 1.0f});
  const auto data = makeData(users, items, triplets);
  // The mean training popularity (users per item) of the recommended items.
  auto meanPopularity = [&](const char* sampling) {
    auto model =
        create("bpr", {{"negative_sampling", sampling}, {"epochs", "60"}, {"factors", "16"}}, 1);
    model->fit(data, nullptr, {});
    double sum = 0;
    std::size_t n = 0;
    for (std::int32_t u = 0; u < users; ++u) {
      std::vector<ItemIndex> history;
      for (const auto i : data.userItems.rowCols(u)) history.push_back(ItemIndex{i});
      for (const auto& scored : model->recommend(UserIndex{u}, history, 10)) {
        sum += double(data.itemUsers.rowSize(scored.item.value));
        ++n;
      }
    }
    return sum / double(n);
  };
  const double uniform = meanPopularity("uniform"), popularity = meanPopularity("popularity");
  std::printf("mean popularity of recommended items: uniform %.1f, popularity %.1f\n", uniform,
              popularity);
  EXPECT_LT(popularity, 0.9 * uniform);  // observed: 21% lower
  EXPECT_THROW(create("bpr", {{"negative_sampling", "zipf"}}), reco::Error);
}

TEST(FactorModels, EaseMatchesClosedForm) {
  // X: 5 users x 4 items; B = I - P / diag(P), P = (X'X + lambda I)^-1, worked in double.
  const std::vector<reco::Triplet> triplets = {{0, 0, 1}, {0, 1, 1}, {1, 1, 1}, {1, 2, 1},
                                               {2, 0, 1}, {2, 2, 1}, {2, 3, 1}, {3, 3, 1},
                                               {4, 0, 1}, {4, 1, 1}};
  const double lambda = 0.5;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(5, 4);
  for (const auto& t : triplets) x(t.row, t.col) = t.value;
  const Eigen::MatrixXd p =
      (x.transpose() * x + lambda * Eigen::MatrixXd::Identity(4, 4)).inverse();
  Eigen::MatrixXd b(4, 4);
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i) b(j, i) = i == j ? 0.0 : -p(j, i) / p(i, i);
  auto model = create("ease", {{"lambda", "0.5"}});
  model->fit(makeData(5, 4, triplets), nullptr, {});
  const auto& weights = dynamic_cast<const reco::EaseModel&>(
                            dynamic_cast<const reco::TrainedItemsModel&>(*model).inner())
                            .weights();
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i)
      EXPECT_NEAR(weights[std::size_t(j * 4 + i)], b(j, i), 1e-5)
          << "B differs at " << j << ", " << i;
  const Eigen::MatrixXd expected = x * b;
  const auto scores = scoreAll(*model);
  for (int u = 0; u < 5; ++u)
    for (int i = 0; i < 4; ++i)
      EXPECT_NEAR(scores[std::size_t(u * 4 + i)], expected(u, i), 1e-5)
          << "user " << u << " item " << i;
  // The explanation names the history item with the largest B[j, i].
  const ItemIndex history[] = {ItemIndex{0}, ItemIndex{1}};
  const auto why = model->explain(UserIndex{0}, ItemIndex{2}, history);
  EXPECT_CLOSE(why.score, double(scores[2]), 1e-12);
}

TEST(FactorModels, EaseMatchesClosedFormAcrossBlocks) {
  // Larger than one pivot block of the blocked inversion (192).
  reco::Random rng(5);
  const int users = 300, items = 420;
  std::vector<reco::Triplet> triplets;
  for (int u = 0; u < users; ++u)
    for (int i = 0; i < items; ++i)
      if (rng.uniform() < 0.05) triplets.push_back({u, i, 1.0f});
  const auto data = makeData(users, items, triplets);
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(users, items);
  for (const auto& t : triplets) x(t.row, t.col) = 1;
  const Eigen::MatrixXd p =
      (x.transpose() * x + 10.0 * Eigen::MatrixXd::Identity(items, items)).inverse();
  auto model = create("ease", {{"lambda", "10"}});
  model->fit(data, nullptr, {});
  const auto& weights = dynamic_cast<const reco::EaseModel&>(
                            dynamic_cast<const reco::TrainedItemsModel&>(*model).inner())
                            .weights();
  double worst = 0;
  for (int j = 0; j < items; ++j)
    for (int i = 0; i < items; ++i) {
      const double expected = i == j ? 0.0 : -p(j, i) / p(i, i);
      worst = std::max(worst, std::abs(weights[std::size_t(j) * items + i] - expected));
    }
  EXPECT_LT(worst, 1e-4) << "largest difference";
}

TEST(FactorModels, EaseRefusesHugeItemCounts) {
  auto model = create("ease", {{"max_memory_gb", "0.5"}});
  std::vector<reco::Triplet> everyItemBought;
  everyItemBought.reserve(100000);
  for (std::int32_t i = 0; i < 100000; ++i) everyItemBought.push_back({i % 2, i, 1.0f});
  const auto data = makeData(2, 100000, everyItemBought);
  try {
    model->fit(data, nullptr, {});
    FAIL() << "ease accepted 100000 items under a 0.5 GiB budget";
  } catch (const reco::Error& error) {
    EXPECT_EQ(error.kind(), reco::ErrorKind::Config);
    const std::string message = error.what();
    // The GiB needed with one decimal and a point, written here without the core's helpers.
    char digits[32];
    const auto written = std::to_chars(digits, digits + sizeof digits,
                                       reco::easeMemoryBytes(100000) / double(1ull << 30),
                                       std::chars_format::fixed, 1);
    const std::string needed = std::string(digits, written.ptr) + " GiB";
    EXPECT_GE(reco::easeMemoryBytes(100000), 100000.0 * 100000.0 * 4);
    EXPECT_TRUE(message.find("100000 items") != std::string::npos &&
                message.find(needed) != std::string::npos &&
                message.find("0.5 GiB") != std::string::npos)
        << message;
  }
  EXPECT_FALSE(model->isFitted());
}

// A catalogue of 100000 products of which 3 were bought: EASE's matrix is 3 x 3 (what it can
// learn), so the budget that refuses 100000 bought items holds, and the rest never rank.
TEST(FactorModels, EaseLearnsTheBoughtItemsOfAHugeCatalogue) {
  auto model = create("ease", {{"max_memory_gb", "0.5"}, {"lambda", "1"}});
  const auto data =
      makeData(3, 100000, {{0, 5, 1.0f}, {0, 7, 1.0f}, {1, 7, 1.0f}, {2, 99999, 1.0f}});
  ASSERT_EQ(model->fit(data, nullptr, {}), reco::Outcome::Completed);
  EXPECT_EQ(model->itemCount(), std::size_t(100000));
  EXPECT_EQ(dynamic_cast<const reco::TrainedItemsModel&>(*model).learnedItemCount(),
            std::size_t(3));
  const auto top = model->recommend({1}, std::vector<ItemIndex>{{7}}, 3);
  ASSERT_EQ(top.size(), std::size_t(3));
  EXPECT_EQ(top[0].item.value, 5);  // bought with 7
  EXPECT_GT(top[0].score, 0.0f);
  EXPECT_EQ(top[1].item.value, 99999);
  EXPECT_EQ(top[2].item.value, 0);  // never bought: -infinity, then by index
  EXPECT_EQ(top[2].score, -std::numeric_limits<float>::infinity());
}

TEST(FactorModels, AlsObjectiveDecreases) {
  LossRecorder recorder;
  auto model = create("als", {{"factors", "8"}, {"iterations", "10"}, {"alpha", "4"}});
  model->fit(checkerboard(), &recorder, {});
  ASSERT_EQ(recorder.losses.size(), std::size_t(10));
  for (std::size_t e = 1; e < recorder.losses.size(); ++e)
    EXPECT_LE(recorder.losses[e], recorder.losses[e - 1] * (1 + 1e-6)) << "ALS objective went up";
  EXPECT_LT(recorder.losses.back(), recorder.losses.front());
}

TEST(FactorModels, AlsConjugateGradientMatchesExactSolve) {
  const std::size_t k = 6, items = 30;
  reco::Random rng(11);
  std::vector<float> y(items * k);
  for (float& v : y) v = float(rng.normal() * 0.5);
  Eigen::MatrixXd yd(items, k);
  for (std::size_t i = 0; i < items; ++i)
    for (std::size_t f = 0; f < k; ++f) yd(Eigen::Index(i), Eigen::Index(f)) = y[i * k + f];
  const double reg = 0.1;
  Eigen::MatrixXd gram = yd.transpose() * yd + reg * Eigen::MatrixXd::Identity(k, k);
  std::vector<float> gramF(k * k);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      gramF[a * k + b] = float(gram(Eigen::Index(a), Eigen::Index(b)));
  const std::vector<std::int32_t> cols = {1, 4, 9, 17, 25};
  const std::vector<float> conf = {2.0f, 5.0f, 3.0f, 2.0f, 9.0f};
  Eigen::MatrixXd a = gram;
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k);
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const Eigen::VectorXd yj = yd.row(cols[j]).transpose();
    a += (conf[j] - 1.0) * yj * yj.transpose();
    rhs += conf[j] * yj;
  }
  const Eigen::VectorXd exact = a.ldlt().solve(rhs);
  // k steps of CG solve a k-dimensional system (up to rounding); 3 warm-started steps
  // twice get close as well.
  std::vector<float> x(k, 0.0f);
  reco::AlsModel::conjugateGradient(gramF.data(), y.data(), k, cols, conf, int(k), x.data());
  for (std::size_t f = 0; f < k; ++f)
    EXPECT_NEAR(x[f], exact[Eigen::Index(f)], 1e-3 * (1 + exact.norm())) << f;
  std::vector<float> warm(k, 0.0f);
  for (int pass = 0; pass < 4; ++pass)
    reco::AlsModel::conjugateGradient(gramF.data(), y.data(), k, cols, conf, 3, warm.data());
  for (std::size_t f = 0; f < k; ++f)
    EXPECT_NEAR(warm[f], exact[Eigen::Index(f)], 1e-3 * (1 + exact.norm())) << f;
}

TEST(FactorModels, BprLossDecreasesAndRepeats) {
  const auto data = checkerboard(80, 60);
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    LossRecorder first, second;
    auto a =
        create("bpr", {{"factors", "16"}, {"epochs", "30"}, {"learning_rate", "0.05"}}, threads);
    auto b =
        create("bpr", {{"factors", "16"}, {"epochs", "30"}, {"learning_rate", "0.05"}}, threads);
    a->fit(data, &first, {});
    b->fit(data, &second, {});
    ASSERT_EQ(first.losses.size(), std::size_t(30));
    EXPECT_LT(first.losses.back(), 0.8 * first.losses.front()) << "BPR loss did not go down";
    EXPECT_EQ(first.losses, second.losses);
    const auto& fa = dynamic_cast<const reco::BprModel&>(
        dynamic_cast<const reco::TrainedItemsModel&>(*a).inner());
    const auto& fb = dynamic_cast<const reco::BprModel&>(
        dynamic_cast<const reco::TrainedItemsModel&>(*b).inner());
    EXPECT_TRUE(fa.itemFactors() == fb.itemFactors());
    EXPECT_TRUE(fa.userFactors() == fb.userFactors());
    EXPECT_TRUE(fa.itemBiases() == fb.itemBiases());
    // The checkerboard is learned: a user's best unseen item has the user's parity.
    std::vector<ItemIndex> seen;
    for (std::int32_t i : data.userItems.rowCols(2)) seen.push_back(ItemIndex{i});
    const auto top = a->recommend(UserIndex{2}, seen, 3);
    EXPECT_EQ(top.size(), std::size_t(3));
    for (const auto& item : top) EXPECT_EQ(item.item.value % 2, 0);
  }
}

TEST(FactorModels, BiasedMfBeatsTheGlobalMean) {
  reco::Random rng(2);
  const int users = 60, items = 50, k = 3;
  std::vector<double> p(users * k), q(items * k);
  for (double& v : p) v = rng.normal();
  for (double& v : q) v = rng.normal();
  std::vector<reco::Triplet> triplets;
  for (int u = 0; u < users; ++u)
    for (int i = 0; i < items; ++i)
      if (rng.uniform() < 0.4) {
        double r = 3.0 + 0.3 * (u % 5 - 2) + 0.2 * (i % 3);
        for (int f = 0; f < k; ++f) r += 0.5 * p[u * k + f] * q[i * k + f];
        triplets.push_back({u, i, float(std::clamp(r, 1.0, 5.0))});
      }
  const auto data = makeData(users, items, triplets, true);
  LossRecorder recorder;
  auto model = create("biasedmf", {{"factors", "8"}, {"epochs", "60"}, {"learning_rate", "0.02"}});
  model->fit(data, &recorder, {});
  EXPECT_LT(recorder.losses.back(), recorder.losses.front());
  const auto scores = scoreAll(*model);
  double mean = 0;
  for (float r : data.ratings) mean += r;
  mean /= double(data.ratings.size());
  double model2 = 0, base2 = 0;
  for (const auto& t : triplets) {
    model2 += std::pow(scores[std::size_t(t.row) * items + t.col] - t.value, 2);
    base2 += std::pow(mean - t.value, 2);
  }
  const double rmse = std::sqrt(model2 / triplets.size()),
               baseline = std::sqrt(base2 / triplets.size());
  EXPECT_LT(rmse, 0.5 * baseline) << "rmse " << rmse << ", mean baseline " << baseline;
  // It says so, so that runs on rated data get RMSE and MAE.
  EXPECT_TRUE(model->capabilities() & reco::kPredictsRatings);
  // No ratings: a configuration error.
  auto again = create("biasedmf");
  EXPECT_THROW(again->fit(checkerboard(), nullptr, {}), reco::Error);
}

TEST(FactorModels, PureSvdReconstructsALowRankMatrix) {
  reco::Random rng(9);
  const int users = 40, items = 25, rank = 3;
  std::vector<double> a(users * rank), b(items * rank);
  for (double& v : a) v = 0.2 + rng.uniform();
  for (double& v : b) v = 0.2 + rng.uniform();
  std::vector<reco::Triplet> triplets;
  for (int u = 0; u < users; ++u)
    for (int i = 0; i < items; ++i) {
      double v = 0;
      for (int f = 0; f < rank; ++f) v += a[u * rank + f] * b[i * rank + f];
      triplets.push_back({u, i, float(v)});
    }
  auto model = create("puresvd", {{"factors", "3"}, {"feedback", "weighted"}});
  model->fit(makeData(users, items, triplets), nullptr, {});
  const auto scores = scoreAll(*model);
  double worst = 0;
  for (const auto& t : triplets)
    worst = std::max(worst, std::abs(double(scores[std::size_t(t.row) * items + t.col]) - t.value));
  EXPECT_LT(worst, 1e-4) << "largest error";
}

/// The contract of each factor model (and EASE): batch equals single scoring, save/load and
/// the same seed give the same scores, similar items leave the item out, garbage is refused.
class FactorModelContract : public ::testing::TestWithParam<std::string> {};

TEST_P(FactorModelContract, Basics) {
  const std::string& name = GetParam();
  auto data = checkerboard();
  if (name == "biasedmf") {
    data.hasRatings = true;
    data.ratings.assign(std::size_t(data.userItems.nnz()), 4.0f);
  }
  auto model = create(name, {}, 2);
  EXPECT_EQ(model->fit(data, nullptr, {}), reco::Outcome::Completed);
  const auto all = scoreAll(*model);
  const std::size_t items = model->itemCount();
  for (std::int32_t u : {0, 7, 59}) {
    std::vector<float> row(items);
    const UserIndex one[] = {UserIndex{u}};
    model->score(one, row);
    for (std::size_t i = 0; i < items; ++i)
      EXPECT_CLOSE(row[i], all[std::size_t(u) * items + i], 1e-5) << "user " << u << " item " << i;
  }
  std::stringstream stream;
  model->save(stream);
  auto loaded = create(name, {}, 1);
  loaded->load(stream);
  EXPECT_TRUE(scoreAll(*loaded) == all);
  auto same = create(name, {}, 2);
  same->fit(data, nullptr, {});
  EXPECT_TRUE(scoreAll(*same) == all);
  const auto similar = model->similarItems(ItemIndex{4}, 5);
  EXPECT_EQ(similar.size(), std::size_t(5));
  for (const auto& s : similar) EXPECT_NE(s.item.value, 4);
  std::stringstream wrong("RECOgarbage");
  EXPECT_THROW(loaded->load(wrong), reco::Error);
}

INSTANTIATE_TEST_SUITE_P(FactorModels, FactorModelContract,
                         ::testing::Values("puresvd", "als", "bpr", "ease", "biasedmf"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(FactorModels, StopBeforeFirstEpochLeavesUnfitted) {
  std::stop_source source;
  source.request_stop();
  for (const char* name : {"als", "bpr", "ease", "puresvd"}) {
    SCOPED_TRACE(name);
    auto model = create(name);
    EXPECT_EQ(model->fit(checkerboard(), nullptr, source.get_token()), reco::Outcome::Stopped);
    EXPECT_FALSE(model->isFitted());
  }
}
}  // namespace
