// The Items screen, offscreen, on a workspace made by the `reco` command line ($RECO_CLI) in a
// temporary folder: the nearest-items and audience models under QAbstractItemModelTester;
// the loader's nearest items and audiences, which must equal `reco similar --json` and
// `reco shown --json` for the same runs and item; a model without similar items says why;
// the side-by-side views and their overlap.

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/models/item_audience_model.h"
#include "ui/models/nearest_items_model.h"
#include "ui/models/recommendation_list_model.h"
#include "ui/panels/item_audience_view.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/workers/item_loader.h"
#include "ui/workers/run_model_cache.h"

using reco::testing::runCli;
using reco::ui::ItemAudienceModel;
using reco::ui::ItemLoader;
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
      const auto audience =
          ItemLoader::readAudience(shop_.toStdString(), run(name), item_, nullptr, {});
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
    QVERIFY(!ItemLoader::readAudience(shop_.toStdString(), run("als"), item_, nullptr,
                                      stop.get_token()));
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
    const auto audience =
        ItemLoader::readAudience(shop_.toStdString(), run("als"), item_, nullptr, {});
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
};

QTEST_MAIN(TestItemsPanel)
#include "test_items_panel.moc"
