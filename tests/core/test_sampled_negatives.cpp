// Frozen negatives of sampled evaluation (core/data/sampled_negatives.h, storage::
// splitNegatives): drawn once per split and count, stored, read back identically by later
// runs, never one of the user's pairs in any part, and labelled sampled in the run.

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "core/data/sampled_negatives.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;

/// One workspace for the suite: a generated shop and its split "tv" (15% validation).
/// The tests run in order: the second stores negatives and at its end deletes the split.
class SampledNegatives : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("sampled.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 80, 5000, 3);
    SplitOptions options;
    options.valid = 0.15;
    split_ = storage::createSplit(ws, dataset, "tv", options, nullptr, {}).split;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static std::int64_t storedRows(storage::Workspace& ws) {
    return ws.db()
        .queryInt("SELECT count(*) FROM split_negatives WHERE split_id = " +
                  std::to_string(split_.id))
        .value_or(-1);
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo split_;
};

TEST_F(SampledNegatives, AvoidEveryPartOfTheSplit) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto loaded = storage::loadSplit(ws, split_, 42);
  const FrozenNegatives frozen = drawNegatives(*loaded.train, loaded.test, 20, 42, 2);
  ASSERT_EQ(frozen.users(), loaded.test.rows());
  for (std::int32_t u = 0; u < frozen.users(); ++u) {
    SCOPED_TRACE("user " + std::to_string(u));
    std::set<std::int32_t> pairs;
    for (auto i : loaded.train->userItems.rowCols(u)) pairs.insert(i);
    for (auto i : loaded.train->validation.rowCols(u)) pairs.insert(i);
    std::size_t relevant = 0;
    for (auto i : loaded.test.rowCols(u)) relevant += pairs.insert(i).second ? 1 : 0;
    const auto list = frozen.forUser(u);
    const std::size_t perItem =
        std::min<std::size_t>(20, std::size_t(loaded.train->itemCount) - pairs.size());
    ASSERT_EQ(list.size(), relevant * perItem);
    for (std::size_t j = 0; j < relevant; ++j) {
      std::set<std::int32_t> distinct;
      for (std::size_t k = 0; k < perItem; ++k) {
        const auto item = list[j * perItem + k];
        EXPECT_FALSE(pairs.contains(item)) << "a negative is one of the user's pairs: " << item;
        EXPECT_TRUE(distinct.insert(item).second) << "a repeated negative: " << item;
      }
    }
  }
  // The thread count does not change the draw.
  EXPECT_EQ(drawNegatives(*loaded.train, loaded.test, 20, 42, 1).items, frozen.items);
}

TEST_F(SampledNegatives, StoredOnceAndSharedByRuns) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ASSERT_EQ(storedRows(ws), 0);
  ExperimentOptions options;
  options.model = "pop";
  options.eval.ks = {10};
  options.eval.sampledNegatives = 30;
  const auto first = runExperiment(ws, split_, options, nullptr, {});
  const std::int64_t rows = storedRows(ws);
  EXPECT_GT(rows, 0);
  options.model = "itemknn";
  runExperiment(ws, split_, options, nullptr, {});
  EXPECT_EQ(storedRows(ws), rows);  // the second run read them back

  const auto loaded = storage::loadSplit(ws, split_, 42);
  const FrozenNegatives stored = storage::splitNegatives(ws, split_, loaded, 30);
  const FrozenNegatives drawn =
      drawNegatives(*loaded.train, loaded.test, 30, split_.options.seed, 0);
  EXPECT_EQ(stored.items, drawn.items);
  EXPECT_EQ(stored.start, drawn.start);
  // A run fitted on train+valid ranks against the same negatives.
  const auto merged = storage::loadSplit(ws, split_, 42, true);
  EXPECT_EQ(storage::splitNegatives(ws, split_, merged, 30).items, stored.items);

  bool sawSampled = false;
  for (const auto& m : storage::runMetrics(ws, first.run.id)) {
    EXPECT_EQ(m.sampled, m.metric.rfind("sampled_", 0) == 0) << m.metric;
    sawSampled = sawSampled || m.sampled;
  }
  EXPECT_TRUE(sawSampled);
  // Deleting the split's dataset takes the negatives with it (ON DELETE CASCADE).
  ws.db().exec("DELETE FROM splits WHERE id = " + std::to_string(split_.id));
  EXPECT_EQ(storedRows(ws), 0);
}

}  // namespace
