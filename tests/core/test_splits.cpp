// Split protocols on hand-made pairs, and splits stored in a workspace: round trip,
// training data, export, determinism.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>

#include "core/common/error.h"
#include "core/data/split.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;

// User u has n_u pairs with items 0..n_u-1 at times 100*item + u.
std::vector<Pair> pairsFor(const std::vector<int>& counts) {
  std::vector<Pair> pairs;
  for (std::size_t u = 0; u < counts.size(); ++u)
    for (int i = 0; i < counts[u]; ++i)
      pairs.push_back({std::int32_t(u), i, 100 * i + std::int64_t(u), 1.0f, 1.0f});
  return pairs;
}

int countPart(const std::vector<Part>& parts, const std::vector<Pair>& pairs, std::int32_t user,
              Part part) {
  int n = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) n += pairs[i].user == user && parts[i] == part;
  return n;
}

TEST(Splits, RandomHoldoutTakesTheRoundedShareOfEachUser) {
  const auto pairs = pairsFor({10, 5, 1, 2, 7});
  SplitOptions o;
  o.test = 0.2;
  const auto parts = assignParts(pairs, o);
  EXPECT_EQ(countPart(parts, pairs, 0, Part::Test), 2);  // 0.2 * 10
  EXPECT_EQ(countPart(parts, pairs, 1, Part::Test), 1);  // 0.2 * 5
  EXPECT_EQ(countPart(parts, pairs, 2, Part::Test), 0);  // a single pair stays in training
  EXPECT_EQ(countPart(parts, pairs, 3, Part::Test), 0);  // round(0.4) = 0
  EXPECT_EQ(countPart(parts, pairs, 4, Part::Test), 1);  // round(1.4) = 1
}

TEST(Splits, SameSeedSameSplitOtherSeedOther) {
  const auto pairs = pairsFor(std::vector<int>(50, 20));
  SplitOptions a;
  a.seed = 7;
  SplitOptions b = a;
  b.seed = 8;
  EXPECT_TRUE(assignParts(pairs, a) == assignParts(pairs, a));
  EXPECT_TRUE(assignParts(pairs, a) != assignParts(pairs, b));
}

TEST(Splits, AUsersSplitDoesNotDependOnOtherUsers) {
  // User 0 alone, and user 0 next to others: the same test items.
  const auto alone = pairsFor({20});
  auto withOthers = pairsFor({20, 13, 8});
  SplitOptions o;
  const auto partsAlone = assignParts(alone, o);
  const auto partsWith = assignParts(withOthers, o);
  for (std::size_t i = 0; i < alone.size(); ++i)
    EXPECT_EQ(int(partsAlone[i]), int(partsWith[i])) << "pair " << i;
}

TEST(Splits, ValidationComesFromTheTrainingRest) {
  const auto pairs = pairsFor({20});
  SplitOptions o;
  o.test = 0.25;
  o.valid = 0.2;
  const auto parts = assignParts(pairs, o);
  EXPECT_EQ(countPart(parts, pairs, 0, Part::Test), 5);
  EXPECT_EQ(countPart(parts, pairs, 0, Part::Valid), 3);  // round(0.2 * 15)
  EXPECT_EQ(countPart(parts, pairs, 0, Part::Train), 12);
}

TEST(Splits, LeaveLastTakesTheLatestPairs) {
  const auto pairs = pairsFor({6, 1});
  SplitOptions o;
  o.protocol = SplitProtocol::LeaveLast;
  o.test = 2;
  o.valid = 1;
  const auto parts = assignParts(pairs, o);
  // Items 5 and 4 are the latest of user 0, item 3 the next.
  EXPECT_EQ(int(parts[5]), int(Part::Test));
  EXPECT_EQ(int(parts[4]), int(Part::Test));
  EXPECT_EQ(int(parts[3]), int(Part::Valid));
  EXPECT_EQ(int(parts[0]), int(Part::Train));
  EXPECT_EQ(int(parts[6]), int(Part::Train));  // user 1 keeps its only pair
}

TEST(Splits, TemporalCutsAtOneGlobalTime) {
  const auto pairs = pairsFor({10, 10});  // times 0..900 (+ user)
  SplitOptions o;
  o.protocol = SplitProtocol::Temporal;
  o.test = 0.3;
  const auto parts = assignParts(pairs, o);
  int test = 0;
  std::int64_t earliestTest = INT64_MAX, latestTrain = INT64_MIN;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (parts[i] == Part::Test) {
      ++test;
      earliestTest = std::min(earliestTest, pairs[i].time);
    } else {
      latestTrain = std::max(latestTrain, pairs[i].time);
    }
  }
  EXPECT_EQ(test, 6);  // 30% of 20
  EXPECT_LT(latestTrain, earliestTest);
  SplitOptions byDate = o;
  byDate.cutoff = 800;
  const auto dated = assignParts(pairs, byDate);
  EXPECT_EQ(int(std::count(dated.begin(), dated.end(), Part::Test)),
            4);  // times 800, 801, 900, 901
}

TEST(Splits, BadOptionsFailLoudly) {
  SplitOptions o;
  o.test = 1.5;
  EXPECT_THROW(o.validate(), Error);
  o.test = 0.2;
  o.protocol = SplitProtocol::LeaveLast;
  EXPECT_THROW(o.validate(), Error);  // a count is expected
  SplitOptions t;
  t.protocol = SplitProtocol::Temporal;
  auto noTimes = pairsFor({3});
  for (auto& p : noTimes) p.time = kNoPairTime;
  EXPECT_THROW(assignParts(noTimes, t), Error);
}

TEST(Splits, StoredSplitLoadsAsTrainingDataAndExports) {
  const reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("s.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions options;
  options.name = "shop";
  auto produce = [](io::RecordSink& sink) {
    sink.begin(io::Feedback::Rating);
    sink.item({"a", "Apple", "Fruit", 1.5, {}});
    std::size_t line = 0;
    for (int u = 0; u < 6; ++u)
      for (int i = 0; i < 5; ++i) {
        // Appended: GCC 12 warns falsely (-Wrestrict) on "u" + std::string.
        std::string user = "u";
        user += std::to_string(u);
        const std::string item(1, char('a' + i));
        sink.interaction({user, item, 1000 + 10 * i, "", double(1 + (u + i) % 5), ++line});
      }
    // A repeated interaction folds into its pair: weight 1 + 3, latest rating 3.
    sink.interaction({"u0", "a", 5000, "", 3.0, ++line});
    return Outcome::Completed;
  };
  const auto dataset =
      storage::importRecords(ws, "test", "hand", options, produce, nullptr, {}).dataset;
  const auto pairs = storage::loadPairs(ws, dataset.id, std::nullopt);
  ASSERT_EQ(pairs.size(), 30u);
  EXPECT_CLOSE(pairs[0].weight, 4.0f, 1e-5);
  EXPECT_EQ(pairs[0].rating, 3.0f);
  EXPECT_EQ(pairs[0].time, std::int64_t(1000));                    // the first time
  EXPECT_EQ(storage::loadPairs(ws, dataset.id, 4.0).size(), 12u);  // ratings 4 and 5 only

  SplitOptions o;
  o.test = 0.4;
  o.weighting = "weighted";
  const auto split = storage::createSplit(ws, dataset, "s1", o, nullptr, {}).split;
  EXPECT_EQ(split.testPairs, std::int64_t(12));  // 2 of 5 for each of 6 users
  EXPECT_EQ(split.trainPairs, std::int64_t(18));
  EXPECT_THROW(storage::createSplit(ws, dataset, "s1", o, nullptr, {}), Error);  // name taken

  const auto loaded = storage::loadSplit(ws, storage::requireSplit(ws, dataset.id, "s1"), 9);
  const TrainingData& t = *loaded.train;
  EXPECT_EQ(t.userCount, 6);
  EXPECT_EQ(t.itemCount, 5);
  EXPECT_EQ(t.userItems.nnz(), std::int64_t(18));
  EXPECT_EQ(loaded.test.nnz(), std::int64_t(12));
  EXPECT_EQ(t.itemUsers.nnz(), std::int64_t(18));
  EXPECT_TRUE(t.hasRatings);
  EXPECT_EQ(t.ratings.size(), 18u);
  EXPECT_EQ(t.seed, 9u);
  EXPECT_EQ(t.itemTitles[0], "Apple");
  EXPECT_EQ(t.categoryNames.size(), 1u);
  for (std::int32_t u = 0; u < t.userCount; ++u)
    for (const auto i : loaded.test.rowCols(u))
      EXPECT_EQ(t.userItems.at(u, i), 0.0f) << "user " << u << ", item " << i;  // no leak
  // Sequences are in time order: item indices ascend with time in this data.
  const auto seq = t.userSequence.rowCols(1);
  EXPECT_TRUE(std::is_sorted(seq.begin(), seq.end()));

  const auto files =
      storage::exportSplit(ws, storage::requireSplit(ws, dataset.id, "s1"), dir.file("export"));
  ASSERT_EQ(files.size(), 2u);
  std::ifstream test(files[1]);
  std::stringstream text;
  text << test.rdbuf();
  const std::string written = text.str();
  EXPECT_EQ(int(std::count(written.begin(), written.end(), '\n')), 12);
  EXPECT_EQ(written.rfind("u0\t", 0), 0u) << written;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A split's files change together or not at all: a test part too big for the disk (here a
// file-size limit between the small train.tsv and the large test.tsv, in a child process)
// leaves the earlier export's train.tsv and test.tsv both as they were.
TEST(SplitExport, AFullDiskChangesNoneOfTheFiles) {
  reco::testing::TempDir dir;
  const std::string path = dir.file("shop.reco");
  DatasetInfo dataset;
  {
    storage::Workspace ws(path, storage::Workspace::OpenMode::CreateIfMissing);
    dataset = reco::testing::importSyntheticShop(ws, 500, 100, 20000, 4);
    SplitOptions options;
    options.test = 0.9;  // test.tsv about 9 times train.tsv
    storage::createSplit(ws, dataset, "big-test", options, nullptr, {});
  }
  // The sizes the files have, from an export without a limit.
  std::uintmax_t trainBytes = 0, testBytes = 0;
  {
    storage::Workspace ws(path, storage::Workspace::OpenMode::OpenExisting);
    const auto files =
        storage::exportSplit(ws, storage::requireSplit(ws, dataset.id, "big-test"), dir.file("m"));
    trainBytes = std::filesystem::file_size(files[0]);
    testBytes = std::filesystem::file_size(files[1]);
  }
  ASSERT_LT(trainBytes, testBytes);
  const std::string folder = dir.file("export");
  std::filesystem::create_directories(folder);
  for (const char* name : {"train.tsv", "test.tsv"}) std::ofstream(folder + "/" + name) << "old\n";

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A limit between the two: train.tsv fits, test.tsv does not.
    const auto bytes = rlim_t((trainBytes + testBytes) / 2);
    const struct rlimit limit { bytes, bytes };
    ::setrlimit(RLIMIT_FSIZE, &limit);
    ::signal(SIGXFSZ, SIG_IGN);
    try {
      storage::Workspace ws(path, storage::Workspace::OpenMode::OpenExisting);
      storage::exportSplit(ws, storage::requireSplit(ws, dataset.id, "big-test"), folder);
    } catch (const Error& e) {
      const bool says = std::string(e.what()).find("test.tsv") != std::string::npos;
      ::_exit(says ? 0 : 2);
    }
    ::_exit(1);  // written whole: the limit did not bite
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "1: the export did not fail; 2: its message lacks test.tsv";
  EXPECT_EQ(readAll(folder + "/train.tsv"), "old\n") << "train.tsv replaced, test.tsv not";
  EXPECT_EQ(readAll(folder + "/test.tsv"), "old\n");
}

// An export of a split without a validation part over one with it leaves no stale valid.tsv.
TEST(SplitExport, AnEarlierExportsValidationFileGoes) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("shop.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 200, 50, 4000, 4);
  const auto withValid = reco::testing::createHoldoutSplit(ws, dataset);
  SplitOptions options;
  options.test = 0.2;
  const auto without = storage::createSplit(ws, dataset, "plain", options, nullptr, {}).split;
  const std::string folder = dir.file("export");
  EXPECT_EQ(storage::exportSplit(ws, withValid, folder).size(), 3u);
  ASSERT_TRUE(std::filesystem::exists(folder + "/valid.tsv"));
  EXPECT_EQ(storage::exportSplit(ws, without, folder).size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(folder + "/valid.tsv"));
}

}  // namespace
