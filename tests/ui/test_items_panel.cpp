// The Items screen, offscreen, on a workspace made by the `reco` command line ($RECO_CLI) in a
// temporary folder: the nearest-items, audience and map-picks models under
// QAbstractItemModelTester; the loader's nearest items and audiences, which must equal
// `reco similar --json` and `reco shown --json` for the same runs and item; a model without
// similar items says why; the side-by-side views and their overlap; the panel, which lists
// the items, selects one and shows its nearest items for two runs (equal to
// reco::similarItemsOf) and its audiences (equal to storage::runItemAudience); the heatmap
// (equal to reco::computeSimilarityMatrix, Cancel, the search result as a set) and the map
// (picks, "Heatmap of selection"); double-clicks that open items and users.

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "core/training/similarity_matrix.h"
#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/models/item_audience_model.h"
#include "ui/models/item_list_model.h"
#include "ui/models/map_picks_model.h"
#include "ui/models/nearest_items_model.h"
#include "ui/models/recommendation_list_model.h"
#include "ui/panels/item_audience_view.h"
#include "ui/panels/item_map_tab.h"
#include "ui/panels/item_profile_view.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/panels/run_choice_button.h"
#include "ui/panels/similarity_view.h"
#include "ui/plots/item_map_view.h"
#include "ui/plots/similarity_heatmap.h"
#include "ui/workers/background_pool.h"
#include "ui/workers/item_loader.h"
#include "ui/workers/run_model_cache.h"

using reco::testing::runCli;
using reco::ui::ItemAudienceModel;
using reco::ui::ItemLoader;
using reco::ui::ItemsPanel;
using reco::ui::NearestItemsModel;

namespace {

constexpr int kTimeoutMs = 20000;
const QString kItem = QStringLiteral("P0001");  // the synthetic shop's first item

void cli(const QStringList& args) {
  const auto result = runCli(args);
  if (result.exitCode != 0)
    qFatal("reco %s failed (%d): %s", qPrintable(args.join(' ')), result.exitCode,
           result.err.constData());
}

QJsonObject cliJson(const QStringList& args) {
  const auto result = runCli(args);
  if (result.exitCode != 0)
    qFatal("reco %s failed (%d): %s", qPrintable(args.join(' ')), result.exitCode,
           result.err.constData());
  return QJsonDocument::fromJson(result.out).object();
}

}  // namespace

class TestItemsPanel : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString shop_;  // 300 users, 200 items, runs itemknn, als, pop on split s1
  std::vector<reco::storage::RunInfo> runs_;
  std::int32_t item_ = -1;  // kItem's dataset index

  reco::storage::RunInfo run(const std::string& name) const {
    for (const auto& run : runs_)
      if (run.name == name) return run;
    qFatal("no run %s", name.c_str());
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run through ctest)");
    shop_ = dir_.filePath(QStringLiteral("shop.reco"));
    cli({"--workspace", shop_, "gen-synthetic", "--users", "300", "--items", "200",
         "--interactions", "6000", "--seed", "3", "--name", "shop"});
    cli({"--workspace", shop_, "split", "--dataset", "shop", "--protocol", "random", "--test",
         "0.2", "--seed", "42", "--name", "s1"});
    cli({"--workspace", shop_, "train", "--dataset", "shop", "--split", "s1", "--model",
         "itemknn,als,pop", "--threads", "1"});
    reco::storage::Workspace ws(shop_.toStdString(),
                                reco::storage::Workspace::OpenMode::OpenExisting);
    runs_ = reco::storage::listRuns(ws);
    QCOMPARE(int(runs_.size()), 3);
    const auto ids = reco::storage::itemExternalIds(ws, runs_.front().datasetId);
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (ids[i] == kItem.toStdString()) item_ = std::int32_t(i);
    QVERIFY(item_ >= 0);
  }

  void nearestItemsEqualTheCommandLine() {
    reco::ui::RunModelCache cache;
    for (const char* name : {"itemknn", "als"}) {
      const auto list = ItemLoader::readNearest(shop_.toStdString(), run(name), item_, 10, &cache);
      QVERIFY(list);
      QVERIFY2(list->error.empty(), list->error.c_str());
      const QJsonArray expected =
          cliJson({"--workspace", shop_, "similar", "--run", name, "--item", kItem, "--json"})
              .value("similar")
              .toArray();
      QCOMPARE(int(list->items.size()), int(expected.size()));
      QCOMPARE(int(expected.size()), 10);
      for (int r = 0; r < expected.size(); ++r) {
        const QJsonObject cli = expected[r].toObject();
        const auto& item = list->items[std::size_t(r)];
        QCOMPARE(QString::fromStdString(item.meta.externalId), cli.value("item").toString());
        QCOMPARE(QString::fromStdString(item.meta.title), cli.value("title").toString());
        QVERIFY(reco::testing::nearlyEqual(double(item.similarity),
                                           cli.value("similarity").toDouble(), 1e-6));
      }
    }
  }

  void aModelWithoutSimilarItemsSaysWhy() {
    const auto list = ItemLoader::readNearest(shop_.toStdString(), run("pop"), item_, 10, nullptr);
    QVERIFY(list && list->items.empty());
    QVERIFY2(QString::fromStdString(list->error).contains(QStringLiteral("no notion of similar")),
             list->error.c_str());
    // The same words as `reco similar`.
    const auto result =
        runCli({"--workspace", shop_, "similar", "--run", "pop", "--item", kItem, "--json"});
    QVERIFY(result.exitCode != 0);
    QVERIFY2(QString::fromUtf8(result.err).contains(QString::fromStdString(list->error)),
             result.err.constData());
  }

  void audienceEqualsTheCommandLine() {
    for (const char* name : {"itemknn", "als", "pop"}) {
      const auto audience = ItemLoader::readAudience(shop_.toStdString(), run(name), item_, {});
      QVERIFY(audience);
      QVERIFY2(audience->error.empty(), audience->error.c_str());
      const QJsonObject expected =
          cliJson({"--workspace", shop_, "shown", "--run", name, "--item", kItem, "--json"});
      QCOMPARE(qint64(audience->members.size()), qint64(expected.value("shown_to").toInteger()));
      QCOMPARE(audience->listedUsers, qint64(expected.value("listed_users").toInteger()));
      QVERIFY(
          reco::testing::nearlyEqual(audience->share(), expected.value("share").toDouble(), 1e-12));
      const QJsonArray users = expected.value("users").toArray();
      QCOMPARE(int(audience->userIds.size()), users.size());
      for (int i = 0; i < users.size(); ++i) {
        const QJsonObject user = users[i].toObject();
        QCOMPARE(QString::fromStdString(audience->userIds[std::size_t(i)]),
                 user.value("user").toString());
        QCOMPARE(audience->members[std::size_t(i)].rank, user.value("rank").toInt());
      }
    }
    // A stopped pass gives nothing.
    std::stop_source stop;
    stop.request_stop();
    QVERIFY(!ItemLoader::readAudience(shop_.toStdString(), run("als"), item_, stop.get_token()));
  }

  void nearestItemsModelUnderTesterSorts() {
    const auto list = ItemLoader::readNearest(shop_.toStdString(), run("als"), item_, 10, nullptr);
    NearestItemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setList(list);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.index(0, NearestItemsModel::RankColumn).data().toInt(), 1);
    QCOMPARE(model.index(0, NearestItemsModel::TitleColumn).data().toString(),
             QString::fromStdString(list->items[0].meta.title));
    QCOMPARE(model.index(0, 0).data(NearestItemsModel::ItemIndexRole).toInt(),
             list->items[0].meta.item);
    // Least similar first: the rank column keeps each item's rank.
    model.sort(NearestItemsModel::SimilarityColumn, Qt::AscendingOrder);
    QCOMPARE(model.index(0, NearestItemsModel::RankColumn).data().toInt(), 10);
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.index(row - 1, NearestItemsModel::SimilarityColumn)
                  .data(NearestItemsModel::SortRole)
                  .toDouble() <= model.index(row, NearestItemsModel::SimilarityColumn)
                                     .data(NearestItemsModel::SortRole)
                                     .toDouble());
    model.sort(NearestItemsModel::TitleColumn, Qt::DescendingOrder);
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.index(row - 1, NearestItemsModel::TitleColumn).data().toString() >=
              model.index(row, NearestItemsModel::TitleColumn).data().toString());
    // Common items are marked.
    model.setCommonItems({list->items[3].meta.item});
    int marked = 0;
    for (int row = 0; row < model.rowCount(); ++row)
      marked += model.index(row, 0).data(NearestItemsModel::InAllListsRole).toBool();
    QCOMPARE(marked, 1);
    model.setList(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void audienceModelUnderTesterSorts() {
    const auto audience = ItemLoader::readAudience(shop_.toStdString(), run("als"), item_, {});
    QVERIFY(audience && audience->members.size() >= 3);
    ItemAudienceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAudience(audience);
    QCOMPARE(model.rowCount(), int(audience->members.size()));
    // Default: the users who see it highest first.
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.index(row - 1, ItemAudienceModel::RankColumn).data().toInt() <=
              model.index(row, ItemAudienceModel::RankColumn).data().toInt());
    model.sort(ItemAudienceModel::ScoreColumn, Qt::DescendingOrder);
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.index(row - 1, ItemAudienceModel::ScoreColumn)
                  .data(ItemAudienceModel::SortRole)
                  .toDouble() >= model.index(row, ItemAudienceModel::ScoreColumn)
                                     .data(ItemAudienceModel::SortRole)
                                     .toDouble());
    model.sort(ItemAudienceModel::UserColumn, Qt::AscendingOrder);
    std::set<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
      const QString id = model.index(row, ItemAudienceModel::UserColumn).data().toString();
      QCOMPARE(model.userIdAt(row), id);
      QCOMPARE(id, model.index(row, 0).data(ItemAudienceModel::UserIdRole).toString());
      if (row > 0) QVERIFY(model.userIdAt(row - 1) < id);  // "U00020" ids sort as text
      ids.insert(id);
    }
    QCOMPARE(ids.size(), audience->members.size());
    model.setAudience(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void loaderFillsTheViewsSideBySide() {
    ItemLoader loader(nullptr);
    reco::ui::NearestItemsView nearest;
    reco::ui::ItemAudienceView audience;
    QObject::connect(&loader, &ItemLoader::nearestLoaded, &nearest,
                     &reco::ui::NearestItemsView::setList);
    QObject::connect(&loader, &ItemLoader::audienceLoaded, &audience,
                     &reco::ui::ItemAudienceView::setAudience);
    const std::vector<reco::storage::RunInfo> runs{run("itemknn"), run("als"), run("pop")};
    nearest.beginLists(runs);
    audience.beginLists(runs);
    QSignalSpy busy(&loader, &ItemLoader::busyChanged);
    loader.loadNearest(shop_, item_, runs, 10);
    loader.loadAudience(shop_, item_, runs);
    QVERIFY(loader.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!loader.isBusy(), kTimeoutMs);
    QVERIFY(nearest.allLoaded() && audience.allLoaded());
    const auto lists = nearest.lists();
    QCOMPARE(int(lists.size()), 3);
    QVERIFY(lists[0]->error.empty() && lists[1]->error.empty());
    QVERIFY(!lists[2]->error.empty());  // pop
    QCOMPARE(nearest.listModel(0)->rowCount(), 10);
    QCOMPARE(nearest.listModel(2)->rowCount(), 0);
    // The overlap is between the two lists that exist.
    auto* overlap = nearest.overlapModel();
    QCOMPARE(overlap->rowCount(), 2);
    std::set<std::int32_t> a, b;
    for (const auto& item : lists[0]->items) a.insert(item.meta.item);
    for (const auto& item : lists[1]->items) b.insert(item.meta.item);
    int both = 0;
    for (const auto item : a) both += b.count(item) > 0;
    QCOMPARE(overlap->shared(0, 1), both);
    int marked = 0;
    for (int row = 0; row < nearest.listModel(0)->rowCount(); ++row)
      marked +=
          nearest.listModel(0)->index(row, 0).data(NearestItemsModel::InAllListsRole).toBool();
    QCOMPARE(marked, both);
    // The audience summaries say how many and what share.
    const auto shown = audience.audiences();
    QCOMPARE(int(shown.size()), 3);
    for (int slot = 0; slot < 3; ++slot) {
      QVERIFY(shown[std::size_t(slot)]->error.empty());
      QVERIFY2(audience.summaryText(slot).contains(
                   QString::number(shown[std::size_t(slot)]->members.size())),
               qPrintable(audience.summaryText(slot)));
    }
    // A double-click on a user asks for them.
    QSignalSpy opened(&audience, &reco::ui::ItemAudienceView::userActivated);
    audience.resize(900, 500);
    audience.show();
    QVERIFY(QTest::qWaitForWindowExposed(&audience));
    QTableView* table = audience.audienceTable(1);
    QVERIFY(table->model()->rowCount() > 0);
    const QRect cell = table->visualRect(table->model()->index(0, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.last().at(0).toString(), audience.audienceModel(1)->userIdAt(0));
    auto* open = audience.findChild<QPushButton*>(QStringLiteral("openInUsersButton"));
    QVERIFY(open && open->isEnabled());
    open->click();
    QCOMPARE(opened.count(), 2);
    QCOMPARE(opened.last().at(0).toString(), audience.audienceModel(1)->userIdAt(0));
  }

  void aNewerRequestSupersedesTheOlder() {
    ItemLoader loader(nullptr);
    QSignalSpy nearest(&loader, &ItemLoader::nearestLoaded);
    const std::vector<reco::storage::RunInfo> runs{run("itemknn")};
    loader.loadNearest(shop_, item_, runs, 10);
    loader.loadNearest(shop_, item_ + 1, runs, 5);
    QTRY_VERIFY_WITH_TIMEOUT(!loader.isBusy(), kTimeoutMs);
    QCOMPARE(nearest.count(), 1);
    const auto list = nearest.last().at(1).value<reco::ui::NearestItemsPtr>();
    QCOMPARE(list->item, item_ + 1);
    QCOMPARE(int(list->items.size()), 5);
    // Cancel drops everything pending.
    nearest.clear();
    loader.loadNearest(shop_, item_, runs, 10);
    loader.cancelAll();
    QVERIFY(!loader.isBusy());
    QTest::qWait(300);
    QCOMPARE(nearest.count(), 0);
  }

  void panelShowsNearestItemsAndAudiencesOfTwoRuns() {
    ItemsPanel panel(nullptr);
    QAbstractItemModelTester listTester(panel.itemModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy items(&panel, &ItemsPanel::itemsShown);
    QSignalSpy nearest(&panel, &ItemsPanel::nearestShown);
    QSignalSpy audiences(&panel, &ItemsPanel::audienceShown);
    panel.setWorkspace(shop_);
    QVERIFY(items.wait(kTimeoutMs));
    // Every item with an interaction (a few of the 200 have none).
    QCOMPARE(items.last().at(0).toInt(), int(panel.itemModel()->summaries()->size()));
    QVERIFY(items.last().at(0).toInt() > 150);
    // The first item is the most chosen one, and it is selected.
    QVERIFY(panel.selectedItem().has_value());
    QCOMPARE(*panel.selectedItem(), panel.itemModel()->itemAt(0));
    panel.runChooser()->setChosenRuns({"itemknn", "als"});
    QVERIFY(panel.selectItem(kItem));
    QCOMPARE(panel.selectedItem(), std::optional<std::int32_t>(item_));
    QTRY_VERIFY_WITH_TIMEOUT(!nearest.isEmpty() && nearest.last().at(0).toString() == kItem &&
                                 !audiences.isEmpty() && audiences.last().at(0).toString() == kItem,
                             kTimeoutMs);
    QAbstractItemModelTester first(panel.nearestView()->listModel(0),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester audience(panel.audienceView()->audienceModel(1),
                                      QAbstractItemModelTester::FailureReportingMode::QtTest);

    // What the core says, computed here directly.
    reco::storage::Workspace ws(shop_.toStdString(),
                                reco::storage::Workspace::OpenMode::OpenExisting);
    const auto lists = panel.nearestView()->lists();
    const auto shown = panel.audienceView()->audiences();
    QCOMPARE(int(lists.size()), 2);
    QCOMPARE(int(shown.size()), 2);
    for (int slot = 0; slot < 2; ++slot) {
      const auto& list = lists[std::size_t(slot)];
      QVERIFY(list && list->error.empty());
      const auto model =
          reco::readModelFile(reco::storage::runModel(ws, list->run.id), reco::defaultRegistry());
      const auto expected = reco::similarItemsOf(ws, list->run, model, item_, 10);
      QCOMPARE(list->items.size(), expected.size());
      auto* table = panel.nearestView()->listModel(slot);
      QCOMPARE(table->rowCount(), 10);
      for (std::size_t r = 0; r < expected.size(); ++r) {
        QCOMPARE(list->items[r].meta.item, expected[r].meta.item);
        QCOMPARE(list->items[r].similarity, expected[r].similarity);
        QCOMPARE(table->index(int(r), 0).data(NearestItemsModel::ItemIndexRole).toInt(),
                 expected[r].meta.item);
      }
      const auto& audienceList = shown[std::size_t(slot)];
      QVERIFY(audienceList && audienceList->error.empty());
      QCOMPARE(audienceList->run.name, list->run.name);
      const auto direct = reco::storage::runItemAudience(ws, list->run.id, item_, {});
      QVERIFY(direct.has_value());
      QCOMPARE(audienceList->members.size(), direct->members.size());
      QCOMPARE(audienceList->listedUsers, direct->listedUsers);
      for (std::size_t i = 0; i < direct->members.size(); ++i)
        QCOMPARE(audienceList->members[i].user, direct->members[i].user);
      QCOMPARE(panel.audienceView()->audienceModel(slot)->rowCount(), int(direct->members.size()));
    }
    // The profile arrived too, with items chosen together from the split's training part.
    QTRY_VERIFY_WITH_TIMEOUT(!panel.profileView()->isShowingMessage(), kTimeoutMs);
    QVERIFY(panel.profileView()->coOccurrenceModel()->rowCount() > 0);

    // A longer list for every run.
    nearest.clear();
    panel.setListLength(15);
    QVERIFY(nearest.wait(kTimeoutMs));
    QCOMPARE(panel.nearestView()->listModel(1)->rowCount(), 15);
  }

  void panelSearchesSortsAndOpensItemsFromItsLists() {
    ItemsPanel panel(nullptr);
    QSignalSpy items(&panel, &ItemsPanel::itemsShown);
    QSignalSpy nearest(&panel, &ItemsPanel::nearestShown);
    panel.setWorkspace(shop_);
    QVERIFY(items.wait(kTimeoutMs));
    QVERIFY(nearest.wait(kTimeoutMs));
    auto* model = panel.itemModel();
    // Search: only matches, and the selection follows a sole match.
    items.clear();
    panel.searchField()->setText(kItem);
    QVERIFY(items.wait(kTimeoutMs));
    QCOMPARE(model->matchingRows(), 1);
    QCOMPARE(panel.selectedItem(), std::optional<std::int32_t>(item_));
    // A double-click on a nearest item opens it, clearing the search that hides it.
    QVERIFY(nearest.count() > 0 || nearest.wait(kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(panel.nearestView()->allLoaded(), kTimeoutMs);
    auto* list = panel.nearestView()->listModel(0);
    QVERIFY(list->rowCount() > 0);
    const std::int32_t neighbour = list->index(0, 0).data(NearestItemsModel::ItemIndexRole).toInt();
    panel.resize(1280 - 170, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.tabs()->setCurrentWidget(panel.nearestView());
    QTableView* table = panel.nearestView()->listTable(0);
    QTRY_VERIFY(table->isVisible() && table->viewport()->height() > 100);
    const QRect cell = table->visualRect(table->model()->index(0, 1));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTRY_COMPARE_WITH_TIMEOUT(panel.selectedItem(), std::optional<std::int32_t>(neighbour),
                              kTimeoutMs);
    QVERIFY(panel.searchField()->text().isEmpty());
    QCOMPARE(model->matchingRows(), int(model->summaries()->size()));
    // Sorting by title keeps the selected item selected.
    model->sort(reco::ui::ItemListModel::TitleColumn, Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isUpdating(), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(panel.selectedItem(), std::optional<std::int32_t>(neighbour),
                              kTimeoutMs);
    QCOMPARE(model->itemAt(panel.itemTable()->currentIndex().row()), neighbour);
  }

  void heatmapEqualsTheCoreAndCancels() {
    ItemsPanel panel(nullptr);
    QSignalSpy items(&panel, &ItemsPanel::itemsShown);
    panel.setWorkspace(shop_);
    QVERIFY(items.wait(kTimeoutMs));
    auto* view = panel.similarityView();
    QSignalSpy shown(view, &reco::ui::SimilarityView::matrixShown);
    QVERIFY(view->selectRun(QStringLiteral("itemknn")));
    // Nothing is computed while the tab is hidden.
    QVERIFY(!view->isComputing());
    panel.resize(1280 - 170, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.tabs()->setCurrentWidget(view);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && !view->isComputing(), kTimeoutMs);
    const auto matrix = view->matrix();
    QVERIFY2(matrix, qPrintable(view->statusText()));
    QCOMPARE(int(matrix->size()), 50);  // the 50 most popular items, clustered
    QCOMPARE(int(matrix->clustering.order.size()), 50);
    // The same numbers as the core function `reco similarity` calls.
    {
      reco::storage::Workspace ws(shop_.toStdString(),
                                  reco::storage::Workspace::OpenMode::OpenExisting);
      const auto knn = run("itemknn");
      const auto split = *reco::storage::findSplit(ws, knn.splitId);
      const auto model =
          reco::readModelFile(reco::storage::runModel(ws, knn.id), reco::defaultRegistry());
      const auto direct =
          reco::computeSimilarityMatrix(ws, knn, model, split, view->options(), nullptr, {});
      QVERIFY(direct.has_value());
      QCOMPARE(direct->size(), matrix->size());
      for (std::size_t r = 0; r < matrix->size(); ++r)
        QCOMPARE(direct->labels[r].index, matrix->labels[r].index);
      QVERIFY(direct->values == matrix->values);
    }
    // A click on a cell opens its column's item, and the heatmap stays shown.
    {
      const QRectF cell = view->heatmap()->cellRect(3, 7);
      QVERIFY(!cell.isEmpty());
      QTest::mouseClick(view->heatmap(), Qt::LeftButton, {}, cell.center().toPoint());
      QTRY_COMPARE_WITH_TIMEOUT(panel.selectedItem().value_or(-1), matrix->labels[7].index,
                                kTimeoutMs);
      QCOMPARE(panel.tabs()->currentWidget(), view);
    }
    // The CSV export writes what the core writes.
    const QString csv = dir_.filePath(QStringLiteral("heatmap.csv"));
    QCOMPARE(view->exportCsv(csv), QString());
    QVERIFY(QFileInfo(csv).size() > 0);
    QVERIFY(!view->exportCsv(shop_).isEmpty());  // never the workspace
    // The search result as the set.
    QSignalSpy listed(&panel, &ItemsPanel::itemsShown);
    panel.searchField()->setText(QStringLiteral("Smartphone"));
    QVERIFY(listed.wait(kTimeoutMs));
    const int matching = panel.itemModel()->matchingRows();
    QVERIFY(matching >= 2);
    shown.clear();
    view->setSetKind(reco::ui::SimilarityView::SetKind::SearchResult);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && !view->isComputing(), kTimeoutMs);
    QVERIFY2(view->matrix(), qPrintable(view->statusText()));
    QCOMPARE(int(view->matrix()->size()), matching);
    for (const auto& label : view->matrix()->labels)
      QVERIFY(QString::fromStdString(label.title).contains(QStringLiteral("Smartphone")) ||
              QString::fromStdString(label.category).contains(QStringLiteral("Smartphone")));
    // A model without similar items says why; Cancel stops a computation.
    shown.clear();
    QVERIFY(view->selectRun(QStringLiteral("pop")));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && !view->isComputing(), kTimeoutMs);
    QVERIFY(!view->matrix());
    QVERIFY2(view->statusText().contains(QStringLiteral("no notion of similar")),
             qPrintable(view->statusText()));
    QVERIFY(view->selectRun(QStringLiteral("als")));
    view->setSetKind(reco::ui::SimilarityView::SetKind::ActiveUsers);
    QVERIFY(view->isComputing());
    view->cancel();
    QVERIFY(!view->isComputing());
    QVERIFY(view->statusText().contains(QStringLiteral("cancelled")));
  }

  void mapPicksBecomeAHeatmap() {
    ItemsPanel panel(nullptr);
    QSignalSpy items(&panel, &ItemsPanel::itemsShown);
    panel.setWorkspace(shop_);
    QVERIFY(items.wait(kTimeoutMs));
    auto* tab = panel.mapTab();
    QSignalSpy mapped(tab, &reco::ui::ItemMapTab::mapShown);
    QVERIFY(tab->selectRun(QStringLiteral("als")));
    panel.resize(1280 - 170, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.tabs()->setCurrentWidget(tab);
    QTRY_VERIFY_WITH_TIMEOUT(!mapped.isEmpty() && !tab->isComputing(), kTimeoutMs);
    const auto map = tab->mapView()->map();
    QVERIFY2(map, qPrintable(tab->statusText()));
    QCOMPARE(int(map->size()), 200);
    // Picks (what a rubber band gives) are listed, most popular first.
    auto* picks = tab->picksModel();
    QAbstractItemModelTester tester(picks, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tab->pickItems({map->items[0], map->items[1], map->items[2], map->items[3]});
    QCOMPARE(picks->rowCount(), 4);
    for (int row = 1; row < 4; ++row)
      QVERIFY(picks->index(row - 1, reco::ui::MapPicksModel::InteractionsColumn)
                  .data(reco::ui::MapPicksModel::SortRole)
                  .toLongLong() >= picks->index(row, reco::ui::MapPicksModel::InteractionsColumn)
                                       .data(reco::ui::MapPicksModel::SortRole)
                                       .toLongLong());
    picks->sort(reco::ui::MapPicksModel::TitleColumn, Qt::AscendingOrder);
    QCOMPARE(picks->rowCount(), 4);
    // "Heatmap of selection" shows their similarities in the Heatmap tab.
    auto* view = panel.similarityView();
    QSignalSpy shown(view, &reco::ui::SimilarityView::matrixShown);
    auto* button = tab->findChild<QPushButton*>(QStringLiteral("mapHeatmapButton"));
    QVERIFY(button && button->isEnabled());
    button->click();
    QCOMPARE(panel.tabs()->currentWidget(), view);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && !view->isComputing() && view->matrix(),
                             kTimeoutMs);
    QCOMPARE(int(view->matrix()->size()), 4);
    std::set<std::int32_t> expected(map->items.begin(), map->items.begin() + 4), got;
    for (const auto& label : view->matrix()->labels) got.insert(label.index);
    QCOMPARE(got, expected);
    // A model without vectors or similarities says why.
    mapped.clear();
    panel.tabs()->setCurrentWidget(tab);
    QVERIFY(tab->selectRun(QStringLiteral("pop")));
    QTRY_VERIFY_WITH_TIMEOUT(!mapped.isEmpty() && !tab->isComputing(), kTimeoutMs);
    QVERIFY(!tab->mapView()->map());
    QVERIFY2(!tab->statusText().isEmpty(), "the map says why there is none");
  }

  void theAudienceAsksForAUser() {
    ItemsPanel panel(nullptr);
    QSignalSpy audiences(&panel, &ItemsPanel::audienceShown);
    QSignalSpy requested(&panel, &ItemsPanel::userRequested);
    panel.setWorkspace(shop_);
    QVERIFY(audiences.wait(kTimeoutMs));
    auto* view = panel.audienceView();
    int slot = -1;
    for (int s = 0; s < 3 && slot < 0; ++s)
      if (view->audienceModel(s)->rowCount() > 0) slot = s;
    QVERIFY(slot >= 0);
    panel.resize(1280 - 170, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.tabs()->setCurrentWidget(view);
    QTableView* table = view->audienceTable(slot);
    QTRY_VERIFY(table->isVisible() && table->viewport()->height() > 50);
    const QRect cell = table->visualRect(table->model()->index(0, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.last().at(0).value<reco::DatasetId>(), panel.currentDataset()->id);
    QCOMPARE(requested.last().at(1).toString(), view->audienceModel(slot)->userIdAt(0));
  }

  void panelFitsBesideTheSidebarOfA1024PixelWindow() {
    // The window's sidebar takes 168 px of 1024: the panel, with every tab filled, must fit
    // the rest (a wider minimum widened the whole window).
    ItemsPanel panel(nullptr);
    QSignalSpy nearest(&panel, &ItemsPanel::nearestShown);
    panel.setWorkspace(shop_);
    QVERIFY(nearest.wait(kTimeoutMs));
    panel.resize(1024 - 168, 640);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    for (int tab = 0; tab < panel.tabs()->count(); ++tab) {
      panel.tabs()->setCurrentIndex(tab);
      QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), kTimeoutMs);
      QApplication::processEvents();
      QStringList parts;
      for (int page = 0; page < panel.tabs()->count(); ++page)
        parts << QStringLiteral("%1: %2")
                     .arg(panel.tabs()->tabText(page))
                     .arg(panel.tabs()->widget(page)->minimumSizeHint().width());
      QVERIFY2(panel.minimumSizeHint().width() <= 1024 - 168,
               qPrintable(QStringLiteral("tab %1: minimum %2 (%3; tabs %4; list %5)")
                              .arg(tab)
                              .arg(panel.minimumSizeHint().width())
                              .arg(parts.join(QStringLiteral(", ")))
                              .arg(panel.tabs()->minimumSizeHint().width())
                              .arg(panel.itemTable()->parentWidget()->minimumSizeHint().width())));
    }
  }

  void noWorkspaceNoRunsAndCancelSayWhatToDo() {
    ItemsPanel panel(nullptr);
    QVERIFY(!panel.isBusy());
    auto* cancel = panel.findChild<QPushButton*>(QStringLiteral("cancelItemsButton"));
    QVERIFY(cancel && cancel->isHidden());
    QSignalSpy items(&panel, &ItemsPanel::itemsShown);
    panel.setWorkspace(shop_);
    QVERIFY(!cancel->isHidden());
    cancel->click();
    QVERIFY(!panel.isBusy());
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("placeholder"))
                ->text()
                .contains(QStringLiteral("cancelled")));
    reco::ui::backgroundPool().waitForDone();  // the loaders' pool
    QCoreApplication::processEvents();
    QCOMPARE(items.count(), 0);
    panel.reload();
    QVERIFY(items.wait(kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), kTimeoutMs);
    // No run chosen: the lists say how to choose.
    panel.runChooser()->setChosenRuns({});
    QVERIFY(panel.nearestView()->lists().empty());
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("nearestMessage"))
                ->text()
                .contains(QStringLiteral("Runs button")));
  }
};

QTEST_MAIN(TestItemsPanel)
#include "test_items_panel.moc"
