// Split protocols on hand-made pairs, and splits stored in a workspace: round trip,
// training data, export, determinism.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/data/split.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"

using namespace reco;

namespace {

// User u has n_u pairs with items 0..n_u-1 at times 100*item + u.
std::vector<Pair> pairsFor(const std::vector<int>& counts) {
  std::vector<Pair> pairs;
  for (std::size_t u = 0; u < counts.size(); ++u)
    for (int i = 0; i < counts[u]; ++i) pairs.push_back({std::int32_t(u), i, 100 * i + std::int64_t(u), 1.0f, 1.0f});
  return pairs;
}

int countPart(const std::vector<Part>& parts, const std::vector<Pair>& pairs, std::int32_t user, Part part) {
  int n = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) n += pairs[i].user == user && parts[i] == part;
  return n;
}

}  // namespace

class TestSplits : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;

 private slots:
  void randomHoldoutTakesTheRoundedShareOfEachUser() {
    const auto pairs = pairsFor({10, 5, 1, 2, 7});
    SplitOptions o;
    o.test = 0.2;
    const auto parts = assignParts(pairs, o);
    QCOMPARE(countPart(parts, pairs, 0, Part::Test), 2);  // 0.2 * 10
    QCOMPARE(countPart(parts, pairs, 1, Part::Test), 1);  // 0.2 * 5
    QCOMPARE(countPart(parts, pairs, 2, Part::Test), 0);  // a single pair stays in training
    QCOMPARE(countPart(parts, pairs, 3, Part::Test), 0);  // round(0.4) = 0
    QCOMPARE(countPart(parts, pairs, 4, Part::Test), 1);  // round(1.4) = 1
  }

  void sameSeedSameSplitOtherSeedOther() {
    const auto pairs = pairsFor(std::vector<int>(50, 20));
    SplitOptions a;
    a.seed = 7;
    SplitOptions b = a;
    b.seed = 8;
    QVERIFY(assignParts(pairs, a) == assignParts(pairs, a));
    QVERIFY(assignParts(pairs, a) != assignParts(pairs, b));
  }

  void aUsersSplitDoesNotDependOnOtherUsers() {
    // User 0 alone, and user 0 next to others: the same test items.
    const auto alone = pairsFor({20});
    auto withOthers = pairsFor({20, 13, 8});
    SplitOptions o;
    const auto partsAlone = assignParts(alone, o);
    const auto partsWith = assignParts(withOthers, o);
    for (std::size_t i = 0; i < alone.size(); ++i) QCOMPARE(int(partsAlone[i]), int(partsWith[i]));
  }

  void validationComesFromTheTrainingRest() {
    const auto pairs = pairsFor({20});
    SplitOptions o;
    o.test = 0.25;
    o.valid = 0.2;
    const auto parts = assignParts(pairs, o);
    QCOMPARE(countPart(parts, pairs, 0, Part::Test), 5);
    QCOMPARE(countPart(parts, pairs, 0, Part::Valid), 3);  // round(0.2 * 15)
    QCOMPARE(countPart(parts, pairs, 0, Part::Train), 12);
  }

  void leaveLastTakesTheLatestPairs() {
    const auto pairs = pairsFor({6, 1});
    SplitOptions o;
    o.protocol = SplitProtocol::LeaveLast;
    o.test = 2;
    o.valid = 1;
    const auto parts = assignParts(pairs, o);
    // Items 5 and 4 are the latest of user 0, item 3 the next.
    QCOMPARE(int(parts[5]), int(Part::Test));
    QCOMPARE(int(parts[4]), int(Part::Test));
    QCOMPARE(int(parts[3]), int(Part::Valid));
    QCOMPARE(int(parts[0]), int(Part::Train));
    QCOMPARE(int(parts[6]), int(Part::Train));  // user 1 keeps its only pair
  }

  void temporalCutsAtOneGlobalTime() {
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
    QCOMPARE(test, 6);  // 30% of 20
    QVERIFY(latestTrain < earliestTest);
    SplitOptions byDate = o;
    byDate.cutoff = 800;
    const auto dated = assignParts(pairs, byDate);
    QCOMPARE(int(std::count(dated.begin(), dated.end(), Part::Test)), 4);  // times 800, 801, 900, 901
  }

  void badOptionsFailLoudly() {
    SplitOptions o;
    o.test = 1.5;
    QVERIFY_THROWS_EXCEPTION(Error, o.validate());
    o.test = 0.2;
    o.protocol = SplitProtocol::LeaveLast;
    QVERIFY_THROWS_EXCEPTION(Error, o.validate());  // a count is expected
    SplitOptions t;
    t.protocol = SplitProtocol::Temporal;
    auto noTimes = pairsFor({3});
    for (auto& p : noTimes) p.time = kNoPairTime;
    QVERIFY_THROWS_EXCEPTION(Error, assignParts(noTimes, t));
  }

  void storedSplitLoadsAsTrainingDataAndExports() {
    storage::Workspace ws(dir_.filePath("s.reco").toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    io::ImportOptions options;
    options.name = "shop";
    auto produce = [](io::RecordSink& sink) {
      sink.begin(io::Feedback::Rating);
      sink.item({"a", "Apple", "Fruit", 1.5, {}});
      std::size_t line = 0;
      for (int u = 0; u < 6; ++u)
        for (int i = 0; i < 5; ++i) {
          const std::string user = "u" + std::to_string(u), item = std::string(1, char('a' + i));
          sink.interaction({user, item, 1000 + 10 * i, "", double(1 + (u + i) % 5), ++line});
        }
      // A repeated interaction folds into its pair: weight 1 + 3, latest rating 3.
      sink.interaction({"u0", "a", 5000, "", 3.0, ++line});
      return Outcome::Completed;
    };
    const auto dataset = storage::importRecords(ws, "test", "hand", options, produce, nullptr, {}).dataset;
    const auto pairs = storage::loadPairs(ws, dataset.id, std::nullopt);
    QCOMPARE(pairs.size(), std::size_t(30));
    QCOMPARE(pairs[0].weight, 4.0f);
    QCOMPARE(pairs[0].rating, 3.0f);
    QCOMPARE(pairs[0].time, std::int64_t(1000));  // the first time
    QCOMPARE(storage::loadPairs(ws, dataset.id, 4.0).size(), std::size_t(12));  // ratings 4 and 5 only

    SplitOptions o;
    o.test = 0.4;
    o.weighting = "weighted";
    const auto split = storage::createSplit(ws, dataset, "s1", o, nullptr, {}).split;
    QCOMPARE(split.testPairs, std::int64_t(12));  // 2 of 5 for each of 6 users
    QCOMPARE(split.trainPairs, std::int64_t(18));
    QVERIFY_THROWS_EXCEPTION(Error, storage::createSplit(ws, dataset, "s1", o, nullptr, {}));  // name taken

    const auto loaded = storage::loadSplit(ws, storage::requireSplit(ws, dataset.id, "s1"), 9);
    const TrainingData& t = *loaded.train;
    QCOMPARE(t.userCount, 6);
    QCOMPARE(t.itemCount, 5);
    QCOMPARE(t.userItems.nnz(), std::int64_t(18));
    QCOMPARE(loaded.test.nnz(), std::int64_t(12));
    QCOMPARE(t.itemUsers.nnz(), std::int64_t(18));
    QVERIFY(t.hasRatings);
    QCOMPARE(t.ratings.size(), std::size_t(18));
    QCOMPARE(t.seed, std::uint64_t(9));
    QCOMPARE(t.itemTitles[0], std::string("Apple"));
    QCOMPARE(t.categoryNames.size(), std::size_t(1));
    for (std::int32_t u = 0; u < t.userCount; ++u)
      for (const auto i : loaded.test.rowCols(u)) QCOMPARE(t.userItems.at(u, i), 0.0f);  // no leak
    // Sequences are in time order: item indices ascend with time in this data.
    const auto seq = t.userSequence.rowCols(1);
    QVERIFY(std::is_sorted(seq.begin(), seq.end()));

    const auto files = storage::exportSplit(ws, storage::requireSplit(ws, dataset.id, "s1"), dir_.filePath("export").toStdString());
    QCOMPARE(files.size(), std::size_t(2));
    std::ifstream test(files[1]);
    std::stringstream text;
    text << test.rdbuf();
    const std::string written = text.str();
    QCOMPARE(int(std::count(written.begin(), written.end(), '\n')), 12);
    QVERIFY(written.rfind("u0\t", 0) == 0);
  }
};

QTEST_GUILESS_MAIN(TestSplits)
#include "test_splits.moc"
