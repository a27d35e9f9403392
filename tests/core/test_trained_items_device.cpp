// TrainedItemsModel's translation of a device ranking (DeviceRanking, recommender.h): the
// excluded and relevant lists go to the inner model in its own item indices, the top lists
// and AUC's counts come back in the dataset's, with the never-bought items at -infinity and
// newcomers ranked from the bestseller list. No GPU here, so the inner model is a stand-in
// that "ranks on its device" on the host, exactly by the DeviceRanking contract; the wrapped
// model must then evaluate the same with Ranking::Device as with Ranking::Host.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

#include "core/data/training_data.h"
#include "core/eval/evaluator.h"
#include "core/models/trained_items_model.h"
#include "tests/support/checkerboard.h"
#include "tests/support/gtest_support.h"

using namespace reco;

namespace {

// Finite scores that depend on the user and the item, with some ties (so the ties rule is
// exercised), and a host implementation of rankOnDevice.
class HostRankingModel final : public Recommender {
 public:
  std::string_view modelName() const override { return "host-ranking"; }
  unsigned capabilities() const override { return kRanksOnDevice; }
  Outcome fit(const TrainingData& data, TrainObserver*, std::stop_token) override {
    users_ = data.userCount;
    items_ = data.itemCount;
    return Outcome::Completed;
  }
  bool isFitted() const override { return items_ > 0; }
  std::size_t userCount() const override { return std::size_t(users_); }
  std::size_t itemCount() const override { return std::size_t(items_); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    for (std::size_t r = 0; r < users.size(); ++r)
      for (std::int32_t i = 0; i < items_; ++i)
        out[r * std::size_t(items_) + std::size_t(i)] =
            float((users[r].value * 7 + i * 13) % 17) / 4.0f;
  }
  bool rankOnDevice(DeviceRanking& block) const override {
    std::vector<float> row(static_cast<std::size_t>(items_));
    for (std::size_t u = 0; u < block.users.size(); ++u) {
      const UserIndex user[] = {block.users[u]};
      score(user, row);
      std::vector<ItemIndex> exclude;
      std::vector<char> skip(row.size(), 0);
      for (auto k = block.excludeStart[u]; k < block.excludeStart[u + 1]; ++k) {
        exclude.push_back({block.exclude[std::size_t(k)]});
        skip[std::size_t(block.exclude[std::size_t(k)])] = 1;
      }
      const auto top = selectTopN(row, exclude, block.n);
      std::copy(top.begin(), top.end(), block.top.begin() + std::ptrdiff_t(u * block.n));
      for (auto k = block.relevantStart[u]; k < block.relevantStart[u + 1]; ++k)
        skip[std::size_t(block.relevant[std::size_t(k)])] = 1;
      for (auto k = block.relevantStart[u]; k < block.relevantStart[u + 1]; ++k) {
        const float mine = row[std::size_t(block.relevant[std::size_t(k)])];
        std::int64_t below = 0, ties = 0;
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (skip[i]) continue;
          below += row[i] < mine;
          ties += row[i] == mine;
        }
        block.below[std::size_t(k)] = below;
        block.ties[std::size_t(k)] = ties;
      }
    }
    return true;
  }
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}

 private:
  std::int32_t users_ = 0, items_ = 0;
};

TEST(TrainedItemsDevice, RanksOnTheDeviceAsFromRowsWithNeverBoughtItemsAndNewcomers) {
  const TrainingData data = reco::testing::withNewcomer(
      reco::testing::widenedCatalogue(reco::testing::checkerboard().data));
  TrainedItemsModel model(std::make_unique<HostRankingModel>());
  ASSERT_EQ(model.fit(data, nullptr, {}), Outcome::Completed);
  ASSERT_LT(model.learnedItemCount(), model.itemCount());
  ASSERT_EQ(model.coldUserCount(), std::size_t(1));
  // Test items: bought and never-bought ones, one that is also a training item, and the
  // newcomer's.
  std::vector<Triplet> held;
  for (std::int32_t u = 0; u < data.userCount; ++u) {
    held.push_back({u, (u * 5) % reco::testing::kWidenedItems, 1.0f});
    held.push_back({u, 4 * (u % 10), 1.0f});  // never bought
    if (u % 4 == 0 && data.userItems.rowSize(u) > 0)
      held.push_back({u, data.userItems.rowCols(u).front(), 1.0f});
  }
  const auto test = CsrMatrix::fromTriplets(data.userCount, data.itemCount, held);
  EvalOptions options;
  options.ks = {3, 10, 40};  // 40: past the learned items a user has left
  options.threads = 2;
  options.batchUsers = 7;
  options.ranking = EvalOptions::Ranking::Host;
  const EvalResult rows = evaluate(model, data, test, options, nullptr, {});
  options.ranking = EvalOptions::Ranking::Device;
  const EvalResult device = evaluate(model, data, test, options, nullptr, {});
  EXPECT_EQ(device.users, rows.users);
  EXPECT_EQ(device.topStart, rows.topStart);
  EXPECT_EQ(device.topItems, rows.topItems);
  EXPECT_EQ(device.metricNames, rows.metricNames);
  ASSERT_EQ(device.perUser.size(), rows.perUser.size());
  for (std::size_t i = 0; i < rows.perUser.size(); ++i) {
    if (std::isnan(rows.perUser[i]))
      EXPECT_TRUE(std::isnan(device.perUser[i])) << i;
    else
      EXPECT_CLOSE(device.perUser[i], rows.perUser[i], 1e-12) << i;
  }
}

}  // namespace
