// The similarity heatmap's numbers (core/training/similarity_matrix.h): each value equals a
// direct computation from the model (the cosine of two als item vectors, the itemknn weight
// similarItems reports and 0 outside the kept neighbours, EASE's B entry), the selections
// resolve as documented, the category order gives bands, the cluster order groups a planted
// block structure and its dendrogram refers to display rows, user-user values are the cosine
// of training histories or of user vectors, a stop gives no matrix, and the CSV's shape.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/models/ease_model.h"
#include "core/models/registry.h"
#include "core/models/trained_items_model.h"
#include "core/storage/dataset_import.h"
#include "core/storage/item_counts.h"
#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "core/training/similarity_matrix.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

constexpr int kBlocks = 3, kBlockItems = 8, kBlockUsers = 20;

std::string blockItemId(int block, int item) {
  return "b" + std::to_string(block) + "-" + std::to_string(item);
}

// A dataset whose users choose only within one of kBlocks item blocks: items of a block
// share users, items of two blocks none.
DatasetInfo importBlocks(storage::Workspace& ws) {
  io::ImportOptions options;
  options.name = "blocks";
  return storage::importRecords(
             ws, "synthetic", "memory", options,
             [](io::RecordSink& sink) {
               sink.begin(io::Feedback::Binary);
               std::size_t line = 0;
               for (int b = 0; b < kBlocks; ++b)
                 for (int u = 0; u < kBlockUsers; ++u) {
                   // Appended piece by piece: GCC 12 warns (-Wrestrict) on "u" + to_string(...).
                   std::string user = "u";
                   user += std::to_string(b);
                   user += '-';
                   user += std::to_string(u);
                   for (int j = 0; j < 5; ++j) {
                     const std::string item = blockItemId(b, (u * 3 + j) % kBlockItems);
                     sink.interaction({user, item, io::kNoTime, "", 1.0, ++line});
                   }
                 }
               return Outcome::Completed;
             },
             nullptr, {})
      .dataset;
}

class SimilarityMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("similarity.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo shop = reco::testing::importSyntheticShop(ws, 120, 60, 3000, 11);
    split_ = reco::testing::createHoldoutSplit(ws, shop);
    const std::vector<std::pair<std::string, OptionValues>> models = {
        {"itemknn", {{"k", "5"}}}, {"ease", {}}, {"als", {}}, {"pop", {}}};
    for (const auto& [model, values] : models) {
      ExperimentOptions options;
      options.model = model;
      options.options = values;
      options.compute.threads = 2;
      runs_[model] = runExperiment(ws, split_, options, nullptr, {}).run;
    }
    const DatasetInfo blocks = importBlocks(ws);
    SplitOptions split;
    split.test = 0.2;
    blockSplit_ = storage::createSplit(ws, blocks, "holdout", split, nullptr, {}).split;
    ExperimentOptions options;
    options.runName = "blocks-itemknn";
    options.model = "itemknn";
    blockRun_ = runExperiment(ws, blockSplit_, options, nullptr, {}).run;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static LoadedModel load(storage::Workspace& ws, const storage::RunInfo& run) {
    return readModelFile(storage::runModel(ws, run.id), defaultRegistry());
  }

  /// The item-item matrix of `run` for the selection text, in `order`; throws when stopped.
  static SimilarityMatrix compute(storage::Workspace& ws, const storage::RunInfo& run,
                                  const LoadedModel& model, const std::string& selection,
                                  SimilarityOrder order = SimilarityOrder::Listed,
                                  const storage::SplitInfo& split = split_) {
    SimilarityMatrixOptions options;
    options.selection = parseSimilaritySelection(selection, false);
    options.order = order;
    auto matrix = computeSimilarityMatrix(ws, run, model, split, options, nullptr, {});
    if (!matrix) throw std::runtime_error("the matrix was not computed");
    return std::move(*matrix);
  }

  static std::map<std::int32_t, std::size_t> rowsByIndex(const SimilarityMatrix& matrix) {
    std::map<std::int32_t, std::size_t> rows;
    for (std::size_t r = 0; r < matrix.size(); ++r) rows[matrix.labels[r].index] = r;
    return rows;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo split_, blockSplit_;
  static inline std::map<std::string, storage::RunInfo> runs_;
  static inline storage::RunInfo blockRun_;
};

double directCosine(const std::vector<float>& vectors, std::size_t dim, std::int32_t a,
                    std::int32_t b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t d = 0; d < dim; ++d) {
    const double x = vectors[std::size_t(a) * dim + d], y = vectors[std::size_t(b) * dim + d];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

TEST_F(SimilarityMatrixTest, AlsValuesAreTheCosineOfItemVectors) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["als"]);
  const SimilarityMatrix m = compute(ws, runs_["als"], model, "top:40");
  ASSERT_EQ(m.size(), std::size_t(40));
  ASSERT_EQ(m.values.size(), std::size_t(40 * 40));
  std::vector<float> vectors;
  const std::size_t dim = model.model->itemEmbeddings(vectors);
  for (std::size_t r = 0; r < m.size(); ++r)
    for (std::size_t c = 0; c < m.size(); ++c)
      EXPECT_CLOSE(m.value(r, c), directCosine(vectors, dim, m.labels[r].index, m.labels[c].index),
                   1e-5)
          << r << ", " << c;
  EXPECT_FALSE(m.users);
  EXPECT_TRUE(m.isSigned);
  EXPECT_TRUE(m.isSymmetric);
  EXPECT_EQ(m.measure, "cosine of the item vectors");
  EXPECT_TRUE(m.clustering.merges.empty() && m.bands.empty() && m.skipped.empty());
}

TEST_F(SimilarityMatrixTest, ItemknnValuesAreTheWeightsSimilarItemsReportsAndZeroElsewhere) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["itemknn"]);
  const SimilarityMatrix m = compute(ws, runs_["itemknn"], model, "top:60");
  int listed = 0, outside = 0;
  bool symmetric = true;
  for (std::size_t r = 0; r < m.size(); ++r) {
    std::map<std::int32_t, float> similar;
    for (const ScoredItem& s : model.model->similarItems(ItemIndex{m.labels[r].index}, 1000))
      similar[s.item.value] = s.score;
    for (std::size_t c = 0; c < m.size(); ++c) {
      symmetric = symmetric && m.value(r, c) == m.value(c, r);
      const auto it = similar.find(m.labels[c].index);
      if (it != similar.end()) {
        EXPECT_EQ(m.value(r, c), it->second) << r << ", " << c;
        ++listed;
      } else {
        EXPECT_EQ(m.value(r, c), 0.0f) << r << ", " << c << " is outside the neighbours";
        outside += r != c;
      }
    }
  }
  EXPECT_GT(listed, 0);
  EXPECT_GT(outside, 0) << "k = 5 of 60 items leaves pairs outside the neighbours";
  EXPECT_EQ(m.isSymmetric, symmetric);
  EXPECT_NE(m.measure.find("top 5 neighbours"), std::string::npos) << m.measure;
}

TEST_F(SimilarityMatrixTest, EaseValuesAreBEntriesAsSimilarItemsReportsThem) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["ease"]);
  const SimilarityMatrix m = compute(ws, runs_["ease"], model, "top:60");
  const auto& ease =
      dynamic_cast<const EaseModel&>(dynamic_cast<const TrainedItemsModel&>(*model.model).inner());
  const std::size_t items = ease.itemCount();
  const auto rows = rowsByIndex(m);
  int compared = 0;
  for (std::size_t r = 0; r < m.size(); ++r) {
    for (std::size_t c = 0; c < m.size(); ++c)
      EXPECT_EQ(
          m.value(r, c),
          ease.weights()[std::size_t(m.labels[c].index) * items + std::size_t(m.labels[r].index)]);
    for (const ScoredItem& s : ease.similarItems(ItemIndex{m.labels[r].index}, 5)) {
      const auto column = rows.find(s.item.value);
      if (column == rows.end()) continue;
      EXPECT_EQ(m.value(r, column->second), s.score);
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
  EXPECT_TRUE(m.isSigned);
  EXPECT_FALSE(m.isSymmetric);
}

TEST_F(SimilarityMatrixTest, TopNIsTheMostPopularItemsWithTheirLabels) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["als"]);
  const auto counts = storage::itemInteractionCounts(ws, runs_["als"].datasetId);
  const auto expected = storage::mostPopularItems(counts, 25);
  const SimilarityMatrix m = compute(ws, runs_["als"], model, "top:25");
  ASSERT_EQ(m.size(), expected.size());
  const auto meta = storage::loadItemMeta(ws, runs_["als"].datasetId, expected);
  for (std::size_t r = 0; r < m.size(); ++r) {
    EXPECT_EQ(m.labels[r].index, expected[r]);
    EXPECT_EQ(m.labels[r].interactions, counts[std::size_t(expected[r])]);
    EXPECT_EQ(m.labels[r].externalId, model.header.itemIds[std::size_t(expected[r])]);
    EXPECT_EQ(m.labels[r].title, meta[r].title);
    EXPECT_EQ(m.labels[r].category, meta[r].category);
    EXPECT_EQ(m.labels[r].price, meta[r].price);
  }
  // Counts the caller already has give the same matrix.
  SimilarityMatrixOptions options;
  options.selection = parseSimilaritySelection("top:25", false);
  options.itemCounts = std::make_shared<const std::vector<std::int64_t>>(counts);
  const auto again = computeSimilarityMatrix(ws, runs_["als"], model, split_, options, nullptr, {});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->values, m.values);
}

TEST_F(SimilarityMatrixTest, IdsKeepTheirOrderAndUnknownOnesAreSkipped) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["als"]);
  const auto& ids = model.header.itemIds;
  const SimilarityMatrix m =
      compute(ws, runs_["als"], model, "ids:" + ids[5] + ",no-such-item," + ids[2] + "," + ids[5]);
  ASSERT_EQ(m.size(), std::size_t(2));
  EXPECT_EQ(m.labels[0].index, 5);
  EXPECT_EQ(m.labels[1].index, 2);
  ASSERT_EQ(m.skipped.size(), std::size_t(2));
  EXPECT_NE(m.skipped[0].find("no-such-item"), std::string::npos) << m.skipped[0];
  EXPECT_NE(m.skipped[1].find("listed twice"), std::string::npos) << m.skipped[1];
  try {
    compute(ws, runs_["als"], model, "ids:nothing,none");
    ADD_FAILURE() << "a selection of unknown ids was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("unknown item id 'nothing'"), std::string::npos)
        << e.what();
  }
}

TEST_F(SimilarityMatrixTest, CategoryIsItsMostPopularItemsAndAnUnknownOneIsConfig) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo& run = runs_["als"];
  const LoadedModel model = load(ws, run);
  const auto counts = storage::itemInteractionCounts(ws, run.datasetId);
  std::vector<std::int32_t> all(counts.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = std::int32_t(i);
  const auto meta = storage::loadItemMeta(ws, run.datasetId, all);
  const std::string category = meta[std::size_t(storage::mostPopularItems(counts, 1)[0])].category;
  std::set<std::int32_t> members;
  for (const auto& item : meta)
    if (item.category == category && counts[std::size_t(item.item)] > 0) members.insert(item.item);
  const SimilarityMatrix m = compute(ws, run, model, "category:" + category);
  ASSERT_EQ(m.size(), std::min<std::size_t>(members.size(), 50));
  for (std::size_t r = 0; r < m.size(); ++r) {
    EXPECT_EQ(m.labels[r].category, category);
    EXPECT_TRUE(members.contains(m.labels[r].index));
    if (r > 0) {
      EXPECT_GE(m.labels[r - 1].interactions, m.labels[r].interactions);
    }
  }
  try {
    compute(ws, run, model, "category:No Such Aisle");
    ADD_FAILURE() << "an unknown category was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    const std::string message = e.what();
    EXPECT_NE(message.find("No Such Aisle"), std::string::npos) << message;
    const auto stats = ws.stats(run.datasetId);
    EXPECT_NE(message.find(stats.categories.front().category), std::string::npos) << message;
  }
}

TEST_F(SimilarityMatrixTest, UserSelectionIsTheRunsListForThatUser) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo& run = runs_["itemknn"];
  const LoadedModel model = load(ws, run);
  const std::int32_t user = storage::runEvalUsers(ws, run.id).front();
  SimilarityMatrixOptions options;
  options.selection =
      parseSimilaritySelection("user:" + model.header.userIds[std::size_t(user)], false);
  options.selection.count = 12;
  const auto m = computeSimilarityMatrix(ws, run, model, split_, options, nullptr, {});
  ASSERT_TRUE(m.has_value());
  const RunList list = runListForUser(ws, run, model, split_, user, 12);
  ASSERT_EQ(m->size(), list.items.size());
  for (std::size_t r = 0; r < m->size(); ++r)
    EXPECT_EQ(m->labels[r].index, list.items[r].meta.item);
  EXPECT_THROW(compute(ws, run, model, "user:nobody-at-all"), Error);
}

TEST_F(SimilarityMatrixTest, CategoryOrderGivesContiguousBandsOfTheSameValues) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["ease"]);
  const SimilarityMatrix listed = compute(ws, runs_["ease"], model, "top:60");
  const SimilarityMatrix m = compute(ws, runs_["ease"], model, "top:60", SimilarityOrder::Category);
  ASSERT_EQ(m.size(), listed.size());
  ASSERT_GE(m.bands.size(), std::size_t(2));
  std::int32_t next = 0;
  for (std::size_t b = 0; b < m.bands.size(); ++b) {
    const auto& band = m.bands[b];
    EXPECT_EQ(band.begin, next);
    EXPECT_LT(band.begin, band.end);
    next = band.end;
    for (std::int32_t r = band.begin; r < band.end; ++r)
      EXPECT_EQ(m.labels[std::size_t(r)].category, band.category);
    if (b > 0) {
      const std::string& before = m.bands[b - 1].category;
      EXPECT_TRUE(band.category.empty() ? !before.empty() : before < band.category)
          << before << " | " << band.category;
    }
  }
  EXPECT_EQ(next, std::int32_t(m.size()));
  const auto rows = rowsByIndex(listed);
  for (std::size_t r = 0; r < m.size(); ++r)
    for (std::size_t c = 0; c < m.size(); ++c)
      EXPECT_EQ(m.value(r, c),
                listed.value(rows.at(m.labels[r].index), rows.at(m.labels[c].index)));
}

// The range of display rows a dendrogram cluster covers, checking that it is contiguous and
// that a merge's left side comes right before its right side.
std::pair<std::int32_t, std::int32_t> coveredRows(const similarity::Clustering& clustering,
                                                  std::int32_t n, std::int32_t cluster) {
  if (cluster < n) return {cluster, cluster + 1};
  const similarity::Merge& merge = clustering.merges[std::size_t(cluster - n)];
  const auto left = coveredRows(clustering, n, merge.left);
  const auto right = coveredRows(clustering, n, merge.right);
  EXPECT_EQ(left.second, right.first) << "merge " << cluster - n;
  EXPECT_EQ(right.second - left.first, merge.size) << "merge " << cluster - n;
  return {left.first, right.second};
}

TEST_F(SimilarityMatrixTest, ClusterOrderGroupsPlantedBlocksAndDrawsOnDisplayRows) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, blockRun_);
  std::string ids = "ids:";  // interleaved: b0-0, b1-0, b2-0, b0-1, ...
  for (int j = 0; j < kBlockItems; ++j)
    for (int b = 0; b < kBlocks; ++b) ids += blockItemId(b, j) + ",";
  const SimilarityMatrix listed =
      compute(ws, blockRun_, model, ids, SimilarityOrder::Listed, blockSplit_);
  const SimilarityMatrix m =
      compute(ws, blockRun_, model, ids, SimilarityOrder::Cluster, blockSplit_);
  const auto n = std::int32_t(m.size());
  ASSERT_EQ(n, kBlocks * kBlockItems);
  std::map<char, std::vector<std::int32_t>> rowsOfBlock;
  for (std::int32_t r = 0; r < n; ++r)
    rowsOfBlock[m.labels[std::size_t(r)].externalId[1]].push_back(r);
  ASSERT_EQ(rowsOfBlock.size(), std::size_t(kBlocks));
  for (const auto& [block, rows] : rowsOfBlock)
    EXPECT_EQ(rows.back() - rows.front() + 1, std::int32_t(rows.size()))
        << "block " << block << " is not contiguous";
  ASSERT_EQ(m.clustering.merges.size(), std::size_t(n - 1));
  const auto all = coveredRows(m.clustering, n, 2 * n - 2);
  EXPECT_EQ(all, std::make_pair(0, n));
  for (std::int32_t r = 0; r < n; ++r) EXPECT_EQ(m.clustering.order[std::size_t(r)], r);
  const auto rows = rowsByIndex(listed);
  for (std::size_t r = 0; r < m.size(); ++r)
    for (std::size_t c = 0; c < m.size(); ++c)
      EXPECT_EQ(m.value(r, c),
                listed.value(rows.at(m.labels[r].index), rows.at(m.labels[c].index)));
}

TEST_F(SimilarityMatrixTest, UserHistoriesCosineIsADirectCount) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo& run = runs_["itemknn"];
  const LoadedModel model = load(ws, run);
  SimilarityMatrixOptions options;
  options.selection = parseSimilaritySelection("top:15", true);
  const auto m = computeSimilarityMatrix(ws, run, model, split_, options, nullptr, {});
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->size(), std::size_t(15));
  EXPECT_TRUE(m->users);
  EXPECT_FALSE(m->isSigned);
  EXPECT_TRUE(m->isSymmetric);
  std::vector<std::set<std::int32_t>> histories;
  for (const auto& label : m->labels) {
    std::set<std::int32_t> items;
    for (const ItemIndex item : storage::loadUserSplitParts(ws, split_, label.index).train)
      items.insert(item.value);
    histories.push_back(std::move(items));
  }
  int overlapping = 0;
  for (std::size_t r = 0; r < m->size(); ++r) {
    if (r > 0) {
      EXPECT_GE(m->labels[r - 1].interactions, m->labels[r].interactions);
    }
    for (std::size_t c = 0; c < m->size(); ++c) {
      std::size_t shared = 0;
      for (const std::int32_t item : histories[r]) shared += histories[c].count(item);
      const double expected =
          double(shared) / std::sqrt(double(histories[r].size() * histories[c].size()));
      EXPECT_CLOSE(m->value(r, c), expected, 1e-6) << r << ", " << c;
      overlapping += r != c && shared > 0;
    }
  }
  EXPECT_GT(overlapping, 0);
  // The model's user vectors: als has them (their cosine), itemknn has none (Config).
  options.userBasis = UserSimilarityBasis::Vectors;
  EXPECT_THROW(computeSimilarityMatrix(ws, run, model, split_, options, nullptr, {}), Error);
  const LoadedModel als = load(ws, runs_["als"]);
  const auto v = computeSimilarityMatrix(ws, runs_["als"], als, split_, options, nullptr, {});
  ASSERT_TRUE(v.has_value());
  std::vector<float> vectors;
  const std::size_t dim = als.model->userEmbeddings(vectors);
  ASSERT_GT(dim, std::size_t(0));
  for (std::size_t r = 0; r < v->size(); ++r)
    for (std::size_t c = 0; c < v->size(); ++c)
      EXPECT_CLOSE(v->value(r, c),
                   directCosine(vectors, dim, v->labels[r].index, v->labels[c].index), 1e-5);
}

TEST_F(SimilarityMatrixTest, AStopGivesNoMatrixAndAModelWithoutSimilarItemsIsConfig) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["als"]);
  std::stop_source source;
  source.request_stop();
  SimilarityMatrixOptions options;
  options.selection = parseSimilaritySelection("top:20", false);
  EXPECT_FALSE(computeSimilarityMatrix(ws, runs_["als"], model, split_, options, nullptr,
                                       source.get_token()));
  options.itemCounts = std::make_shared<const std::vector<std::int64_t>>(
      storage::itemInteractionCounts(ws, runs_["als"].datasetId));
  EXPECT_FALSE(computeSimilarityMatrix(ws, runs_["als"], model, split_, options, nullptr,
                                       source.get_token()));
  options.selection = parseSimilaritySelection("top:20", true);
  EXPECT_FALSE(computeSimilarityMatrix(ws, runs_["als"], model, split_, options, nullptr,
                                       source.get_token()));
  const LoadedModel pop = load(ws, runs_["pop"]);
  options.selection = parseSimilaritySelection("top:20", false);
  try {
    computeSimilarityMatrix(ws, runs_["pop"], pop, split_, options, nullptr, {});
    ADD_FAILURE() << "pop gave an item-item matrix";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("no notion of similar items"), std::string::npos);
  }
}

// Splits a CSV line into fields, honouring double quotes.
std::vector<std::string> csvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (const char ch : line) {
    if (ch == '"')
      quoted = !quoted;
    else if (ch == ',' && !quoted)
      fields.emplace_back();
    else
      fields.back() += ch;
  }
  return fields;
}

TEST_F(SimilarityMatrixTest, CsvHasAHeaderAndOneLinePerRowOfExactValues) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const LoadedModel model = load(ws, runs_["ease"]);
  const SimilarityMatrix m = compute(ws, runs_["ease"], model, "top:12");
  std::ostringstream out;
  writeSimilarityMatrixCsv(m, out);
  std::istringstream in(out.str());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), m.size() + 1);
  const auto header = csvFields(lines[0]);
  ASSERT_EQ(header.size(), m.size() + 3);
  EXPECT_EQ(header[0], "id");
  for (std::size_t r = 0; r < m.size(); ++r) {
    EXPECT_EQ(header[r + 3], m.labels[r].externalId);
    const auto fields = csvFields(lines[r + 1]);
    ASSERT_EQ(fields.size(), m.size() + 3) << lines[r + 1];
    EXPECT_EQ(fields[0], m.labels[r].externalId);
    for (std::size_t c = 0; c < m.size(); ++c) {
      float value = 0;
      const std::string& text = fields[c + 3];
      std::from_chars(text.data(), text.data() + text.size(), value);
      EXPECT_EQ(value, m.value(r, c)) << text;
    }
  }
}

TEST(SimilaritySelectionText, ParsesTheFormsAndRefusesOthers) {
  using Kind = SimilaritySelection::Kind;
  const auto top = parseSimilaritySelection("top:50", false);
  EXPECT_EQ(top.kind, Kind::TopItems);
  EXPECT_EQ(top.count, 50);
  const auto category = parseSimilaritySelection("category:Home > Kitchen", false);
  EXPECT_EQ(category.kind, Kind::Category);
  EXPECT_EQ(category.name, "Home > Kitchen");
  const auto ids = parseSimilaritySelection("ids:a,,b:c", false);
  EXPECT_EQ(ids.kind, Kind::ItemIds);
  EXPECT_EQ(ids.ids, (std::vector<std::string>{"a", "b:c"}));
  EXPECT_EQ(parseSimilaritySelection("user:17", false).kind, Kind::UserList);
  EXPECT_EQ(parseSimilaritySelection("top:3", true).kind, Kind::TopUsers);
  EXPECT_EQ(parseSimilaritySelection("ids:1,2", true).kind, Kind::UserIds);
  for (const std::string bad : {"", "top", "top:", "top:0", "top:-2", "top:x", "top:1001",
                                "top:99999999999", "popular:5", "ids:", "ids:,"}) {
    try {
      parseSimilaritySelection(bad, false);
      ADD_FAILURE() << "'" << bad << "' was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config) << bad;
    }
  }
  try {
    parseSimilaritySelection("category:Toys", true);
    ADD_FAILURE() << "a category of users was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("top:N or ids:A,B,C"), std::string::npos) << e.what();
  }
  try {
    parseSimilaritySelection("nonsense", false);
    ADD_FAILURE() << "nonsense was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("top:N, category:NAME, ids:A,B,C or user:ID"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(parseSimilarityOrder("cluster"), SimilarityOrder::Cluster);
  EXPECT_EQ(parseSimilarityOrder("category"), SimilarityOrder::Category);
  EXPECT_EQ(parseSimilarityOrder("listed"), SimilarityOrder::Listed);
  EXPECT_THROW(parseSimilarityOrder("spectral"), Error);
}

}  // namespace
