// What-if (core/training/what_if.h): a stored run's list for an edited history. Fold-in of a
// user's own training history reproduces the stored scores (exactly for itemknn, ease and
// pop; within the solver's tolerance for als and puresvd); explainHistory() gives the score
// scoreHistory() gives; an empty history gets the fallback's list; a model without fold-in
// says so; previous ranks and the items that left; unknown items and users; the popularity
// fallback's window and category.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "core/training/what_if.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

const char* const kModels[] = {"itemknn", "ease", "pop", "als", "puresvd", "content", "bpr"};

/// One workspace for the suite: a synthetic shop, its split "holdout" and one run per model
/// of kModels; each test opens the workspace again.
class WhatIf : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("whatif.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 80, 4000, 17);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : kModels) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      // ALS close to convergence, so that its stored user vectors are near the exact solve.
      if (std::string(model) == "als") options.options = {{"iterations", "60"}, {"cg_steps", "16"}};
      runs_[model] = runExperiment(ws, split_, options, nullptr, {}).run;
    }
  }
  static void TearDownTestSuite() {
    runs_.clear();
    dir_.reset();
  }

  static LoadedModel load(storage::Workspace& ws, const std::string& model) {
    return readModelFile(storage::runModel(ws, runs_.at(model).id), defaultRegistry());
  }
  static std::vector<std::int32_t> indices(const std::vector<ItemIndex>& items) {
    std::vector<std::int32_t> out;
    out.reserve(items.size());
    for (const ItemIndex item : items) out.push_back(item.value);
    return out;
  }
  /// Users with at least `minItems` training items, in index order.
  static std::vector<std::int32_t> someUsers(storage::Workspace& ws, std::size_t minItems,
                                             std::size_t count) {
    std::vector<std::int32_t> users;
    for (std::int32_t u = 0; u < 150 && users.size() < count; ++u)
      if (storage::loadUserSplitParts(ws, split_, u).train.size() >= minItems) users.push_back(u);
    return users;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo split_;
  static inline std::map<std::string, storage::RunInfo> runs_;
};

TEST_F(WhatIf, FoldInOfTheStoredHistoryReproducesTheStoredScores) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto users = someUsers(ws, 3, 12);
  ASSERT_GE(users.size(), 10u);
  for (const char* name : {"itemknn", "ease", "pop", "als", "puresvd"}) {
    SCOPED_TRACE(name);
    const LoadedModel model = load(ws, name);
    const std::size_t items = model.model->itemCount();
    std::vector<float> stored(items), folded(items);
    double worst = 0;
    for (const std::int32_t u : users) {
      const auto parts = storage::loadUserSplitParts(ws, split_, u);
      const UserIndex one[] = {UserIndex{u}};
      model.model->score(one, stored);
      model.model->scoreHistory(parts.train, folded);
      float scale = 0;
      for (const float s : stored) scale = std::max(scale, std::abs(s));
      ASSERT_GT(scale, 0.0f);
      for (std::size_t i = 0; i < items; ++i)
        worst = std::max(worst, double(std::abs(stored[i] - folded[i]) / scale));
    }
    if (std::string(name) == "als") {
      // The stored user vectors come from the last user step (conjugate-gradient steps, one
      // item step before the final item factors); fold-in solves exactly against the final
      // ones. At 60 iterations the two agree to well under 2% of the largest score.
      EXPECT_LT(worst, 2e-2) << "largest difference relative to the largest score";
    } else if (std::string(name) == "puresvd") {
      // The same x_u V, summed in another order: float rounding only.
      EXPECT_LT(worst, 1e-5) << "largest difference relative to the largest score";
    } else {
      EXPECT_EQ(worst, 0.0) << "fold-in must give the stored scores bit for bit";
    }
  }
}

TEST_F(WhatIf, ExplainHistoryScoresAsScoreHistory) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto users = someUsers(ws, 4, 3);
  for (const char* name : {"itemknn", "ease", "pop", "als", "puresvd", "content"}) {
    SCOPED_TRACE(name);
    const LoadedModel model = load(ws, name);
    std::vector<float> row(model.model->itemCount());
    for (const std::int32_t u : users) {
      auto history = storage::loadUserSplitParts(ws, split_, u).train;
      history.pop_back();  // an edited history, not the training user's
      model.model->scoreHistory(history, row);
      for (std::int32_t item = 0; item < std::int32_t(row.size()); item += 7) {
        const Explanation e = model.model->explainHistory(history, ItemIndex{item});
        EXPECT_NEAR(e.score, row[std::size_t(item)],
                    1e-4 * std::max(1.0, std::abs(double(row[std::size_t(item)]))))
            << "item " << item;
        for (const auto& c : e.because)
          EXPECT_TRUE(std::find(history.begin(), history.end(), c.item) != history.end())
              << "a contribution from item " << c.item.value << ", which is not in the history";
        EXPECT_FALSE(e.reason.empty());
      }
    }
  }
}

TEST_F(WhatIf, UneditedHistoryGivesTheStoredListWithNoMoves) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const std::int32_t user = someUsers(ws, 5, 1).front();
  const auto parts = storage::loadUserSplitParts(ws, split_, user);
  for (const char* name : kModels) {
    SCOPED_TRACE(name);
    const LoadedModel model = load(ws, name);
    const auto& run = runs_.at(name);
    const RunList stored = runListForUser(ws, run, model, split_, user, 10);
    WhatIfRequest request;
    request.user = user;
    request.history = indices(parts.train);
    std::reverse(request.history.begin(), request.history.end());  // order does not matter
    const WhatIfList list = whatIfList(ws, run, model, split_, request, {});
    ASSERT_TRUE(list.rescored) << list.note;
    ASSERT_EQ(list.items.size(), stored.items.size());
    for (std::size_t r = 0; r < list.items.size(); ++r) {
      EXPECT_EQ(list.items[r].meta.item, stored.items[r].meta.item) << "rank " << r + 1;
      EXPECT_EQ(list.items[r].meta.title, stored.items[r].meta.title);
      EXPECT_EQ(list.items[r].inTest, stored.items[r].inTest);
      EXPECT_EQ(list.items[r].previousRank, int(r + 1));
      EXPECT_FALSE(list.items[r].fallback);
    }
    EXPECT_TRUE(list.left.empty());
  }
}

TEST_F(WhatIf, RemovingAnItemReportsRankMovesAndTheItemsThatLeft) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, "itemknn");
  const auto& run = runs_.at("itemknn");
  int changed = 0, tested = 0;
  for (const std::int32_t user : someUsers(ws, 4, 10)) {
    const auto parts = storage::loadUserSplitParts(ws, split_, user);
    const RunList before = runListForUser(ws, run, model, split_, user, 10);
    // Remove the item that explains the top item (so that the list must change).
    const Explanation top =
        model.model->explain(UserIndex{user}, ItemIndex{before.items.at(0).meta.item}, parts.train);
    ASSERT_FALSE(top.because.empty());
    const std::int32_t removed = top.because.front().item.value;
    WhatIfRequest request;
    request.user = user;
    for (const ItemIndex item : parts.train)
      if (item.value != removed) request.history.push_back(item.value);
    const WhatIfList list = whatIfList(ws, run, model, split_, request, {});
    ASSERT_TRUE(list.rescored);
    EXPECT_EQ(list.method, "fold-in");
    ++tested;

    // The expected list: the fold-in of the edited history, without it.
    std::vector<float> row(model.model->itemCount());
    std::vector<ItemIndex> edited;
    for (const std::int32_t item : request.history) edited.push_back(ItemIndex{item});
    model.model->scoreHistory(edited, row);
    const auto expected = selectTopN(row, edited, 10);
    ASSERT_EQ(list.items.size(), expected.size());
    std::map<std::int32_t, int> oldRank;
    for (std::size_t r = 0; r < before.items.size(); ++r)
      oldRank[before.items[r].meta.item] = int(r + 1);
    std::set<std::int32_t> now;
    for (std::size_t r = 0; r < expected.size(); ++r) {
      const WhatIfItem& item = list.items[r];
      EXPECT_EQ(item.meta.item, expected[r].item.value);
      EXPECT_FLOAT_EQ(item.score, expected[r].score);
      const auto it = oldRank.find(item.meta.item);
      EXPECT_EQ(item.previousRank, it == oldRank.end() ? 0 : it->second);
      for (const std::int32_t h : request.history) EXPECT_NE(item.meta.item, h);
      now.insert(item.meta.item);
    }
    // Left: the old list's items that are gone, by old rank, with their old ranks.
    std::vector<std::int32_t> expectedLeft;
    for (const auto& item : before.items)
      if (!now.count(item.meta.item)) expectedLeft.push_back(item.meta.item);
    ASSERT_EQ(list.left.size(), expectedLeft.size());
    for (std::size_t k = 0; k < expectedLeft.size(); ++k) {
      EXPECT_EQ(list.left[k].meta.item, expectedLeft[k]);
      EXPECT_EQ(list.left[k].previousRank, oldRank.at(expectedLeft[k]));
      EXPECT_FALSE(list.left[k].reason.empty());
    }
    if (!list.left.empty() || std::any_of(list.items.begin(), list.items.end(), [&](const auto& i) {
          return i.previousRank != int(&i - list.items.data()) + 1;
        }))
      ++changed;
    // Reasons are over the edited history: never the removed item.
    for (const WhatIfItem& item : list.items) {
      const Explanation e = model.model->explainHistory(edited, ItemIndex{item.meta.item});
      for (const auto& c : e.because) EXPECT_NE(c.item.value, removed);
    }
  }
  EXPECT_EQ(tested, 10);
  EXPECT_GT(changed, 0) << "removing the top item's strongest reason changed no list";
}

TEST_F(WhatIf, AnEmptyHistoryGetsTheFallbacksListWhereTheModelHasNothingToSay) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel pop = load(ws, "pop");
  const WhatIfFallback fallback = popularityFallback(ws, split_, pop.model->itemCount());
  ASSERT_EQ(fallback.scores.size(), pop.model->itemCount());
  // The fallback counts what pop fitted on the split counts.
  std::vector<float> popRow(pop.model->itemCount());
  pop.model->scoreHistory({}, popRow);
  EXPECT_EQ(fallback.scores, popRow);
  const auto popTop = selectTopN(popRow, {}, 10);

  WhatIfRequest visitor;  // a new visitor: no user, no history
  const WhatIfList knn =
      whatIfList(ws, runs_.at("itemknn"), load(ws, "itemknn"), split_, visitor, fallback);
  ASSERT_TRUE(knn.rescored);
  ASSERT_EQ(knn.items.size(), 10u);
  for (std::size_t r = 0; r < 10; ++r) {
    EXPECT_EQ(knn.items[r].meta.item, popTop[r].item.value) << "rank " << r + 1;
    EXPECT_TRUE(knn.items[r].fallback);
    EXPECT_EQ(knn.items[r].reason, "fallback: popular");
    EXPECT_EQ(knn.items[r].previousRank, int(r + 1));  // a new visitor's list is the unedited one
    EXPECT_FALSE(knn.items[r].inTest);
  }
  EXPECT_NE(knn.note.find("10 of 10"), std::string::npos) << knn.note;

  // pop has something to say about an empty history: its own list, not marked.
  const WhatIfList own = whatIfList(ws, runs_.at("pop"), pop, split_, visitor, fallback);
  ASSERT_EQ(own.items.size(), 10u);
  for (std::size_t r = 0; r < 10; ++r) {
    EXPECT_EQ(own.items[r].meta.item, popTop[r].item.value);
    EXPECT_FALSE(own.items[r].fallback);
    EXPECT_NE(own.items[r].reason.find("popular"), std::string::npos);
  }

  // Without a fallback itemknn's empty history ranks nothing: every score is 0, none marked.
  const WhatIfList bare =
      whatIfList(ws, runs_.at("itemknn"), load(ws, "itemknn"), split_, visitor, {});
  for (const WhatIfItem& item : bare.items) {
    EXPECT_EQ(item.score, 0.0f);
    EXPECT_FALSE(item.fallback);
  }
}

TEST_F(WhatIf, AModelWithoutFoldInSaysSoAndFallsBackForAnEmptyHistory) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel bpr = load(ws, "bpr");
  ASSERT_FALSE(bpr.model->capabilities() & kCanFoldIn);
  const auto& run = runs_.at("bpr");
  const std::int32_t user = someUsers(ws, 4, 1).front();
  const auto parts = storage::loadUserSplitParts(ws, split_, user);
  const WhatIfFallback fallback = popularityFallback(ws, split_, bpr.model->itemCount());

  WhatIfRequest edited;
  edited.user = user;
  edited.history = indices(parts.train);
  edited.history.pop_back();
  const WhatIfList cannot = whatIfList(ws, run, bpr, split_, edited, fallback);
  EXPECT_FALSE(cannot.rescored);
  EXPECT_TRUE(cannot.items.empty());
  EXPECT_NE(cannot.note.find("bpr"), std::string::npos) << cannot.note;
  EXPECT_NE(cannot.note.find("cannot score a new history"), std::string::npos) << cannot.note;

  WhatIfRequest visitor;
  const WhatIfList cold = whatIfList(ws, run, bpr, split_, visitor, fallback);
  ASSERT_TRUE(cold.rescored);
  EXPECT_EQ(cold.method, "fallback");
  EXPECT_NE(cold.note.find("fallback"), std::string::npos) << cold.note;
  const auto popTop = selectTopN(fallback.scores, {}, 10);
  ASSERT_EQ(cold.items.size(), 10u);
  for (std::size_t r = 0; r < 10; ++r) {
    EXPECT_EQ(cold.items[r].meta.item, popTop[r].item.value);
    EXPECT_TRUE(cold.items[r].fallback);
  }
  // The user's history emptied: the fallback list, compared with the stored one.
  WhatIfRequest emptied;
  emptied.user = user;
  const WhatIfList gone = whatIfList(ws, run, bpr, split_, emptied, fallback);
  ASSERT_TRUE(gone.rescored);
  EXPECT_EQ(gone.method, "fallback");
  const RunList stored = runListForUser(ws, run, bpr, split_, user, 10);
  std::size_t accounted = gone.left.size();
  for (const WhatIfItem& item : gone.items) accounted += item.previousRank > 0 ? 1 : 0;
  EXPECT_EQ(accounted, stored.items.size());
  // No fallback: nothing to show for an empty history either.
  const WhatIfList none = whatIfList(ws, run, bpr, split_, visitor, {});
  EXPECT_FALSE(none.rescored);
  EXPECT_NE(none.note.find("no fallback"), std::string::npos) << none.note;
}

TEST_F(WhatIf, AddedItemsAreExcludedAndTheirReasonsNameTheHistory) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, "ease");
  const auto& run = runs_.at("ease");
  WhatIfRequest request;  // a visitor who chose the top two items of another user's list
  const std::int32_t user = someUsers(ws, 4, 1).front();
  const RunList other = runListForUser(ws, run, model, split_, user, 2);
  request.history = {other.items[0].meta.item, other.items[1].meta.item};
  const WhatIfList list = whatIfList(ws, run, model, split_, request, {});
  ASSERT_TRUE(list.rescored);
  ASSERT_FALSE(list.items.empty());
  const std::set<std::string> titles{other.items[0].meta.title, other.items[1].meta.title};
  int named = 0;
  for (const WhatIfItem& item : list.items) {
    EXPECT_NE(item.meta.item, request.history[0]);
    EXPECT_NE(item.meta.item, request.history[1]);
    EXPECT_FALSE(item.meta.externalId.empty());
    for (const auto& title : titles)
      if (!title.empty() && item.reason.find(title) != std::string::npos) ++named;
  }
  EXPECT_GT(named, 0) << "no reason names a history item";
}

TEST_F(WhatIf, UnknownItemsAndUsersAreConfigErrors) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, "itemknn");
  WhatIfRequest request;
  request.history = {1, 2, 5000};
  try {
    whatIfList(ws, runs_.at("itemknn"), model, split_, request, {});
    FAIL() << "an unknown item was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("5000"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("position 3"), std::string::npos) << e.what();
  }
  request.history = {1};
  request.user = 100000;
  EXPECT_THROW(whatIfList(ws, runs_.at("itemknn"), model, split_, request, {}), Error);
  std::stop_source stop;
  stop.request_stop();
  request.user.reset();
  const WhatIfList stopped =
      whatIfList(ws, runs_.at("itemknn"), model, split_, request, {}, stop.get_token());
  EXPECT_FALSE(stopped.rescored);
  EXPECT_TRUE(stopped.items.empty());
}

TEST_F(WhatIf, PopularityFallbackByCategoryAndWindow) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, "pop");
  const std::size_t items = model.model->itemCount();
  const WhatIfFallback all = popularityFallback(ws, split_, items);
  std::vector<std::int32_t> every(items);
  for (std::size_t i = 0; i < items; ++i) every[i] = std::int32_t(i);
  const auto meta = storage::loadItemMeta(ws, split_.datasetId, every);
  std::string category;
  for (const auto& m : meta)
    if (!m.category.empty()) category = m.category;
  ASSERT_FALSE(category.empty()) << "the shop's items have categories";
  PopularityFallbackOptions options;
  options.category = category;
  const WhatIfFallback inCategory = popularityFallback(ws, split_, items, options);
  EXPECT_EQ(inCategory.label, "popular in " + category);
  for (std::size_t i = 0; i < items; ++i)
    EXPECT_EQ(inCategory.scores[i], meta[i].category == category ? all.scores[i] : 0.0f);
  options.category = "no such category";
  EXPECT_THROW(popularityFallback(ws, split_, items, options), Error);
  options.category.clear();
  options.windowDays = 30;
  const WhatIfFallback recent = popularityFallback(ws, split_, items, options);
  double total = 0, recentTotal = 0;
  for (std::size_t i = 0; i < items; ++i) {
    EXPECT_LE(recent.scores[i], all.scores[i]);
    total += all.scores[i];
    recentTotal += recent.scores[i];
  }
  EXPECT_LT(recentTotal, total) << "a 30-day window counted every pair";
  EXPECT_GT(recentTotal, 0);
}

}  // namespace
