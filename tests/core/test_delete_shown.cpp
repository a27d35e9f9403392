// A deletion deletes the object as the caller was shown it (core/storage/delete_shown.h):
// ids are reused once the highest one is deleted, so a window that listed a run before
// another process deleted it and trained another (the same id again) must not delete that
// other run, nor a dataset or split made again under the same name at another time.
#include <string>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;
using storage::Workspace;

storage::RunInfo trainPop(Workspace& ws, const storage::SplitInfo& split, const std::string& name) {
  ExperimentOptions options;
  options.model = "pop";
  options.runName = name;
  return runExperiment(ws, split, options, nullptr, {}).run;
}

/// The deletion is refused with a Workspace error that says so.
template <typename Delete>
void expectRefused(Delete&& deletion) {
  try {
    deletion();
    FAIL() << "deleted an object that is no longer as shown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Workspace);
    EXPECT_NE(std::string(e.what()).find("no longer in"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nothing was deleted"), std::string::npos) << e.what();
  }
}

class DeleteShown : public ::testing::Test {
 protected:
  void SetUp() override {
    ws_.emplace(dir_.file("shop.reco"), Workspace::OpenMode::CreateIfMissing);
    dataset_ = reco::testing::importSyntheticShop(*ws_, 200, 50, 3000, 3);
    split_ = reco::testing::createHoldoutSplit(*ws_, dataset_);
  }

  reco::testing::TempDir dir_;
  std::optional<Workspace> ws_;
  DatasetInfo dataset_;
  storage::SplitInfo split_;
};

TEST_F(DeleteShown, ARunWhoseIdWasReusedIsNotDeleted) {
  const storage::RunInfo shown = trainPop(*ws_, split_, "r-pop");
  storage::deleteRun(*ws_, storage::requireRun(*ws_, "r-pop"));  // another process deletes it
  const storage::RunInfo other = trainPop(*ws_, split_, "new");  // and trains another
  ASSERT_EQ(other.id, shown.id) << "SQLite reuses the highest id: the case this guards";
  expectRefused([&] { storage::deleteRun(*ws_, shown); });
  EXPECT_EQ(storage::requireRun(*ws_, "new").id, other.id);
  storage::deleteRun(*ws_, storage::requireRun(*ws_, "new"));  // as shown now: deleted
  EXPECT_TRUE(storage::listRuns(*ws_).empty());
}

TEST_F(DeleteShown, ARunOfTheSameNameMadeAgainLaterIsNotDeleted) {
  storage::RunInfo shown = trainPop(*ws_, split_, "pop");
  shown.startedAt -= 60;  // what the window read a minute before the run was made again
  expectRefused([&] { storage::deleteRun(*ws_, shown); });
  EXPECT_EQ(storage::listRuns(*ws_).size(), 1u);
}

TEST_F(DeleteShown, ADatasetOrSplitNoLongerAsShownIsNotDeleted) {
  DatasetInfo renamed = dataset_;
  renamed.name = "other";
  expectRefused([&] { ws_->deleteDataset(renamed); });
  DatasetInfo older = dataset_;
  older.createdAt -= 60;
  expectRefused([&] { ws_->deleteDataset(older); });
  storage::SplitInfo split = split_;
  split.createdAt -= 60;
  expectRefused([&] { storage::deleteSplit(*ws_, split); });
  EXPECT_EQ(storage::listSplits(*ws_, dataset_.id).size(), 1u);

  storage::deleteSplit(*ws_, split_);
  EXPECT_TRUE(storage::listSplits(*ws_, dataset_.id).empty());
  ws_->deleteDataset(dataset_);
  EXPECT_TRUE(ws_->datasets().empty());
}

}  // namespace
