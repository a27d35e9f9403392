// What the deep models do with an edited history (issue 14, what-if): scoreHistory.
//  - sasrec runs a forward pass over the history: a user's own training sequence gives
//    score(user) (to float rounding), also where it is longer than max_length; the order
//    counts.
//  - hybrid with cf_weight = 0 (its content part alone) is a forward pass too: a user's own
//    training items give score(user), in any order and with repeats.
//  - mlp, neumf and hybrid fold a user vector in by gradient steps: a user's own history
//    ranks the user's held-out items above the other unseen items, the same bit for bit on
//    every call and from four threads at once, and the model's own scores do not move;
//    explainHistory() gives the scores scoreHistory() does.
// The fixture is the checkerboard (even users chose even items). The contract suite's
// check of scoreHistory runs over every deep model in test_deep_models.cpp.

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/common/error.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "tests/support/checkerboard.h"
#include "tests/support/gtest_support.h"

namespace {

using reco::ItemIndex;
using reco::testing::checkerboard;
using reco::testing::identical;
using reco::testing::kCheckerboardItems;
using reco::testing::kCheckerboardUsers;

reco::Registry& registry() {
  static reco::Registry r;
  return r;
}

// Fixture-sized options (as test_deep_models.cpp): 240 training pairs. sasrec reads only the
// last 4 of each user's 6 training items, so that the cut to max_length is exercised.
const std::map<std::string, reco::OptionValues> kOptions = {
    {"mlp",
     {{"factors", "8"},
      {"layers", "16-8"},
      {"epochs", "30"},
      {"batch_size", "32"},
      {"learning_rate", "0.01"},
      {"negatives", "8"}}},
    {"neumf",
     {{"factors", "8"},
      {"mlp_layers", "16-8"},
      {"epochs", "30"},
      {"batch_size", "32"},
      {"learning_rate", "0.01"}}},
    {"hybrid",
     {{"factors", "8"},
      {"content_factors", "8"},
      {"epochs", "30"},
      {"batch_size", "32"},
      {"learning_rate", "0.01"},
      {"negatives", "8"}}},
    {"sasrec",
     {{"factors", "16"},
      {"max_length", "4"},
      {"heads", "2"},
      {"epochs", "10"},
      {"batch_size", "5"},
      {"learning_rate", "0.01"},
      {"negatives", "4"}}},
};

std::unique_ptr<reco::Recommender> fitted(const std::string& name,
                                          const reco::OptionValues& extra = {}) {
  reco::OptionValues values = kOptions.at(name);
  for (const auto& [key, value] : extra) values[key] = value;
  auto model = registry().create(name, values, reco::testing::cpuCompute());
  if (model->fit(checkerboard().data, nullptr, {}) != reco::Outcome::Completed)
    throw std::runtime_error(name + ": fit did not complete");
  return model;
}

std::vector<float> scoreUser(const reco::Recommender& model, std::int32_t user) {
  std::vector<float> row(model.itemCount());
  const reco::UserIndex one[] = {{user}};
  model.score(one, row);
  return row;
}

std::vector<float> scoreHistory(const reco::Recommender& model,
                                const std::vector<ItemIndex>& history) {
  std::vector<float> row(model.itemCount());
  model.scoreHistory(history, row);
  return row;
}

// The user's training items in time order (what sasrec reads).
std::vector<ItemIndex> sequenceOf(std::int32_t user) {
  std::vector<ItemIndex> items;
  for (const auto i : checkerboard().data.userSequence.rowCols(user)) items.push_back({i});
  return items;
}

// The AUC of the user's held-out items against the items neither trained nor held out,
// over every user, each history scored by scoreHistory (ties count half).
double heldOutAuc(const reco::Recommender& model) {
  const auto& board = checkerboard();
  double wins = 0, pairs = 0;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    const auto& train = board.train[std::size_t(u)];
    const auto& held = board.heldOut[std::size_t(u)];
    const std::vector<float> row = scoreHistory(model, train);
    for (std::int32_t j = 0; j < kCheckerboardItems; ++j) {
      const ItemIndex item{j};
      if (std::find(train.begin(), train.end(), item) != train.end() ||
          std::find(held.begin(), held.end(), item) != held.end())
        continue;
      for (const ItemIndex h : held) {
        const float a = row[std::size_t(h.value)], b = row[std::size_t(j)];
        wins += a > b ? 1.0 : a == b ? 0.5 : 0.0;
        pairs += 1;
      }
    }
  }
  return wins / pairs;
}

// The explanation over a history gives the score its row has, for the top listed items,
// shared out over history items (the same units as the score, the 5 largest shares kept), by
// weight.
void expectExplanationsOfTheRow(const reco::Recommender& m, const std::vector<ItemIndex>& history) {
  const std::vector<float> scored = scoreHistory(m, history);
  for (const reco::ScoredItem& top : reco::selectTopN(scored, history, 3)) {
    const reco::Explanation e = m.explainHistory(history, top.item);
    EXPECT_CLOSE(e.score, double(top.score), 1e-6) << "item " << top.item.value;
    EXPECT_FALSE(e.reason.empty());
    EXPECT_LE(e.because.size(), std::size_t(5));
    double shared = 0;
    for (std::size_t c = 0; c < e.because.size(); ++c) {
      EXPECT_TRUE(std::find(history.begin(), history.end(), e.because[c].item) != history.end());
      EXPECT_GE(e.because[c].weight * e.score, 0.0) << "a share against the score's sign";
      if (c > 0) {
        EXPECT_GE(e.because[c - 1].weight, e.because[c].weight);
      }
      shared += e.because[c].weight;
    }
    EXPECT_LE(std::abs(shared), std::abs(e.score) * (1 + 1e-5)) << "item " << top.item.value;
    if (!e.because.empty() && e.because.size() < 5) {
      EXPECT_CLOSE(shared, e.score, 1e-5) << "item " << top.item.value;
    }
  }
}

class DeepFoldIn : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::getenv("RECO_TEST_CHILD")) unsetenv("RECO_TORCH_MODULE");
    reco::loadTorchModule(registry());
  }
  void SetUp() override {
    const auto& status = reco::loadTorchModule(registry());
    ASSERT_TRUE(status.loaded) << status.error;
  }
};

class GradientFoldIn : public DeepFoldIn, public ::testing::WithParamInterface<std::string> {};

TEST_F(DeepFoldIn, SasrecForwardPassOverTheOwnSequenceIsTheStoredScore) {
  const auto m = fitted("sasrec");
  ASSERT_TRUE(m->capabilities() & reco::kCanFoldIn);
  EXPECT_EQ(m->foldInMethod(), "forward pass");
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    const std::vector<ItemIndex> sequence = sequenceOf(u);
    ASSERT_GT(sequence.size(), std::size_t(4)) << "the cut to max_length is not exercised";
    const std::vector<float> stored = scoreUser(*m, u), folded = scoreHistory(*m, sequence);
    for (std::size_t i = 0; i < stored.size(); ++i)
      ASSERT_CLOSE(folded[i], stored[i], 1e-5) << "user " << u << ", item " << i;
  }
  // Only the last max_length items count; their order does.
  std::vector<ItemIndex> longer = sequenceOf(3);
  longer.insert(longer.begin(), {{1}, {7}});
  EXPECT_TRUE(identical(scoreHistory(*m, longer), scoreHistory(*m, sequenceOf(3))));
  std::vector<ItemIndex> reversed = sequenceOf(3);
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_FALSE(identical(scoreHistory(*m, reversed), scoreHistory(*m, sequenceOf(3))));
  // An empty history: a defined row.
  for (const float s : scoreHistory(*m, {})) EXPECT_TRUE(std::isfinite(s));
  expectExplanationsOfTheRow(*m, sequenceOf(6));
}

TEST_F(DeepFoldIn, HybridContentPartIsAForwardPassOverTheItems) {
  const auto m = fitted("hybrid", {{"cf_weight", "0"}});
  ASSERT_TRUE(m->capabilities() & reco::kCanFoldIn);
  EXPECT_EQ(m->foldInMethod(), "forward pass");
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    const std::vector<float> stored = scoreUser(*m, u);
    const std::vector<float> folded = scoreHistory(*m, sequenceOf(u));
    for (std::size_t i = 0; i < stored.size(); ++i)
      ASSERT_CLOSE(folded[i], stored[i], 1e-5) << "user " << u << ", item " << i;
  }
  // A set: another order and a repeat give the same row.
  std::vector<ItemIndex> shuffled = sequenceOf(5);
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.push_back(shuffled.front());
  EXPECT_TRUE(identical(scoreHistory(*m, shuffled), scoreHistory(*m, sequenceOf(5))));
  // No history, no content signal: every item scores 0 (what-if's fallback ranks them).
  for (const float s : scoreHistory(*m, {})) EXPECT_EQ(s, 0.0f);
}

TEST_P(GradientFoldIn, OwnHistoryRanksTheHeldOutItemsDeterministically) {
  const auto m = fitted(GetParam());
  ASSERT_TRUE(m->capabilities() & reco::kCanFoldIn);
  EXPECT_EQ(m->foldInMethod(),
            GetParam() == "hybrid" ? "forward pass + gradient fold-in" : "gradient fold-in");
  const std::vector<float> before = reco::testing::scoreAll(*m);
  const double auc = heldOutAuc(*m);
  EXPECT_GT(auc, 0.6) << "held-out items against the other unseen items";
  // The same history, the same row: on a second call and from four threads at once.
  std::vector<std::vector<float>> serial;
  serial.reserve(kCheckerboardUsers);
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u)
    serial.push_back(scoreHistory(*m, checkerboard().train[std::size_t(u)]));
  for (std::int32_t u = 0; u < kCheckerboardUsers; u += 7)
    EXPECT_TRUE(
        identical(scoreHistory(*m, checkerboard().train[std::size_t(u)]), serial[std::size_t(u)]))
        << "user " << u;
  std::vector<std::vector<std::vector<float>>> parallel(4);
  std::vector<std::thread> threads;
  threads.reserve(parallel.size());
  for (auto& rows : parallel)
    threads.emplace_back([&m, &rows] {
      for (std::int32_t u = 0; u < kCheckerboardUsers; ++u)
        rows.push_back(scoreHistory(*m, checkerboard().train[std::size_t(u)]));
    });
  for (auto& thread : threads) thread.join();
  for (const auto& rows : parallel)
    for (std::int32_t u = 0; u < kCheckerboardUsers; ++u)
      EXPECT_TRUE(identical(rows[std::size_t(u)], serial[std::size_t(u)])) << "user " << u;
  expectExplanationsOfTheRow(*m, checkerboard().train[4]);
  // The item side and every weight stay frozen: the stored scores did not move.
  EXPECT_TRUE(identical(reco::testing::scoreAll(*m), before));
  // An empty history keeps the start (the mean user): a finite row, the same each time.
  const std::vector<float> empty = scoreHistory(*m, {});
  for (const float s : empty) EXPECT_TRUE(std::isfinite(s));
  EXPECT_TRUE(identical(scoreHistory(*m, {}), empty));
  // Wrong sizes and items out of range are errors, not writes.
  std::vector<float> wrongSize(3);
  EXPECT_THROW(m->scoreHistory(checkerboard().train[0], wrongSize), reco::Error);
  std::vector<float> row(m->itemCount());
  const std::vector<ItemIndex> outside = {{kCheckerboardItems}};
  EXPECT_THROW(m->scoreHistory(outside, row), reco::Error);
}

INSTANTIATE_TEST_SUITE_P(Deep, GradientFoldIn, ::testing::Values("mlp", "neumf", "hybrid"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
