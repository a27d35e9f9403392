// The models' own rankings on the CPU (Recommender::rankOnDevice) against the evaluator's
// ranking from whole score() rows.
// The sparse ranking of the neighbourhood models (core/models/sparse_ranking.h): top-n and
// AUC's counts from the touched items of a row and one count for the untouched +0 ones must
// be exactly what the evaluator computes from whole score() rows. A stand-in model with
// hand-made sparse rows covers what real models rarely produce: negative scores (so the
// untouched zeros rank above touched items), touched items that sum to exactly 0 or -0,
// NaN and -infinity, relevant and excluded items both touched and untouched, lists longer
// than a user's candidates. Then itemknn and userknn with Pearson similarities (negative
// weights) and a small k (most of a row untouched) on a random shop, Host against Device.
// Last, the ranking of one row shared by every user (core/models/shared_row_ranking.h, pop's)
// over a row with ties, NaN and -infinity, and pop itself. And the rankings in chunks of
// items (core/models/chunked_ranking.h: EASE's, the factor models') over several chunks.

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/eval/evaluator.h"
#include "core/models/ease_model.h"
#include "core/models/ease_ranking.h"
#include "core/models/registry.h"
#include "core/models/shared_row_ranking.h"
#include "core/models/sparse_ranking.h"
#include "tests/support/gtest_support.h"

using namespace reco;

namespace {

constexpr std::int32_t kUsers = 60, kItems = 90;

// What every stand-in below shares: fitted from the start, ranks on its "device", no file.
class StandIn : public Recommender {
 public:
  unsigned capabilities() const override { return kRanksOnDevice; }
  Outcome fit(const TrainingData&, TrainObserver*, std::stop_token) override {
    return Outcome::Completed;
  }
  bool isFitted() const override { return true; }
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}
};

// Row u adds, per touched item, one to three terms drawn from a seeded generator: some
// cancel to 0, some are -0, a few are NaN or -infinity; two thirds of the items are never
// touched. score() writes the same sums into a zeroed row, in the same order.
class SparseStandIn final : public StandIn {
 public:
  std::string_view modelName() const override { return "sparse-stand-in"; }
  std::size_t userCount() const override { return kUsers; }
  std::size_t itemCount() const override { return kItems; }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    for (std::size_t r = 0; r < users.size(); ++r) {
      float* row = out.data() + r * kItems;
      std::fill(row, row + kItems, 0.0f);
      terms(users[r].value, [row](std::int32_t item, float value) { row[item] += value; });
    }
  }
  bool rankOnDevice(DeviceRanking& block) const override {
    rankSparseRows(kItems, block, [](UserIndex user, SparseScoreRow& row) {
      terms(user.value, [&row](std::int32_t item, float value) { row.add(item, value); });
    });
    return true;
  }

 private:
  template <class Add>
  static void terms(std::int32_t user, Add&& add) {
    std::mt19937 random(std::uint32_t(user) * 7919u + 1u);
    std::uniform_int_distribution<int> kind(0, 19), count(1, 3), item(0, kItems - 1);
    for (int t = 0; t < kItems / 3; ++t) {
      const std::int32_t i = item(random);
      switch (kind(random)) {
        case 0: add(i, std::numeric_limits<float>::quiet_NaN()); break;
        case 1: add(i, -std::numeric_limits<float>::infinity()); break;
        case 2: add(i, 0.5f), add(i, -0.5f); break;  // touched, sums to exactly +0
        case 3: add(i, -0.0f); break;
        case 4: add(i, float(user % 3)); break;  // ties across items
        default:
          for (int c = count(random); c > 0; --c) add(i, float(kind(random) - 10) / 8.0f);
      }
    }
  }
};

// One row for everybody, with ties, NaN, -infinity and negative scores.
class SharedRowStandIn final : public StandIn {
 public:
  SharedRowStandIn() {
    for (std::int32_t i = 0; i < kItems; ++i)
      row_.push_back(i % 11 == 0   ? std::numeric_limits<float>::quiet_NaN()
                     : i % 13 == 0 ? -std::numeric_limits<float>::infinity()
                                   : float((i * 37) % 9) - 4.0f);
    ranking_ = SharedRowRanking(row_);
  }
  std::string_view modelName() const override { return "shared-row-stand-in"; }
  std::size_t userCount() const override { return kUsers; }
  std::size_t itemCount() const override { return kItems; }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    for (std::size_t r = 0; r < users.size(); ++r)
      std::copy(row_.begin(), row_.end(), out.begin() + std::ptrdiff_t(r * kItems));
  }
  bool rankOnDevice(DeviceRanking& block) const override {
    ranking_.rank(block);
    return true;
  }

 private:
  std::vector<float> row_;
  SharedRowRanking ranking_;
};

// Training and test parts over kUsers x kItems: a few training items per user (some
// users many, so that a list of 40 runs past their candidates), two or three test items.
std::pair<TrainingData, CsrMatrix> randomParts(std::uint32_t seed, std::int32_t users = kUsers,
                                               std::int32_t items = kItems) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::int32_t> item(0, items - 1);
  std::vector<Triplet> train, test;
  for (std::int32_t u = 0; u < users; ++u) {
    const int trained = u % 7 == 0 ? items - 20 : 3 + u % 5;
    for (int k = 0; k < trained; ++k) train.push_back({u, item(random), 1.0f});
    for (int k = 0; k < 2 + u % 2; ++k) test.push_back({u, item(random), 1.0f});
  }
  TrainingData data;
  data.userCount = users;
  data.itemCount = items;
  data.userItems = CsrMatrix::fromTriplets(users, items, train);
  data.itemUsers = data.userItems.transposed();
  return {data, CsrMatrix::fromTriplets(users, items, test)};
}

void expectDeviceEqualsRows(const Recommender& model, const TrainingData& train,
                            const CsrMatrix& test) {
  EvalOptions options;
  options.ks = {1, 5, 40};
  options.threads = 2;
  options.batchUsers = 9;
  options.ranking = EvalOptions::Ranking::Host;
  const EvalResult rows = evaluate(model, train, test, options, nullptr, {});
  options.ranking = EvalOptions::Ranking::Device;
  const EvalResult device = evaluate(model, train, test, options, nullptr, {});
  EXPECT_EQ(device.topStart, rows.topStart);
  ASSERT_EQ(device.topItems.size(), rows.topItems.size());
  for (std::size_t i = 0; i < rows.topItems.size(); ++i) {
    EXPECT_EQ(device.topItems[i].item, rows.topItems[i].item) << "entry " << i;
    const float a = device.topItems[i].score, b = rows.topItems[i].score;
    EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b)
        << "entry " << i << ": " << a << " " << b;
  }
  ASSERT_EQ(device.perUser.size(), rows.perUser.size());
  for (std::size_t i = 0; i < rows.perUser.size(); ++i)
    EXPECT_TRUE((std::isnan(rows.perUser[i]) && std::isnan(device.perUser[i])) ||
                device.perUser[i] == rows.perUser[i])
        << "value " << i << ": " << device.perUser[i] << " against " << rows.perUser[i];
}

}  // namespace

TEST(SparseRanking, TouchedZerosNanAndNegativeScoresRankAsFromWholeRows) {
  const auto [train, test] = randomParts(3);
  SparseStandIn model;
  expectDeviceEqualsRows(model, train, test);
}

TEST(SparseRanking, NeighbourhoodModelsWithNegativeWeightsRankAsFromWholeRows) {
  const auto [train, test] = randomParts(5);
  for (const char* name : {"itemknn", "userknn"}) {
    SCOPED_TRACE(name);
    for (const char* similarity : {"pearson", "cosine"}) {
      SCOPED_TRACE(similarity);
      auto model = defaultRegistry().create(
          name, {{"similarity", similarity}, {"k", "3"}, {"shrink", "0"}}, {.threads = 1});
      ASSERT_EQ(model->fit(train, nullptr, {}), Outcome::Completed);
      ASSERT_TRUE(model->capabilities() & kRanksOnDevice);
      expectDeviceEqualsRows(*model, train, test);
    }
  }
}

TEST(SharedRowRanking, TiesNanAndInfinityRankAsFromWholeRows) {
  const auto [train, test] = randomParts(7);
  SharedRowStandIn model;
  expectDeviceEqualsRows(model, train, test);
}

TEST(SharedRowRanking, PopRanksAsFromWholeRows) {
  const auto [train, test] = randomParts(11);
  auto model = defaultRegistry().create("pop", {}, {.threads = 1});
  ASSERT_EQ(model->fit(train, nullptr, {}), Outcome::Completed);
  ASSERT_TRUE(model->capabilities() & kRanksOnDevice);
  expectDeviceEqualsRows(*model, train, test);
}

// EASE scored as the model does, ranked by rankEase in chunks of 512 items (the model's own
// chunks are wider than a test catalogue): three chunks, the last one short.
class NarrowChunkEase final : public StandIn {
 public:
  explicit NarrowChunkEase(const TrainingData& train) : ease_({.lambda = 2.0}, {.threads = 1}) {
    ease_.fit(train, nullptr, {});
    // Binary feedback: every value 1, as the model reads the training part.
    const CsrMatrix& x = train.userItems;
    history_ = CsrMatrix::fromParts(x.rows(), x.cols(), x.rowStart(), x.colIndex(),
                                    std::vector<float>(std::size_t(x.nnz()), 1.0f));
  }
  std::string_view modelName() const override { return "narrow-chunk-ease"; }
  std::size_t userCount() const override { return ease_.userCount(); }
  std::size_t itemCount() const override { return ease_.itemCount(); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    ease_.score(users, out);
  }
  bool rankOnDevice(DeviceRanking& block) const override {
    rankEase(history_, ease_.weights(), itemCount(), block, 512);
    return true;
  }

 private:
  EaseModel ease_;
  CsrMatrix history_;
};

TEST(ChunkedRanking, EaseOverSeveralChunksRanksAsFromWholeRows) {
  const auto [train, test] = randomParts(13, 40, 1300);
  const NarrowChunkEase narrow(train);
  expectDeviceEqualsRows(narrow, train, test);
  auto model = defaultRegistry().create("ease", {{"lambda", "2"}}, {.threads = 1});
  ASSERT_EQ(model->fit(train, nullptr, {}), Outcome::Completed);
  ASSERT_TRUE(model->capabilities() & kRanksOnDevice);
  expectDeviceEqualsRows(*model, train, test);
}

// The factor models' chunks are 256 items: 1300 items make six, the last one short.
TEST(ChunkedRanking, FactorModelsOverSeveralChunksRankAsFromWholeRows) {
  const auto [train, test] = randomParts(17, 40, 1300);
  for (const char* name : {"als", "bpr"}) {
    SCOPED_TRACE(name);
    auto model = defaultRegistry().create(name, {{"factors", "8"}}, {.threads = 1});
    ASSERT_EQ(model->fit(train, nullptr, {}), Outcome::Completed);
    expectDeviceEqualsRows(*model, train, test);
  }
}

TEST(SparseRanking, RefusesABlockWhoseListsDoNotMatchItsUsers) {
  SparseStandIn model;
  const UserIndex users[] = {{0}, {1}};
  const std::int64_t starts[] = {0, 0};  // one entry short for two users
  std::vector<ScoredItem> top(2);
  DeviceRanking block{users, starts, {}, starts, {}, 1, top, {}, {}};
  try {
    model.rankOnDevice(block);
    ADD_FAILURE() << "a block with one start entry for two users was ranked";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Internal) << e.what();
  }
}
