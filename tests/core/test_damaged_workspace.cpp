// A damaged workspace (a changed index, a split pair of no part) is refused with a
// Workspace error that says it is damaged, by every reader that sizes something by a stored
// index, never read past or sized to a wild index (core/storage/dataset_shape.h).
#include <fstream>
#include <functional>
#include <new>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/dataset_import.h"
#include "core/storage/item_counts.h"
#include "core/storage/item_store.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "tests/support/gtest_support.h"

namespace {

using namespace reco;
using storage::Workspace;

class DamagedWorkspace : public ::testing::Test {
 protected:
  void SetUp() override {
    ws_.emplace(dir_.file("shop.reco"), Workspace::OpenMode::CreateIfMissing);
    dataset_ =
        storage::importFile(*ws_, std::string(RECO_TEST_DATA) + "/ml100k", {}, nullptr, {}).dataset;
    SplitOptions options;
    options.test = 0.3;
    split_ = storage::createSplit(*ws_, dataset_, "s", options, nullptr, {}).split;
  }

  /// Every reader that sizes by a stored index, each expected to refuse.
  void expectEveryReaderRefuses(const std::string& damage) {
    ws_->db().exec("PRAGMA foreign_keys = OFF");  // a damaged file knows no constraints
    ws_->db().exec(damage);
    const std::vector<std::pair<const char*, std::function<void()>>> readers = {
        {"loadSplit", [&] { storage::loadSplit(*ws_, split_, 1); }},
        {"summarizeUsers", [&] { storage::summarizeUsers(*ws_, dataset_.id, nullptr, {}); }},
        {"summarizeItems", [&] { storage::summarizeItems(*ws_, dataset_.id, nullptr, {}); }},
        {"itemInteractionCounts", [&] { storage::itemInteractionCounts(*ws_, dataset_.id, {}); }},
        {"loadItemProfile", [&] { storage::loadItemProfile(*ws_, dataset_.id, 0, split_, 5); }},
        {"userExternalIds", [&] { storage::userExternalIds(*ws_, dataset_.id); }},
        {"itemExternalIds", [&] { storage::itemExternalIds(*ws_, dataset_.id); }},
    };
    int refused = 0;
    for (const auto& [name, read] : readers) {
      try {
        read();
      } catch (const Error& e) {
        ASSERT_EQ(e.kind(), ErrorKind::Workspace) << name << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos)
            << name << ": " << e.what();
        ++refused;
      }
    }
    // Not every reader reads every table (itemInteractionCounts reads no users): at least
    // one refuses, and none reads past a buffer or sizes by the damaged index (ASan lane).
    EXPECT_GE(refused, 1) << damage;
  }

  reco::testing::TempDir dir_;
  std::optional<Workspace> ws_;
  DatasetInfo dataset_;
  storage::SplitInfo split_;
};

TEST_F(DamagedWorkspace, ReadsBeforeTheDamageWork) {
  const auto loaded = storage::loadSplit(*ws_, split_, 1);
  EXPECT_EQ(storage::userExternalIds(*ws_, dataset_.id).size(),
            std::size_t(loaded.train->userCount));
  EXPECT_EQ(storage::itemInteractionCounts(*ws_, dataset_.id, {}).size(),
            std::size_t(loaded.train->itemCount));
}

TEST_F(DamagedWorkspace, ATopNListWithoutItsScores) {
  ExperimentOptions options;
  options.model = "pop";
  const auto run = runExperiment(*ws_, split_, options, nullptr, {}).run;
  const auto users = storage::runEvalUsers(*ws_, run.id);
  ASSERT_FALSE(users.empty());
  const auto list = storage::runRecommendations(*ws_, run.id, users.front());
  ASSERT_TRUE(list.has_value());
  ASSERT_FALSE(list->items.empty());
  const std::int32_t listed = list->items.front();
  ASSERT_FALSE(storage::runItemAudience(*ws_, run.id, listed, {})->members.empty());
  ws_->db().exec("UPDATE run_recommendations SET scores = x''");
  // The user's list, and the audience of an item in it (the Items panel), both refuse.
  const std::vector<std::pair<const char*, std::function<void()>>> readers = {
      {"runRecommendations", [&] { storage::runRecommendations(*ws_, run.id, users.front()); }},
      {"runItemAudience", [&] { storage::runItemAudience(*ws_, run.id, listed, {}); }},
  };
  for (const auto& [name, read] : readers) {
    try {
      read();
      ADD_FAILURE() << name << " read a list without scores as if whole";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Workspace) << name;
      EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    }
  }
}

TEST(DatasetShape, GapsLeftByTheImportsFiltersAreNotDamage) {
  // A k-core drops user "b" (index 0, met first) and item "z": indices with gaps, as every
  // filtered import leaves them. Every reader must take them.
  reco::testing::TempDir dir;
  const std::string csv = dir.file("ratings.csv");
  std::ofstream(csv) << "user,item,rating\nb,z,5\na,x,4\na,y,3\nc,x,2\nc,y,5\n";
  Workspace ws(dir.file("shop.reco"), Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions options;
  options.minUserInteractions = 2;
  const DatasetInfo dataset = storage::importFile(ws, csv, options, nullptr, {}).dataset;
  ASSERT_EQ(dataset.users, 2);
  SplitOptions splitOptions;
  splitOptions.test = 0.5;
  const auto split = storage::createSplit(ws, dataset, "s", splitOptions, nullptr, {}).split;
  const auto loaded = storage::loadSplit(ws, split, 1);
  EXPECT_EQ(loaded.train->userCount, 3) << "the dropped user's index is a gap, not a shift";
  EXPECT_NO_THROW(storage::summarizeUsers(ws, dataset.id, nullptr, {}));
  EXPECT_NO_THROW(storage::summarizeItems(ws, dataset.id, nullptr, {}));
  EXPECT_NO_THROW(storage::itemInteractionCounts(ws, dataset.id, {}));
  EXPECT_NO_THROW(storage::loadItemProfile(ws, dataset.id, 1, split, 5));
  EXPECT_EQ(storage::userExternalIds(ws, dataset.id).size(), 3u);
  ExperimentOptions experiment;
  experiment.model = "itemknn";
  EXPECT_EQ(runExperiment(ws, split, experiment, nullptr, {}).outcome, Outcome::Completed);
}

TEST_F(DamagedWorkspace, AUserIndexFarOutOfRange) {
  // Two billion: sized by it, a vector would take 16 GB.
  expectEveryReaderRefuses("UPDATE users SET idx = 2000000000 WHERE idx = 0");
  EXPECT_THROW(storage::loadSplit(*ws_, split_, 1), Error);
  EXPECT_THROW(storage::userExternalIds(*ws_, dataset_.id), Error);
}

TEST_F(DamagedWorkspace, AnItemIndexFarOutOfRange) {
  expectEveryReaderRefuses("UPDATE items SET idx = 2000000000 WHERE idx = 1");
  EXPECT_THROW(storage::itemInteractionCounts(*ws_, dataset_.id, {}), Error);
  EXPECT_THROW(storage::summarizeItems(*ws_, dataset_.id, nullptr, {}), Error);
  EXPECT_THROW(storage::loadItemProfile(*ws_, dataset_.id, 0, split_, 5), Error);
}

TEST_F(DamagedWorkspace, AnInteractionOfAnItemThatIsNotThere) {
  expectEveryReaderRefuses("UPDATE interactions SET item_idx = 99999 WHERE user_idx = 0");
  EXPECT_THROW(storage::summarizeItems(*ws_, dataset_.id, nullptr, {}), Error);
  EXPECT_THROW(storage::loadItemProfile(*ws_, dataset_.id, 0, split_, 5), Error);
}

TEST_F(DamagedWorkspace, ASplitPairOfNoPart) {
  ws_->db().exec("PRAGMA ignore_check_constraints = ON");  // nor its CHECKs
  ws_->db().exec("UPDATE split_pairs SET part = 7 WHERE user_idx = 0");
  try {
    storage::loadSplit(*ws_, split_, 1);
    FAIL() << "a pair of part 7 was loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Workspace);
    EXPECT_NE(std::string(e.what()).find("has part 7, expected 0, 1 or 2"), std::string::npos)
        << e.what();
  }
}

TEST_F(DamagedWorkspace, AModelCutShortOrOverwritten) {
  // Every classic model's stored state, cut at several places and with bytes overwritten:
  // readModelFile refuses with a Model error (or reads a model that scores in range), never
  // crashes or allocates what a damaged size field claims.
  for (const char* model :
       {"pop", "itemknn", "userknn", "puresvd", "als", "bpr", "ease", "content"}) {
    SCOPED_TRACE(model);
    ExperimentOptions options;
    options.model = model;
    options.runName = model;
    const auto run = runExperiment(*ws_, split_, options, nullptr, {}).run;
    const std::string bytes = storage::runModel(*ws_, run.id);
    ASSERT_NO_THROW(readModelFile(bytes, defaultRegistry()));
    int refused = 0;
    for (const double cut : {0.0, 0.1, 0.5, 0.9, 0.99}) {
      try {
        readModelFile(bytes.substr(0, std::size_t(double(bytes.size()) * cut)), defaultRegistry());
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Model) << cut << ": " << e.what();
        ++refused;
      } catch (const std::bad_alloc&) {
        ADD_FAILURE() << "cut at " << cut << ": a damaged size field was allocated";
      }
    }
    EXPECT_EQ(refused, 5) << "a model cut short was read as if whole";
    std::uint64_t state = 7;
    for (int copy = 0; copy < 30; ++copy) {
      std::string damaged = bytes;
      for (int flip = 0; flip < 4; ++flip) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        damaged[(state >> 33) % damaged.size()] = char(state >> 25);
      }
      try {
        const LoadedModel loaded = readModelFile(damaged, defaultRegistry());
        if (loaded.model->userCount() == 0 || loaded.model->itemCount() == 0) continue;
        std::vector<float> scores(loaded.model->itemCount());
        const UserIndex first{0};
        loaded.model->score(std::span(&first, 1), scores);
      } catch (const Error& e) {
        // Config: a damaged header names a model or an option the registry does not know.
        EXPECT_TRUE(e.kind() == ErrorKind::Model || e.kind() == ErrorKind::Config) << e.what();
      } catch (const std::bad_alloc&) {
        ADD_FAILURE() << "copy " << copy << ": a damaged size field was allocated";
      }
    }
  }
}

}  // namespace
