// A catalogue with products nobody bought, through the whole run (issue 18, "items that can be
// learned"): a collaborative model's stored lists hold only items with a training pair, its
// protocol says how many it learned, its model file reloads to the same scores; a content
// model ranks every item and says so.

#include <set>
#include <sstream>
#include <string>

#include "core/models/registry.h"
#include "core/models/trained_items_model.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

TEST(LearnedItemsRuns, CollaborativeRunsRankOnlyBoughtItemsAndSaySo) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("catalogue.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  // 1500 catalogue items, 2000 events: most products are never bought.
  const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 1500, 2000, 5);
  const storage::SplitInfo split = reco::testing::createHoldoutSplit(ws, dataset);
  const auto loaded = storage::loadSplit(ws, split, 42);
  std::set<std::int32_t> bought;
  for (const auto i : loaded.train->userItems.colIndex()) bought.insert(i);
  ASSERT_LT(bought.size(), std::size_t(loaded.train->itemCount) / 2);

  for (const char* model : {"ease", "bpr", "popcontent"}) {
    ExperimentOptions options;
    options.model = model;
    options.compute.threads = 2;
    const storage::RunInfo run = runExperiment(ws, split, options, nullptr, {}).run;
    const bool collaborative = std::string(model) != "popcontent";
    const std::string expected =
        collaborative ? "\"items\":{\"catalogue\":" + std::to_string(loaded.train->itemCount) +
                            ",\"ranked\":\"bought in training\",\"learned\":" +
                            std::to_string(bought.size()) + "}"
                      : "\"items\":{\"catalogue\":" + std::to_string(loaded.train->itemCount) +
                            ",\"ranked\":\"all\"}";
    EXPECT_NE(run.protocolJson.find(expected), std::string::npos)
        << model << ": " << run.protocolJson;
    if (!collaborative) continue;
    int lists = 0;
    for (const auto user : storage::runEvalUsers(ws, run.id)) {
      const auto list = storage::runRecommendations(ws, run.id, user);
      ASSERT_TRUE(list.has_value());
      ++lists;
      // A user has fewer unseen bought items than the list is long only when the list is
      // short: every listed item was bought as long as bought ones remain.
      const std::size_t seen = loaded.train->userItems.rowCols(user).size();
      for (std::size_t r = 0; r < list->items.size() && r + seen < bought.size(); ++r)
        EXPECT_TRUE(bought.count(list->items[r])) << model << " user " << user << " rank " << r;
    }
    EXPECT_GT(lists, 0);
    const LoadedModel reloaded = readModelFile(storage::runModel(ws, run.id), defaultRegistry());
    const auto& scoped = dynamic_cast<const TrainedItemsModel&>(*reloaded.model);
    EXPECT_EQ(scoped.learnedItemCount(), bought.size());
    EXPECT_EQ(scoped.itemCount(), std::size_t(loaded.train->itemCount));
  }
}

}  // namespace
