// The factor models (puresvd, biasedmf, als, bpr) and EASE against answers known in closed
// form: EASE's B, ALS's least-squares solve, a low-rank matrix PureSVD must reproduce; plus
// losses that go down, same seed and threads giving the same model, and refusals.

#include <QtTest>
#include <Eigen/Dense>
#include <cmath>
#include <sstream>

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

namespace {

using reco::ItemIndex;
using reco::UserIndex;

struct LossRecorder : reco::TrainObserver {
  std::vector<double> losses;
  void onEpoch(const reco::EpochReport& report) override { losses.push_back(report.loss); }
};

reco::TrainingData makeData(std::int32_t users, std::int32_t items, std::vector<reco::Triplet> triplets,
                            bool ratings = false) {
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
reco::TrainingData checkerboard(std::int32_t users = 60, std::int32_t items = 40, std::uint64_t seed = 3) {
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

}  // namespace

class TestFactorModels : public QObject {
  Q_OBJECT

 private slots:
  void factorScoringIsTheSameForEveryBatchAndPath() {
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
    QCOMPARE(batch, portable);  // bit for bit: both paths round once per multiply-add
    for (std::size_t u = 0; u < users; ++u) {
      scorer.score(vectors.data() + u * dim, 1, one.data());
      QVERIFY(std::equal(one.begin(), one.end(), batch.begin() + std::ptrdiff_t(u * items)));
      // And the value is the dot product (to float rounding).
      for (std::size_t i : {std::size_t(0), std::size_t(500), items - 1}) {
        double expected = bias[i];
        for (std::size_t f = 0; f < dim; ++f) expected += double(vectors[u * dim + f]) * double(factors[i * dim + f]);
        QVERIFY(std::abs(one[i] - expected) < 1e-4);
      }
    }
  }

  void bprPopularitySamplingSpreadsRecommendations() {
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
      auto model = create("bpr", {{"negative_sampling", sampling}, {"epochs", "60"}, {"factors", "16"}}, 1);
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
    qInfo("mean popularity of recommended items: uniform %.1f, popularity %.1f", uniform, popularity);
    QVERIFY(popularity < 0.9 * uniform);  // observed: 21% lower
    QVERIFY_THROWS_EXCEPTION(reco::Error, create("bpr", {{"negative_sampling", "zipf"}}));
  }

  void easeMatchesClosedForm() {
    // X: 5 users x 4 items; B = I - P / diag(P), P = (X'X + lambda I)^-1, worked in double.
    const std::vector<reco::Triplet> triplets = {{0, 0, 1}, {0, 1, 1}, {1, 1, 1}, {1, 2, 1}, {2, 0, 1},
                                                 {2, 2, 1}, {2, 3, 1}, {3, 3, 1}, {4, 0, 1}, {4, 1, 1}};
    const double lambda = 0.5;
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(5, 4);
    for (const auto& t : triplets) x(t.row, t.col) = t.value;
    const Eigen::MatrixXd p = (x.transpose() * x + lambda * Eigen::MatrixXd::Identity(4, 4)).inverse();
    Eigen::MatrixXd b(4, 4);
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 4; ++i) b(j, i) = i == j ? 0.0 : -p(j, i) / p(i, i);
    auto model = create("ease", {{"lambda", "0.5"}});
    model->fit(makeData(5, 4, triplets), nullptr, {});
    const auto& weights = dynamic_cast<reco::EaseModel&>(*model).weights();
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 4; ++i) QVERIFY2(std::abs(weights[std::size_t(j * 4 + i)] - b(j, i)) < 1e-5, "B differs");
    const Eigen::MatrixXd expected = x * b;
    const auto scores = scoreAll(*model);
    for (int u = 0; u < 5; ++u)
      for (int i = 0; i < 4; ++i) QVERIFY(std::abs(scores[std::size_t(u * 4 + i)] - expected(u, i)) < 1e-5);
    // The explanation names the history item with the largest B[j, i].
    const ItemIndex history[] = {ItemIndex{0}, ItemIndex{1}};
    const auto why = model->explain(UserIndex{0}, ItemIndex{2}, history);
    QCOMPARE(why.score, double(scores[2]));
  }

  void easeMatchesClosedFormAcrossBlocks() {
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
    const Eigen::MatrixXd p = (x.transpose() * x + 10.0 * Eigen::MatrixXd::Identity(items, items)).inverse();
    auto model = create("ease", {{"lambda", "10"}});
    model->fit(data, nullptr, {});
    const auto& weights = dynamic_cast<reco::EaseModel&>(*model).weights();
    double worst = 0;
    for (int j = 0; j < items; ++j)
      for (int i = 0; i < items; ++i) {
        const double expected = i == j ? 0.0 : -p(j, i) / p(i, i);
        worst = std::max(worst, std::abs(weights[std::size_t(j) * items + i] - expected));
      }
    QVERIFY2(worst < 1e-4, qPrintable(QString("largest difference %1").arg(worst)));
  }

  void easeRefusesHugeItemCounts() {
    auto model = create("ease", {{"max_memory_gb", "0.5"}});
    const auto data = makeData(2, 100000, {{0, 5, 1.0f}, {1, 7, 1.0f}});
    try {
      model->fit(data, nullptr, {});
      QFAIL("ease accepted 100000 items under a 0.5 GiB budget");
    } catch (const reco::Error& error) {
      QCOMPARE(error.kind(), reco::ErrorKind::Config);
      const QString message = error.what();
      const QString needed = QString::number(reco::easeMemoryBytes(100000) / double(1ull << 30), 'f', 1) + " GiB";
      QVERIFY(reco::easeMemoryBytes(100000) >= 100000.0 * 100000.0 * 4);
      QVERIFY2(message.contains("100000 items") && message.contains(needed) && message.contains("0.5 GiB"),
               qPrintable(message));
    }
    QVERIFY(!model->isFitted());
  }

  void alsObjectiveDecreases() {
    LossRecorder recorder;
    auto model = create("als", {{"factors", "8"}, {"iterations", "10"}, {"alpha", "4"}});
    model->fit(checkerboard(), &recorder, {});
    QCOMPARE(recorder.losses.size(), std::size_t(10));
    for (std::size_t e = 1; e < recorder.losses.size(); ++e)
      QVERIFY2(recorder.losses[e] <= recorder.losses[e - 1] * (1 + 1e-6), "ALS objective went up");
    QVERIFY(recorder.losses.back() < recorder.losses.front());
  }

  void alsConjugateGradientMatchesExactSolve() {
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
      for (std::size_t b = 0; b < k; ++b) gramF[a * k + b] = float(gram(Eigen::Index(a), Eigen::Index(b)));
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
    for (std::size_t f = 0; f < k; ++f) QVERIFY(std::abs(x[f] - exact[Eigen::Index(f)]) < 1e-3 * (1 + exact.norm()));
    std::vector<float> warm(k, 0.0f);
    for (int pass = 0; pass < 4; ++pass) reco::AlsModel::conjugateGradient(gramF.data(), y.data(), k, cols, conf, 3, warm.data());
    for (std::size_t f = 0; f < k; ++f) QVERIFY(std::abs(warm[f] - exact[Eigen::Index(f)]) < 1e-3 * (1 + exact.norm()));
  }

  void bprLossDecreasesAndRepeats() {
    const auto data = checkerboard(80, 60);
    for (int threads : {1, 2, 3}) {
      LossRecorder first, second;
      auto a = create("bpr", {{"factors", "16"}, {"epochs", "30"}, {"learning_rate", "0.05"}}, threads);
      auto b = create("bpr", {{"factors", "16"}, {"epochs", "30"}, {"learning_rate", "0.05"}}, threads);
      a->fit(data, &first, {});
      b->fit(data, &second, {});
      QCOMPARE(first.losses.size(), std::size_t(30));
      QVERIFY2(first.losses.back() < 0.8 * first.losses.front(), "BPR loss did not go down");
      QCOMPARE(first.losses, second.losses);
      const auto& fa = dynamic_cast<reco::BprModel&>(*a);
      const auto& fb = dynamic_cast<reco::BprModel&>(*b);
      QVERIFY(fa.itemFactors() == fb.itemFactors());
      QVERIFY(fa.userFactors() == fb.userFactors());
      QVERIFY(fa.itemBiases() == fb.itemBiases());
      // The checkerboard is learned: a user's best unseen item has the user's parity.
      std::vector<ItemIndex> seen;
      for (std::int32_t i : data.userItems.rowCols(2)) seen.push_back(ItemIndex{i});
      const auto top = a->recommend(UserIndex{2}, seen, 3);
      QCOMPARE(top.size(), std::size_t(3));
      for (const auto& item : top) QCOMPARE(item.item.value % 2, 0);
    }
  }

  void biasedMfBeatsTheGlobalMean() {
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
    QVERIFY(recorder.losses.back() < recorder.losses.front());
    const auto scores = scoreAll(*model);
    double mean = 0;
    for (float r : data.ratings) mean += r;
    mean /= double(data.ratings.size());
    double model2 = 0, base2 = 0;
    for (const auto& t : triplets) {
      model2 += std::pow(scores[std::size_t(t.row) * items + t.col] - t.value, 2);
      base2 += std::pow(mean - t.value, 2);
    }
    const double rmse = std::sqrt(model2 / triplets.size()), baseline = std::sqrt(base2 / triplets.size());
    QVERIFY2(rmse < 0.5 * baseline, qPrintable(QString("rmse %1, mean baseline %2").arg(rmse).arg(baseline)));
    // It says so, so that runs on rated data get RMSE and MAE.
    QVERIFY(model->capabilities() & reco::kPredictsRatings);
    // No ratings: a configuration error.
    auto again = create("biasedmf");
    QVERIFY_THROWS_EXCEPTION(reco::Error, again->fit(checkerboard(), nullptr, {}));
  }

  void pureSvdReconstructsALowRankMatrix() {
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
    for (const auto& t : triplets) worst = std::max(worst, std::abs(double(scores[std::size_t(t.row) * items + t.col]) - t.value));
    QVERIFY2(worst < 1e-4, qPrintable(QString("largest error %1").arg(worst)));
  }

  void contractBasics_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"puresvd", "als", "bpr", "ease", "biasedmf"}) QTest::newRow(name) << QString(name);
  }

  void contractBasics() {
    QFETCH(QString, name);
    auto data = checkerboard();
    if (name == "biasedmf") {
      data.hasRatings = true;
      data.ratings.assign(std::size_t(data.userItems.nnz()), 4.0f);
    }
    auto model = create(name.toStdString(), {}, 2);
    QCOMPARE(model->fit(data, nullptr, {}), reco::Outcome::Completed);
    const auto all = scoreAll(*model);
    const std::size_t items = model->itemCount();
    for (std::int32_t u : {0, 7, 59}) {
      std::vector<float> row(items);
      const UserIndex one[] = {UserIndex{u}};
      model->score(one, row);
      for (std::size_t i = 0; i < items; ++i) QCOMPARE(row[i], all[std::size_t(u) * items + i]);
    }
    std::stringstream stream;
    model->save(stream);
    auto loaded = create(name.toStdString(), {}, 1);
    loaded->load(stream);
    QVERIFY(scoreAll(*loaded) == all);
    auto same = create(name.toStdString(), {}, 2);
    same->fit(data, nullptr, {});
    QVERIFY(scoreAll(*same) == all);
    const auto similar = model->similarItems(ItemIndex{4}, 5);
    QCOMPARE(similar.size(), std::size_t(5));
    for (const auto& s : similar) QVERIFY(s.item.value != 4);
    std::stringstream wrong("RECOgarbage");
    QVERIFY_THROWS_EXCEPTION(reco::Error, loaded->load(wrong));
  }

  void stopBeforeFirstEpochLeavesUnfitted() {
    std::stop_source source;
    source.request_stop();
    for (const char* name : {"als", "bpr", "ease", "puresvd"}) {
      auto model = create(name);
      QCOMPARE(model->fit(checkerboard(), nullptr, source.get_token()), reco::Outcome::Stopped);
      QVERIFY(!model->isFitted());
    }
  }
};

QTEST_GUILESS_MAIN(TestFactorModels)
#include "test_factor_models.moc"
