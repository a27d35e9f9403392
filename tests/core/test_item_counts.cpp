// The one popularity measure of issue 13 (core/storage/item_counts.h): interaction counts per
// item index equal a direct count of the imported rows, and the most popular items come
// most first with ties by index.

#include <algorithm>
#include <cstdint>
#include <stop_token>
#include <vector>

#include "core/storage/database.h"
#include "core/storage/item_counts.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

TEST(ItemCounts, EqualADirectCountOfTheRows) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("counts.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 80, 40, 1500, 5);
  const auto counts = storage::itemInteractionCounts(ws, dataset.id);

  std::vector<std::int64_t> direct;
  storage::Statement st(ws.db(), "SELECT item_idx FROM interactions WHERE dataset_id = ?1");
  st.bind(1, dataset.id);
  while (st.step()) {
    const auto item = std::size_t(st.columnInt(0));
    if (item >= direct.size()) direct.resize(item + 1, 0);
    ++direct[item];
  }
  direct.resize(counts.size(), 0);
  EXPECT_EQ(counts, direct);
  std::int64_t total = 0;
  for (const auto c : counts) total += c;
  EXPECT_EQ(total, dataset.interactions);
}

TEST(ItemCounts, AStopRequestedBeforeTheScanGivesNothing) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("stop.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  // More than one polling interval (65,536 rows) so that the scan checks the token.
  const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 500, 200, 70000, 3);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_TRUE(storage::itemInteractionCounts(ws, dataset.id, stop.get_token()).empty());
}

TEST(ItemCounts, MostPopularFirstTiesByIndexAndNeverAnUnusedItem) {
  const std::vector<std::int64_t> counts = {3, 0, 5, 3, 1, 0};
  EXPECT_EQ(storage::mostPopularItems(counts, 3), (std::vector<std::int32_t>{2, 0, 3}));
  EXPECT_EQ(storage::mostPopularItems(counts, 10), (std::vector<std::int32_t>{2, 0, 3, 4}));
  EXPECT_TRUE(storage::mostPopularItems(counts, 0).empty());
  EXPECT_TRUE(storage::mostPopularItems({}, 5).empty());
}
