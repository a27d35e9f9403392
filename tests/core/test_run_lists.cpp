// A run's list for a user (core/training/run_lists.h), the one `reco recommend` prints and
// the Users panel shows: the model's top-n without the training items, each item with its
// catalogue data, its held-out test mark (checked against the stored split pairs) and the
// explanation's reason in words; short and empty lists; an unknown user; the reason's
// "{item}" resolved to a title, an external id or "an item"; an item's nearest items and
// who is shown it.
#include <algorithm>
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
#include "core/training/stored_run.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

/// One workspace for the suite: a synthetic shop, its split "holdout" and two trained runs,
/// itemknn (whose reasons name items) and pop; each test opens the workspace again.
class RunLists : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    ASSERT_TRUE(std::filesystem::is_directory(dir_->path()));
    path_ = dir_->file("lists.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 120, 60, 3000, 11);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"itemknn", "pop"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      runs_.push_back(runExperiment(ws, split_, options, nullptr, {}).run);
    }
  }
  static void TearDownTestSuite() {
    runs_.clear();
    dir_.reset();
  }

  static std::set<std::int32_t> storedPart(storage::Workspace& ws, const storage::SplitInfo& split,
                                           std::int32_t user, int part) {
    std::set<std::int32_t> items;
    storage::Statement st(
        ws.db(),
        "SELECT item_idx FROM split_pairs WHERE split_id = ?1 AND user_idx = ?2 AND part = ?3");
    st.bind(1, split.id).bind(2, std::int64_t(user)).bind(3, std::int64_t(part));
    while (st.step()) items.insert(std::int32_t(st.columnInt(0)));
    return items;
  }

  static LoadedModel load(storage::Workspace& ws, const storage::RunInfo& run) {
    return readModelFile(storage::runModel(ws, run.id), defaultRegistry());
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo split_;
  static inline std::vector<storage::RunInfo> runs_;  // itemknn (reasons name items), pop
};

TEST_F(RunLists, ListIsTheModelsTopNWithItsDataMarksAndReasons) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  int inTest = 0, named = 0;
  for (const auto& run : runs_) {
    const LoadedModel model = load(ws, run);
    for (const std::int32_t user : storage::runEvalUsers(ws, run.id)) {
      const RunList list = runListForUser(ws, run, model, split_, user, 10);
      EXPECT_EQ(list.userId, model.header.userIds[std::size_t(user)]);
      const auto parts = storage::loadUserSplitParts(ws, split_, user);
      EXPECT_EQ(list.trainingItems, parts.train.size());
      const auto heldOut = storedPart(ws, split_, user, 2);
      std::set<std::int32_t> train;
      for (const auto item : parts.train) train.insert(item.value);
      const auto top = model.model->recommend(UserIndex{user}, parts.train, 10);
      EXPECT_EQ(list.items.size(), top.size());
      EXPECT_EQ(list.items.size(), std::size_t(10));
      for (std::size_t r = 0; r < top.size(); ++r) {
        const RunListItem& item = list.items[r];
        EXPECT_EQ(item.meta.item, top[r].item.value);
        EXPECT_CLOSE(item.score, top[r].score, 1e-5);
        EXPECT_FALSE(train.contains(item.meta.item)) << "a training item is listed";
        EXPECT_EQ(item.inTest, heldOut.contains(item.meta.item));
        // The catalogue's data: the synthetic shop names, files and prices every item.
        EXPECT_EQ(item.meta.externalId, model.header.itemIds[std::size_t(item.meta.item)]);
        EXPECT_TRUE(!item.meta.title.empty() && !item.meta.category.empty() &&
                    item.meta.price.has_value());
        const Explanation e = model.model->explain(UserIndex{user}, top[r].item, parts.train);
        EXPECT_EQ(item.reason, resolveReason(ws, run.datasetId, e));
        EXPECT_FALSE(item.reason.empty());
        EXPECT_TRUE(item.reason.find("{item}") == std::string::npos) << item.reason;
        inTest += item.inTest;
        if (e.reason.find("{item}") != std::string::npos && !e.because.empty()) {
          const auto because =
              storage::loadItemMeta(ws, run.datasetId, std::vector{e.because.front().item.value});
          EXPECT_TRUE(item.reason.find(because.front().title) != std::string::npos) << item.reason;
          ++named;
        }
      }
    }
  }
  EXPECT_GT(inTest, 0) << "some listed item should be a held-out test item";
  EXPECT_GT(named, 0) << "itemknn's reasons should name a history item";
}

TEST_F(RunLists, ShortAndEmptyLists) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto& run = runs_.front();
  const LoadedModel model = load(ws, run);
  const std::int32_t user = storage::runEvalUsers(ws, run.id).front();
  const RunList none = runListForUser(ws, run, model, split_, user, 0);
  EXPECT_TRUE(none.items.empty());
  EXPECT_EQ(none.userId, model.header.userIds[std::size_t(user)]);
  const auto parts = storage::loadUserSplitParts(ws, split_, user);
  EXPECT_EQ(none.trainingItems, parts.train.size());
  // More than there are: every item the user has not trained on, once.
  std::set<std::int32_t> train;
  for (const auto item : parts.train) train.insert(item.value);
  const RunList all = runListForUser(ws, run, model, split_, user, 100000);
  EXPECT_EQ(all.items.size(), model.model->itemCount() - train.size());
  std::set<std::int32_t> listed;
  for (const auto& item : all.items)
    EXPECT_TRUE(listed.insert(item.meta.item).second && !train.contains(item.meta.item));
  EXPECT_EQ(storedPart(ws, split_, user, 2).size(),
            std::size_t(std::count_if(all.items.begin(), all.items.end(),
                                      [](const auto& i) { return i.inTest; })));
}

TEST_F(RunLists, AUserOutsideTheModelIsAConfigError) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto& run = runs_.back();
  const LoadedModel model = load(ws, run);
  for (const std::int32_t user : {-1, std::int32_t(model.header.userIds.size())}) {
    try {
      runListForUser(ws, run, model, split_, user, 10);
      FAIL() << "expected a Config error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config);
      EXPECT_EQ(std::string(e.what()),
                "the user is not in the data run '" + run.name + "' was trained on");
    }
  }
}

// It blanks a title for a while and puts it back, so that the order of the tests does not
// matter (the first test wants every title).
TEST_F(RunLists, ReasonNamesTheFirstContributingItem) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const DatasetId dataset = runs_.front().datasetId;
  const auto meta = storage::loadItemMeta(ws, dataset, std::vector<std::int32_t>{3, 4});
  Explanation e;
  e.reason = "plain words";
  e.because = {{ItemIndex{3}, 1.0}};
  EXPECT_EQ(resolveReason(ws, dataset, e), std::string("plain words"));
  e.reason = "like {item} and {item}";  // only the first is replaced
  EXPECT_EQ(resolveReason(ws, dataset, e), "like " + meta[0].title + " and {item}");
  e.because = {{ItemIndex{4}, 0.7}, {ItemIndex{3}, 0.3}};
  EXPECT_EQ(resolveReason(ws, dataset, e), "like " + meta[1].title + " and {item}");
  e.because.clear();
  EXPECT_EQ(resolveReason(ws, dataset, e), std::string("like an item and {item}"));
  ws.db().exec("UPDATE items SET title = '' WHERE dataset_id = " + std::to_string(dataset) +
               " AND idx = 4");
  e.because = {{ItemIndex{4}, 1.0}};
  EXPECT_EQ(resolveReason(ws, dataset, e), "like " + meta[1].externalId + " and {item}");
  storage::Statement restore(ws.db(),
                             "UPDATE items SET title = ?1 WHERE dataset_id = ?2 AND idx = 4");
  restore.bind(1, meta[1].title).bind(2, dataset);
  restore.step();
}

// An item's nearest items by a run: the model's own list, in its order, each with the
// item's catalogue data; a model without similar items and an unknown item are Config errors.
TEST_F(RunLists, SimilarItemsAreTheModelsWithTheirData) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo& itemknn = runs_[0];
  const LoadedModel model = load(ws, itemknn);
  int listed = 0;
  for (std::int32_t item = 0; item < 20; ++item) {
    const auto list = similarItemsOf(ws, itemknn, model, item, 5);
    const auto expected = model.model->similarItems(ItemIndex{item}, 5);
    ASSERT_EQ(list.size(), expected.size()) << "item " << item;
    std::vector<std::int32_t> indices;
    indices.reserve(expected.size());
    for (const auto& scored : expected) indices.push_back(scored.item.value);
    const auto meta = storage::loadItemMeta(ws, itemknn.datasetId, indices);
    for (std::size_t r = 0; r < list.size(); ++r) {
      EXPECT_EQ(list[r].meta.item, expected[r].item.value);
      EXPECT_NE(list[r].meta.item, item);
      EXPECT_EQ(list[r].similarity, expected[r].score);
      EXPECT_EQ(list[r].meta.externalId, model.header.itemIds[std::size_t(expected[r].item.value)]);
      EXPECT_EQ(list[r].meta.title, meta[r].title);
      EXPECT_EQ(list[r].meta.category, meta[r].category);
      EXPECT_FALSE(list[r].meta.externalId.empty());
      if (r > 0) {
        EXPECT_GE(list[r - 1].similarity, list[r].similarity);
      }
    }
    listed += int(list.size());
  }
  EXPECT_GT(listed, 0);

  const LoadedModel pop = load(ws, runs_[1]);
  try {
    similarItemsOf(ws, runs_[1], pop, 0, 5);
    if (!(pop.model->capabilities() & kCanSimilarItems))
      ADD_FAILURE() << "pop listed similar items";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("no notion of similar items"), std::string::npos)
        << e.what();
  }
  try {
    similarItemsOf(ws, itemknn, model, std::int32_t(model.header.itemIds.size()), 5);
    ADD_FAILURE() << "an item outside the model was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("is not in the data run"), std::string::npos) << e.what();
  }
}

// Who is shown an item: exactly the evaluated users whose stored list holds it, at the rank
// and score stored there; a stop request ends the pass without an answer.
TEST_F(RunLists, ItemAudienceIsTheReverseOfTheStoredLists) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  for (const auto& run : runs_) {
    const auto users = storage::runEvalUsers(ws, run.id);
    ASSERT_FALSE(users.empty());
    std::map<std::int32_t, std::vector<storage::AudienceMember>> expected;  // item -> members
    for (const std::int32_t user : users) {
      const auto list = storage::runRecommendations(ws, run.id, user);
      ASSERT_TRUE(list.has_value());
      for (std::size_t r = 0; r < list->items.size(); ++r)
        expected[list->items[r]].push_back({user, std::int32_t(r + 1), list->scores[r]});
    }
    ASSERT_FALSE(expected.empty());
    for (std::int32_t item = 0; item < 60; ++item) {
      const auto audience = storage::runItemAudience(ws, run.id, item, {});
      ASSERT_TRUE(audience.has_value());
      EXPECT_EQ(audience->listedUsers, std::int64_t(users.size()));
      const auto& want = expected[item];
      ASSERT_EQ(audience->members.size(), want.size()) << run.name << " item " << item;
      for (std::size_t m = 0; m < want.size(); ++m) {
        EXPECT_EQ(audience->members[m].user, want[m].user);
        EXPECT_EQ(audience->members[m].rank, want[m].rank);
        EXPECT_EQ(audience->members[m].score, want[m].score);
      }
    }
  }
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(storage::runItemAudience(ws, runs_[0].id, 0, stop.get_token()).has_value());
}

}  // namespace

// Every command that looks inside a run opens it through openStoredRun: the run, its split and
// its model; a run that did not finish is refused with its status and error.
TEST_F(RunLists, AStoredRunOpensWithItsSplitAndModelAndAFailedOneIsRefused) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const StoredRun stored = openStoredRun(ws, runs_[0].name);
  EXPECT_EQ(stored.run.id, runs_[0].id);
  EXPECT_EQ(stored.split.id, split_.id);
  EXPECT_EQ(stored.model.header.model, "itemknn");
  EXPECT_EQ(stored.model.model->modelName(), "itemknn");

  storage::RunRecord failed;
  failed.info = runs_[1];
  failed.info.name = storage::uniqueRunName(ws, "broken");
  failed.info.status = "failed";
  failed.info.error = "NaN loss at epoch 3";
  storage::saveRun(ws, failed);
  try {
    openStoredRun(ws, failed.info.name);
    ADD_FAILURE() << "a failed run opened";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Config);
    EXPECT_EQ(std::string(error.what()),
              "run '" + failed.info.name + "' failed: NaN loss at epoch 3");
  }
  storage::deleteRun(ws, storage::requireRun(ws, failed.info.name));
}
