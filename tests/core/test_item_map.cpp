// The item map's one home (core/training/item_map.h): an als run maps every model item from
// its item vectors (the same coordinates as a direct PCA of them), with the dataset's ids,
// titles, categories (most items first) and interaction counts; an itemknn run maps the
// projected rows of its similarity matrix; pop has no map and says so; the neighbour method
// repeats itself; a stop request ends the work; the method names parse.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/database.h"
#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/training/experiment.h"
#include "core/training/item_map.h"
#include "core/training/model_file.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

/// One workspace for the suite: a synthetic shop of 60 items, its split "holdout" and three
/// runs: als (item vectors), itemknn (item similarities) and pop (neither).
class ItemMapTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    ASSERT_TRUE(std::filesystem::is_directory(dir_->path()));
    path_ = dir_->file("map.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    dataset_ = reco::testing::importSyntheticShop(ws, 150, 60, 3000, 23);
    split_ = reco::testing::createHoldoutSplit(ws, dataset_);
    for (const char* model : {"als", "itemknn", "pop"}) {
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

  static LoadedModel load(storage::Workspace& ws, const storage::RunInfo& run) {
    return readModelFile(storage::runModel(ws, run.id), defaultRegistry());
  }

  static std::int64_t interactionsOf(storage::Workspace& ws, std::int32_t item) {
    storage::Statement st(
        ws.db(), "SELECT COUNT(*) FROM interactions WHERE dataset_id = ?1 AND item_idx = ?2");
    st.bind(1, dataset_.id).bind(2, std::int64_t(item));
    return st.step() ? st.columnInt(0) : -1;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline DatasetInfo dataset_;
  static inline storage::SplitInfo split_;
  static inline std::vector<storage::RunInfo> runs_;  // als, itemknn, pop
};

}  // namespace

TEST_F(ItemMapTest, AlsMapsEveryItemFromItsVectorsWithTheDatasetsData) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_[0]);
  const auto map = computeItemMap(ws, runs_[0], model, split_, {}, nullptr, {});
  ASSERT_TRUE(map.has_value());
  const std::size_t n = model.model->itemCount();
  ASSERT_EQ(map->size(), n);
  ASSERT_EQ(map->layout.x.size(), n);
  ASSERT_EQ(map->externalIds.size(), n);
  ASSERT_EQ(map->titles.size(), n);
  ASSERT_EQ(map->categoryCode.size(), n);
  ASSERT_EQ(map->popularity.size(), n);

  // The coordinates are PCA's of the item vectors, in item order.
  std::vector<float> vectors;
  const std::size_t dim = model.model->itemEmbeddings(vectors);
  EXPECT_EQ(map->source, "item vectors (" + std::to_string(dim) + " dimensions)");
  const auto direct = similarity::principalComponents(vectors, n, dim, nullptr, {});
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(map->layout.x, direct->x);
  EXPECT_EQ(map->layout.y, direct->y);
  EXPECT_GT(map->layout.explained[0], 0.0);

  const auto meta = storage::loadItemMeta(ws, runs_[0].datasetId, map->items);
  std::vector<std::size_t> perCategory(map->categories.size(), 0);
  for (std::size_t p = 0; p < n; ++p) {
    EXPECT_EQ(map->items[p], std::int32_t(p));
    EXPECT_EQ(map->externalIds[p], model.header.itemIds[p]);
    EXPECT_EQ(map->externalIds[p], meta[p].externalId);
    EXPECT_EQ(map->titles[p], meta[p].title);
    const std::int32_t code = map->categoryCode[p];
    if (meta[p].category.empty()) {
      EXPECT_EQ(code, -1);
    } else {
      ASSERT_GE(code, 0);
      ASSERT_LT(std::size_t(code), map->categories.size());
      EXPECT_EQ(map->categories[std::size_t(code)], meta[p].category);
      ++perCategory[std::size_t(code)];
    }
    EXPECT_EQ(map->popularity[p], interactionsOf(ws, map->items[p])) << "item " << p;
  }
  ASSERT_GT(map->categories.size(), 1u);
  for (std::size_t c = 0; c < perCategory.size(); ++c) {
    EXPECT_GT(perCategory[c], 0u) << map->categories[c];
    if (c > 0) {
      EXPECT_GE(perCategory[c - 1], perCategory[c]) << map->categories[c];
    }
  }
}

TEST_F(ItemMapTest, ItemKnnMapsTheProjectedRowsOfItsSimilarities) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_[1]);
  ItemMapOptions options;
  options.neighbour.threads = 1;
  const auto one = computeItemMap(ws, runs_[1], model, split_, options, nullptr, {});
  options.neighbour.threads = 3;
  const auto three = computeItemMap(ws, runs_[1], model, split_, options, nullptr, {});
  ASSERT_TRUE(one && three);
  ASSERT_EQ(one->size(), model.model->itemCount());
  EXPECT_EQ(
      one->source,
      "rows of the itemknn similarity matrix (60 items), randomly projected to 64 dimensions");
  EXPECT_EQ(one->layout.x, three->layout.x);
  EXPECT_EQ(one->layout.y, three->layout.y);
  EXPECT_GT(one->layout.explained[0], 0.0);
  const auto [low, high] = std::minmax_element(one->layout.x.begin(), one->layout.x.end());
  EXPECT_LT(*low, *high);
}

TEST_F(ItemMapTest, NeighbourMethodRepeatsItselfForASeed) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_[0]);
  ItemMapOptions options;
  options.method = ItemMapMethod::Neighbour;
  options.neighbour.epochs = 50;
  const auto first = computeItemMap(ws, runs_[0], model, split_, options, nullptr, {});
  const auto again = computeItemMap(ws, runs_[0], model, split_, options, nullptr, {});
  ASSERT_TRUE(first && again);
  ASSERT_EQ(first->size(), model.model->itemCount());
  EXPECT_EQ(first->layout.x, again->layout.x);
  EXPECT_EQ(first->layout.y, again->layout.y);
  EXPECT_EQ(first->layout.explained[0], 0.0);
}

TEST_F(ItemMapTest, PopHasNoMapAndSaysWhy) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_[2]);
  try {
    computeItemMap(ws, runs_[2], model, split_, {}, nullptr, {});
    ADD_FAILURE() << "pop got a map";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("model 'pop' has no item vectors or item similarities"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ItemMapTest, StopRequestEndsTheWork) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  std::stop_source stopped;
  stopped.request_stop();
  for (std::size_t r = 0; r < 2; ++r) {
    const LoadedModel model = load(ws, runs_[r]);
    EXPECT_FALSE(computeItemMap(ws, runs_[r], model, split_, {}, nullptr, stopped.get_token()))
        << runs_[r].model;
  }
}

TEST(ItemMapMethodNames, ParseAndRefuse) {
  EXPECT_EQ(parseItemMapMethod("pca"), ItemMapMethod::Pca);
  for (const char* name : {"neighbour", "neighbor", "umap"})
    EXPECT_EQ(parseItemMapMethod(name), ItemMapMethod::Neighbour) << name;
  try {
    parseItemMapMethod("tsne");
    ADD_FAILURE() << "tsne was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("pca or neighbour"), std::string::npos) << e.what();
  }
}

namespace {

// A fitted model of `items` items that only declares capabilities: the refusals below come
// before any vector or similarity is read.
class CapabilitiesOnly : public Recommender {
 public:
  CapabilitiesOnly(std::size_t items, unsigned capabilities)
      : items_(items), capabilities_(capabilities) {}
  std::string_view modelName() const override { return "fake"; }
  unsigned capabilities() const override { return capabilities_; }
  Outcome fit(const TrainingData&, TrainObserver*, std::stop_token) override {
    return Outcome::Completed;
  }
  bool isFitted() const override { return true; }
  std::size_t userCount() const override { return 0; }
  std::size_t itemCount() const override { return items_; }
  void score(std::span<const UserIndex>, std::span<float>) const override {}
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}

 private:
  std::size_t items_;
  unsigned capabilities_;
};

}  // namespace

TEST(ItemMapLimits, RefusesMoreItemsThanTheMethodTakes) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("large.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  const std::size_t items = similarity::kMaxNeighbourLayoutRows + 1;
  const DatasetInfo dataset =
      reco::testing::importSyntheticShop(ws, 200, std::int64_t(items), 2000, 5);
  storage::RunInfo run;
  run.name = "large";
  run.model = "fake";
  run.datasetId = dataset.id;
  const storage::SplitInfo split;  // the run's (id 0)
  const auto messageOf = [&](unsigned capabilities, ItemMapMethod method) {
    LoadedModel model;
    model.header.itemIds = storage::itemExternalIds(ws, dataset.id);
    EXPECT_EQ(model.header.itemIds.size(), items);
    model.model = std::make_unique<CapabilitiesOnly>(items, capabilities);
    ItemMapOptions options;
    options.method = method;
    try {
      computeItemMap(ws, run, model, split, options, nullptr, {});
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config) << e.what();
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string neighbour = messageOf(kHasItemEmbeddings, ItemMapMethod::Neighbour);
  EXPECT_NE(neighbour.find("at most 50,000 items"), std::string::npos) << neighbour;
  EXPECT_NE(neighbour.find("use the PCA projection"), std::string::npos) << neighbour;
  const std::string rows = messageOf(kCanSimilarItems, ItemMapMethod::Pca);
  EXPECT_NE(rows.find("model 'fake' has no item vectors"), std::string::npos) << rows;
  EXPECT_NE(rows.find("at most 20,000 items"), std::string::npos) << rows;
}
