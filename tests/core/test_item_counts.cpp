// The one popularity measure of issue 13 (core/storage/item_counts.h): the counts stored with
// the items at import equal a direct count of the imported rows, and the most popular items
// come most first with ties by index.

#include <algorithm>
#include <cstdint>
#include <stop_token>
#include <vector>

#include "core/storage/database.h"
#include "core/storage/item_counts.h"
#include "core/storage/user_store.h"
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
  const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 50, 20, 500, 3);
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

// loadItemMeta answers a long request (an item map's) with one ordered pass over the items
// instead of a lookup each: the answer must be the same, in the requested order, with
// repeats and unknown indices kept.
TEST(ItemCounts, ALongItemMetaRequestEqualsLookupsOneByOne) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("meta.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 300, 5000, 20000, 9);
  std::vector<std::int32_t> request;
  for (std::int32_t i = 6000; i-- > 0;) request.push_back(i * 7 % 6000);  // unknown past 4999
  request.push_back(17);
  request.push_back(17);
  request.push_back(-1);
  const auto scanned = storage::loadItemMeta(ws, dataset.id, request);
  ASSERT_EQ(scanned.size(), request.size());
  std::size_t known = 0;
  for (std::size_t begin = 0; begin < request.size(); begin += 1000) {
    const std::size_t end = std::min(request.size(), begin + 1000);  // short: lookups
    const std::vector<std::int32_t> part(request.begin() + std::ptrdiff_t(begin),
                                         request.begin() + std::ptrdiff_t(end));
    const auto looked = storage::loadItemMeta(ws, dataset.id, part);
    for (std::size_t i = 0; i < part.size(); ++i) {
      const auto& a = scanned[begin + i];
      const auto& b = looked[i];
      ASSERT_EQ(a.item, b.item);
      EXPECT_EQ(a.externalId, b.externalId) << a.item;
      EXPECT_EQ(a.title, b.title) << a.item;
      EXPECT_EQ(a.category, b.category) << a.item;
      EXPECT_EQ(a.price, b.price) << a.item;
      if (!a.externalId.empty()) ++known;
    }
  }
  EXPECT_GT(known, 1000u);  // the comparison is not between two empty answers
  EXPECT_TRUE(scanned.back().externalId.empty());
}
