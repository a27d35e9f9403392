// The merchandiser's path through the window (issue 13), offscreen, on a workspace made by the
// `reco` command line ($RECO_CLI) with two runs (itemknn and als) of one split: open a user in
// the Users panel, double-click an item of their history, and the window shows it in the
// Items panel; its nearest items for both runs, read from the panel's tables, equal
// `reco similar --run R --item ID --json`, and who is shown it equals `reco shown --json`;
// a double-click on a user of the audience goes back to the Users panel with that user, and a
// double-click on an item of their recommendations opens that item in Items again.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/models/item_audience_model.h"
#include "ui/models/item_list_model.h"
#include "ui/models/nearest_items_model.h"
#include "ui/models/recommendation_list_model.h"
#include "ui/models/user_history_model.h"
#include "ui/panels/item_audience_view.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/run_choice_button.h"
#include "ui/panels/user_profile_view.h"
#include "ui/panels/users_panel.h"

using reco::testing::runCli;
using reco::ui::ItemsPanel;
using reco::ui::MainWindow;
using reco::ui::NearestItemsModel;

namespace {

constexpr int kTimeoutMs = 30000;

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

/// Double-clicks the cell (row, column) of `table`, as a person does (a click first).
void doubleClick(QTableView* table, int row, int column) {
  QTRY_VERIFY(table->isVisible() && table->viewport()->height() > 40);
  const QRect cell = table->visualRect(table->model()->index(row, column));
  QVERIFY(!cell.isEmpty());
  QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
  QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
}

}  // namespace

class TestItemsEndToEnd : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // the window's QSettings go to a test location
    reco::ui::setUpApplication(*qApp);
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run through ctest)");
  }

  void fromAUsersHistoryToAnItemAndBack() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shop.reco"));
    cli({"--workspace", path, "gen-synthetic", "--users", "400", "--items", "250", "--interactions",
         "8000", "--seed", "11", "--name", "shop"});
    cli({"--workspace", path, "split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
         "--seed", "42", "--name", "holdout"});
    cli({"--workspace", path, "train", "--dataset", "shop", "--split", "holdout", "--model",
         "itemknn,als", "--threads", "1"});

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* users = window.usersPanel();
    auto* items = window.itemsPanel();
    QSignalSpy usersShown(users, &reco::ui::UsersPanel::usersShown);
    QSignalSpy profileShown(users, &reco::ui::UsersPanel::profileShown);
    QSignalSpy listsShown(users, &reco::ui::UsersPanel::listsShown);
    window.openWorkspace(path);

    // 1. A user in the Users panel: their history, on the Profile tab.
    QVERIFY(window.showPanel(QStringLiteral("Users")));
    QTRY_VERIFY_WITH_TIMEOUT(usersShown.count() > 0, kTimeoutMs);
    const QString userId = users->userModel()->index(3, 0).data().toString();
    QVERIFY(users->selectUser(userId));
    QTRY_VERIFY_WITH_TIMEOUT(
        !profileShown.isEmpty() && profileShown.last().at(0).toString() == userId, kTimeoutMs);
    users->findChild<QTabWidget*>(QStringLiteral("userTabs"))
        ->setCurrentWidget(users->profileView());
    QTableView* history = users->profileView()->historyTable();
    QVERIFY(history->model()->rowCount() > 0);
    const std::int32_t item =
        history->model()->index(0, 0).data(reco::ui::UserHistoryModel::ItemIndexRole).toInt();

    // 2. A double-click on an item of the history opens it in the Items panel.
    QSignalSpy nearestShown(items, &ItemsPanel::nearestShown);
    QSignalSpy audienceShown(items, &ItemsPanel::audienceShown);
    doubleClick(history, 0, reco::ui::UserHistoryModel::TitleColumn);
    QCOMPARE(window.currentPanel(), QStringLiteral("Items"));
    QTRY_COMPARE_WITH_TIMEOUT(items->selectedItem(), std::optional<std::int32_t>(item), kTimeoutMs);
    QCOMPARE(QString::fromStdString(items->currentSplit()->name), QStringLiteral("holdout"));
    const auto& summaries = *items->itemModel()->summaries();
    const QString itemId = QString::fromStdString(
        std::string(summaries.externalId(std::size_t(summaries.rowOfItem(item)))));

    // 3. Its nearest items by both runs, as the panel's tables show them, equal `reco similar`.
    nearestShown.clear();
    audienceShown.clear();
    // In the window the lists are read while their tab is chosen (the Profile tab is first).
    items->tabs()->setCurrentWidget(items->nearestView());
    items->runChooser()->setChosenRuns({QStringLiteral("itemknn"), QStringLiteral("als")});
    QTRY_VERIFY_WITH_TIMEOUT(
        !nearestShown.isEmpty() && nearestShown.last().at(0).toString() == itemId &&
            !audienceShown.isEmpty() && audienceShown.last().at(0).toString() == itemId,
        kTimeoutMs);
    const QStringList runs{QStringLiteral("itemknn"), QStringLiteral("als")};
    for (int slot = 0; slot < 2; ++slot) {
      const QString& run = runs[slot];
      auto* model = items->nearestView()->listModel(slot);
      QCOMPARE(QString::fromStdString(model->list()->run.name), run);
      const QJsonArray expected =
          cliJson({"--workspace", path, "similar", "--run", run, "--item", itemId, "--json"})
              .value("similar")
              .toArray();
      QCOMPARE(model->rowCount(), expected.size());
      QCOMPARE(model->rowCount(), ItemsPanel::kDefaultN);
      for (int r = 0; r < expected.size(); ++r) {
        const QJsonObject cli = expected[r].toObject();
        QCOMPARE(model->index(r, 0).data(NearestItemsModel::ItemIdRole).toString(),
                 cli.value("item").toString());
        QCOMPARE(model->index(r, NearestItemsModel::TitleColumn).data().toString(),
                 cli.value("title").toString());
        QVERIFY(reco::testing::nearlyEqual(model->index(r, NearestItemsModel::SimilarityColumn)
                                               .data(NearestItemsModel::SortRole)
                                               .toDouble(),
                                           cli.value("similarity").toDouble(), 1e-6));
      }
      // 4. Who is shown it equals `reco shown`.
      const QJsonObject shown =
          cliJson({"--workspace", path, "shown", "--run", run, "--item", itemId, "--json"});
      auto* audience = items->audienceView()->audienceModel(slot);
      QCOMPARE(qint64(audience->rowCount()), qint64(shown.value("shown_to").toInteger()));
      QCOMPARE(audience->audience()->listedUsers, qint64(shown.value("listed_users").toInteger()));
      QVERIFY2(items->audienceView()->summaryText(slot).contains(
                   QString::number(shown.value("shown_to").toInteger())),
               qPrintable(items->audienceView()->summaryText(slot)));
    }

    // 5. A double-click on a user who is shown it goes back to the Users panel with them.
    int slot = -1;
    for (int s = 0; s < 2 && slot < 0; ++s)
      if (items->audienceView()->audienceModel(s)->rowCount() > 0) slot = s;
    QVERIFY2(slot >= 0, "some run shows the item to someone");
    items->tabs()->setCurrentWidget(items->audienceView());
    const QString shownUser = items->audienceView()->audienceModel(slot)->userIdAt(0);
    listsShown.clear();
    doubleClick(items->audienceView()->audienceTable(slot), 0, 0);
    QCOMPARE(window.currentPanel(), QStringLiteral("Users"));
    QTRY_VERIFY_WITH_TIMEOUT(
        !listsShown.isEmpty() && listsShown.last().at(0).toString() == shownUser, kTimeoutMs);
    const auto& userSummaries = *users->userModel()->summaries();
    QCOMPARE(QString::fromStdString(std::string(userSummaries.externalId(
                 std::size_t(std::find(userSummaries.users.begin(), userSummaries.users.end(),
                                       *users->selectedUser()) -
                             userSummaries.users.begin())))),
             shownUser);

    // 6. And an item of their recommendations opens in Items again.
    users->findChild<QTabWidget*>(QStringLiteral("userTabs"))->setCurrentWidget(users->listsView());
    auto* list = users->listsView()->listModel(0);
    QVERIFY(list->rowCount() > 0);
    const std::int32_t recommended =
        list->index(0, 0).data(reco::ui::RecommendationListModel::ItemIndexRole).toInt();
    doubleClick(users->findChild<QTableView*>(QStringLiteral("recommendationList0")), 0,
                reco::ui::RecommendationListModel::TitleColumn);
    QCOMPARE(window.currentPanel(), QStringLiteral("Items"));
    QTRY_COMPARE_WITH_TIMEOUT(items->selectedItem(), std::optional<std::int32_t>(recommended),
                              kTimeoutMs);
  }
};

QTEST_MAIN(TestItemsEndToEnd)
#include "test_items_end_to_end.moc"
