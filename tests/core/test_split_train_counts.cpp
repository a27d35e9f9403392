// The training counts a split keeps for the activity segments: equal to the rows of the
// split as loadSplit rebuilds it, written when the split is drawn, computed and kept for a
// split drawn before they existed, refused when damaged, gone with the split.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/storage/database.h"
#include "core/storage/split_store.h"
#include "core/storage/split_train_counts.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;

std::vector<std::int32_t> rowSizes(storage::Workspace& ws, const storage::SplitInfo& split) {
  const auto loaded = storage::loadSplit(ws, split, split.options.seed);
  std::vector<std::int32_t> sizes;
  sizes.reserve(std::size_t(loaded.train->userItems.rows()));
  for (std::int32_t u = 0; u < loaded.train->userItems.rows(); ++u)
    sizes.push_back(std::int32_t(loaded.train->userItems.rowSize(u)));
  return sizes;
}

std::int64_t storedRows(storage::Workspace& ws, const storage::SplitInfo& split) {
  return ws.db()
      .queryInt("SELECT count(*) FROM split_train_counts WHERE split_id = " +
                std::to_string(split.id))
      .value();
}

/// A generated shop of 200 users with its holdout split, in a fresh workspace.
class SplitTrainCounts : public ::testing::Test {
 protected:
  reco::testing::TempDir dir_;
  std::string path_ = dir_.file("w.reco");
  storage::Workspace ws_{path_, storage::Workspace::OpenMode::CreateIfMissing};
  DatasetInfo dataset_ = reco::testing::importSyntheticShop(ws_, 200, 50, 4000, 5);
  storage::SplitInfo split_ = reco::testing::createHoldoutSplit(ws_, dataset_);
};

TEST_F(SplitTrainCounts, AreTheLoadedSplitsRowsAndAreStoredWhenTheSplitIsDrawn) {
  EXPECT_EQ(storedRows(ws_, split_), 1);
  const auto expected = rowSizes(ws_, split_);
  const auto counts = storage::splitTrainCounts(ws_, split_);
  ASSERT_EQ(counts.size(), expected.size());
  EXPECT_TRUE(counts == expected);
  std::int64_t total = 0;
  for (const auto c : counts) total += c;
  EXPECT_EQ(total, split_.trainPairs);  // validation and test pairs are not counted
}

TEST_F(SplitTrainCounts, ASplitDrawnBeforeGetsThemOnFirstUse) {
  ws_.db().exec("DELETE FROM split_train_counts");
  ASSERT_EQ(storedRows(ws_, split_), 0);
  EXPECT_TRUE(storage::splitTrainCounts(ws_, split_) == rowSizes(ws_, split_));
  EXPECT_EQ(storedRows(ws_, split_), 1);
  EXPECT_TRUE(storage::splitTrainCounts(ws_, split_) == rowSizes(ws_, split_));
}

TEST_F(SplitTrainCounts, AWorkspaceThatCannotBeWrittenNowStillGivesThem) {
  ws_.db().exec("DELETE FROM split_train_counts");
  const auto expected = rowSizes(ws_, split_);

  // Another process writes meanwhile, for longer than this one waits.
  storage::Database other(path_, storage::Database::Mode::ReadWrite);
  other.exec("BEGIN IMMEDIATE");
  ws_.db().setBusyWait([](double) { return false; });
  EXPECT_TRUE(storage::splitTrainCounts(ws_, split_) == expected);
  other.exec("ROLLBACK");
  EXPECT_EQ(storedRows(ws_, split_), 0);  // not kept: the next comparison tries again

  EXPECT_TRUE(storage::splitTrainCounts(ws_, split_) == expected);
  EXPECT_EQ(storedRows(ws_, split_), 1);
}

TEST_F(SplitTrainCounts, DamagedCountsAreRefusedAndTheSplitTakesThemAlong) {
  ws_.db().exec("UPDATE split_train_counts SET counts = zeroblob(12)");
  try {
    storage::splitTrainCounts(ws_, split_);
    FAIL() << "damaged counts were read";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Workspace);
    EXPECT_NE(std::string(error.what()).find("cover 3 users, expected the dataset's 200"),
              std::string::npos)
        << error.what();
  }
  ws_.db().exec("DELETE FROM splits WHERE id = " + std::to_string(split_.id));
  EXPECT_EQ(storedRows(ws_, split_), 0);
}

}  // namespace
