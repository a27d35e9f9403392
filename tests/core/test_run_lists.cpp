// A run's list for a user (core/training/run_lists.h), the one `reco recommend` prints and
// the Users panel shows: the model's top-n without the training items, each item with its
// catalogue data, its held-out test mark (checked against the stored split pairs) and the
// explanation's reason in words; short and empty lists; an unknown user; the reason's
// "{item}" resolved to a title, an external id or "an item".
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

class TestRunLists : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path_;
  storage::SplitInfo split_;
  std::vector<storage::RunInfo> runs_;  // itemknn (reasons name items), pop

  static std::set<std::int32_t> storedPart(storage::Workspace& ws, const storage::SplitInfo& split, std::int32_t user,
                                           int part) {
    std::set<std::int32_t> items;
    storage::Statement st(ws.db(), "SELECT item_idx FROM split_pairs WHERE split_id = ?1 AND user_idx = ?2 AND part = ?3");
    st.bind(1, split.id).bind(2, std::int64_t(user)).bind(3, std::int64_t(part));
    while (st.step()) items.insert(std::int32_t(st.columnInt(0)));
    return items;
  }

  static LoadedModel load(storage::Workspace& ws, const storage::RunInfo& run) {
    return readModelFile(storage::runModel(ws, run.id), defaultRegistry());
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath("lists.reco").toStdString();
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = testing::importSyntheticShop(ws, 120, 60, 3000, 11);
    split_ = testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"itemknn", "pop"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      runs_.push_back(runExperiment(ws, split_, options, nullptr, {}).run);
    }
  }

  void listIsTheModelsTopNWithItsDataMarksAndReasons() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    int inTest = 0, named = 0;
    for (const auto& run : runs_) {
      const LoadedModel model = load(ws, run);
      for (const std::int32_t user : storage::runEvalUsers(ws, run.id)) {
        const RunList list = runListForUser(ws, run, model, split_, user, 10);
        QCOMPARE(list.userId, model.header.userIds[std::size_t(user)]);
        const auto parts = storage::loadUserSplitParts(ws, split_, user);
        QCOMPARE(list.trainingItems, parts.train.size());
        const auto heldOut = storedPart(ws, split_, user, 2);
        std::set<std::int32_t> train;
        for (const auto item : parts.train) train.insert(item.value);
        const auto top = model.model->recommend(UserIndex{user}, parts.train, 10);
        QCOMPARE(list.items.size(), top.size());
        QCOMPARE(list.items.size(), std::size_t(10));
        for (std::size_t r = 0; r < top.size(); ++r) {
          const RunListItem& item = list.items[r];
          QCOMPARE(item.meta.item, top[r].item.value);
          QCOMPARE(item.score, top[r].score);
          QVERIFY2(!train.contains(item.meta.item), "a training item is listed");
          QCOMPARE(item.inTest, heldOut.contains(item.meta.item));
          // The catalogue's data: the synthetic shop names, files and prices every item.
          QCOMPARE(item.meta.externalId, model.header.itemIds[std::size_t(item.meta.item)]);
          QVERIFY(!item.meta.title.empty() && !item.meta.category.empty() && item.meta.price.has_value());
          const Explanation e = model.model->explain(UserIndex{user}, top[r].item, parts.train);
          QCOMPARE(item.reason, resolveReason(ws, run.datasetId, e));
          QVERIFY(!item.reason.empty());
          QVERIFY2(item.reason.find("{item}") == std::string::npos, item.reason.c_str());
          inTest += item.inTest;
          if (e.reason.find("{item}") != std::string::npos && !e.because.empty()) {
            const auto because = storage::loadItemMeta(ws, run.datasetId, std::vector{e.because.front().item.value});
            QVERIFY2(item.reason.find(because.front().title) != std::string::npos, item.reason.c_str());
            ++named;
          }
        }
      }
    }
    QVERIFY2(inTest > 0, "some listed item should be a held-out test item");
    QVERIFY2(named > 0, "itemknn's reasons should name a history item");
  }

  void shortAndEmptyLists() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    const auto& run = runs_.front();
    const LoadedModel model = load(ws, run);
    const std::int32_t user = storage::runEvalUsers(ws, run.id).front();
    const RunList none = runListForUser(ws, run, model, split_, user, 0);
    QVERIFY(none.items.empty());
    QCOMPARE(none.userId, model.header.userIds[std::size_t(user)]);
    const auto parts = storage::loadUserSplitParts(ws, split_, user);
    QCOMPARE(none.trainingItems, parts.train.size());
    // More than there are: every item the user has not trained on, once.
    std::set<std::int32_t> train;
    for (const auto item : parts.train) train.insert(item.value);
    const RunList all = runListForUser(ws, run, model, split_, user, 100000);
    QCOMPARE(all.items.size(), model.model->itemCount() - train.size());
    std::set<std::int32_t> listed;
    for (const auto& item : all.items) QVERIFY(listed.insert(item.meta.item).second && !train.contains(item.meta.item));
    QCOMPARE(storedPart(ws, split_, user, 2).size(), std::size_t(std::count_if(all.items.begin(), all.items.end(),
                                                                                [](const auto& i) { return i.inTest; })));
  }

  void aUserOutsideTheModelIsAConfigError() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    const auto& run = runs_.back();
    const LoadedModel model = load(ws, run);
    for (const std::int32_t user : {-1, std::int32_t(model.header.userIds.size())}) {
      try {
        runListForUser(ws, run, model, split_, user, 10);
        QFAIL("expected a Config error");
      } catch (const Error& e) {
        QCOMPARE(e.kind(), ErrorKind::Config);
        QCOMPARE(std::string(e.what()), "the user is not in the data run '" + run.name + "' was trained on");
      }
    }
  }

  // Last: it blanks a title.
  void reasonNamesTheFirstContributingItem() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    const DatasetId dataset = runs_.front().datasetId;
    const auto meta = storage::loadItemMeta(ws, dataset, std::vector<std::int32_t>{3, 4});
    Explanation e;
    e.reason = "plain words";
    e.because = {{ItemIndex{3}, 1.0}};
    QCOMPARE(resolveReason(ws, dataset, e), std::string("plain words"));
    e.reason = "like {item} and {item}";  // only the first is replaced
    QCOMPARE(resolveReason(ws, dataset, e), "like " + meta[0].title + " and {item}");
    e.because = {{ItemIndex{4}, 0.7}, {ItemIndex{3}, 0.3}};
    QCOMPARE(resolveReason(ws, dataset, e), "like " + meta[1].title + " and {item}");
    e.because.clear();
    QCOMPARE(resolveReason(ws, dataset, e), std::string("like an item and {item}"));
    ws.db().exec("UPDATE items SET title = '' WHERE dataset_id = " + std::to_string(dataset) + " AND idx = 4");
    e.because = {{ItemIndex{4}, 1.0}};
    QCOMPARE(resolveReason(ws, dataset, e), "like " + meta[1].externalId + " and {item}");
  }
};

QTEST_GUILESS_MAIN(TestRunLists)
#include "test_run_lists.moc"
