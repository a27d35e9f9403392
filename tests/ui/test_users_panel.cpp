// The Users screen, offscreen, on workspaces made by the `reco` command line ($RECO_CLI) in a
// temporary folder: every model under QAbstractItemModelTester; searching and sorting the
// user list; paging through 50,000 generated users; a user's profile; and the side-by-side
// lists of two trained runs, which must equal `reco recommend --json` for the same runs
// and user, test marks and reasons included; Cancel stops what is being read.

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>
#include <cmath>
#include <set>

#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/models/recommendation_list_model.h"
#include "ui/models/user_history_model.h"
#include "ui/models/user_list_model.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/user_profile_view.h"
#include "ui/panels/users_panel.h"
#include "ui/plots/activity_timeline.h"
#include "ui/plots/price_band_chart.h"
#include "ui/plots/user_category_chart.h"
#include "ui/workers/background_pool.h"
#include "ui/workers/user_loader.h"

using reco::testing::runCli;
using reco::ui::RecommendationListModel;
using reco::ui::UserListModel;
using reco::ui::UsersPanel;

namespace {

constexpr int kTimeoutMs = 20000;

void cli(const QStringList& args) {
  const auto result = runCli(args);
  if (result.exitCode != 0)
    qFatal("reco %s failed (%d): %s", qPrintable(args.join(' ')), result.exitCode,
           result.err.constData());
}

/// Summaries made by hand: ids "9", "10", "a7" with categories Garden(0)/Kitchen(1).
reco::storage::UserSummaries handMadeSummaries() {
  reco::storage::UserSummaries s;
  s.categories = {"Garden", "Kitchen"};
  const char* ids[] = {"10", "9", "a7", "11"};
  s.idOffsets.push_back(0);
  for (const char* id : ids) {
    s.idPool += id;
    s.idOffsets.push_back(std::uint32_t(s.idPool.size()));
  }
  s.users = {0, 1, 2, 3};
  s.interactions = {5, 7, 1, 5};
  s.lastActive = {300, 100, reco::storage::UserSummaries::kNoTime, 200};
  s.topCategory = {1, 0, -1, 1};
  return s;
}

QStringList idsInOrder(const reco::storage::UserSummaries& s,
                       const std::vector<std::int32_t>& rows) {
  QStringList out;
  for (const auto row : rows)
    out << QString::fromStdString(std::string(s.externalId(std::size_t(row))));
  return out;
}

}  // namespace

class TestUsersPanel : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString shop_;  // 300 users, two runs (itemknn, pop) on split s1
  QString big_;   // 50,000 users, no runs

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
         "itemknn,pop", "--threads", "1"});
    big_ = dir_.filePath(QStringLiteral("big.reco"));
    cli({"--workspace", big_, "gen-synthetic", "--users", "50000", "--items", "2000",
         "--interactions", "120000", "--seed", "1", "--name", "big"});
  }

  void filterMatchesIdOrTopCategory() {
    const auto s = handMadeSummaries();
    QCOMPARE(idsInOrder(s, UserListModel::computeView(s, "KIT", UserListModel::IdColumn,
                                                      Qt::AscendingOrder)),
             (QStringList{"10", "11"}));
    QCOMPARE(idsInOrder(s, UserListModel::computeView(s, "a", UserListModel::IdColumn,
                                                      Qt::AscendingOrder)),
             (QStringList{"9", "a7"}));  // "a7" by id, "9" by Garden
    QCOMPARE(
        UserListModel::computeView(s, "zzz", UserListModel::IdColumn, Qt::AscendingOrder).size(),
        std::size_t(0));
  }

  void sortsByEveryColumnWithStableTies() {
    const auto s = handMadeSummaries();
    // Numeric ids in numeric order, then text.
    QCOMPARE(idsInOrder(
                 s, UserListModel::computeView(s, "", UserListModel::IdColumn, Qt::AscendingOrder)),
             (QStringList{"9", "10", "11", "a7"}));
    // Ties (10 and 11 both have 5) by user index, in either direction.
    QCOMPARE(idsInOrder(s, UserListModel::computeView(s, "", UserListModel::InteractionsColumn,
                                                      Qt::DescendingOrder)),
             (QStringList{"9", "10", "11", "a7"}));
    QCOMPARE(idsInOrder(s, UserListModel::computeView(s, "", UserListModel::InteractionsColumn,
                                                      Qt::AscendingOrder)),
             (QStringList{"a7", "10", "11", "9"}));
    // No time sorts first ascending.
    QCOMPARE(idsInOrder(s, UserListModel::computeView(s, "", UserListModel::LastActiveColumn,
                                                      Qt::AscendingOrder)),
             (QStringList{"a7", "9", "11", "10"}));
    // Categories by name, none last.
    QCOMPARE(idsInOrder(s, UserListModel::computeView(s, "", UserListModel::TopCategoryColumn,
                                                      Qt::AscendingOrder)),
             (QStringList{"9", "10", "11", "a7"}));
  }

  void userListModelUnderTesterSortsAndFiltersInTheBackground() {
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy updated(&model, &UserListModel::viewUpdated);
    model.setSummaries(std::make_shared<const reco::storage::UserSummaries>(handMadeSummaries()));
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.rowCount(), 4);
    // Default order: most interactions first.
    QCOMPARE(model.index(0, UserListModel::IdColumn).data().toString(), QString("9"));
    QCOMPARE(
        model.index(0, UserListModel::InteractionsColumn).data(UserListModel::SortRole).toInt(), 7);
    QCOMPARE(model.index(3, UserListModel::TopCategoryColumn).data().toString(), QString("–"));
    model.sort(UserListModel::IdColumn, Qt::DescendingOrder);
    QVERIFY(model.isUpdating());
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.index(0, UserListModel::IdColumn).data().toString(), QString("a7"));
    model.setFilter(QStringLiteral("garden"));
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.userAt(0), 1);
    QCOMPARE(model.rowOfUser(0), -1);  // filtered out
  }

  void pagesThroughFiftyThousandUsers() {
    // The model alone (no view fetching pages behind the test's back), under the tester.
    const auto summaries = reco::ui::UserLoader::readSummaries(big_.toStdString(), 1, {});
    QVERIFY(summaries);
    QCOMPARE(summaries->size(), std::size_t(50000));
    QVERIFY2(summaries->bytes() < 4u * 1024 * 1024, "the summary must stay compact");
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy updated(&model, &UserListModel::viewUpdated);
    model.setSummaries(summaries);
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.matchingRows(), 50000);
    // Only whole pages are exposed (the tester may have fetched one); fetchMore adds the next.
    const int first = model.rowCount();
    QVERIFY(first >= UserListModel::kPageRows && first % UserListModel::kPageRows == 0 &&
            first < 50000);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), first + UserListModel::kPageRows);
    // Descending by interactions.
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.index(row - 1, UserListModel::InteractionsColumn)
                  .data(UserListModel::SortRole)
                  .toInt() >= model.index(row, UserListModel::InteractionsColumn)
                                  .data(UserListModel::SortRole)
                                  .toInt());
    // A user deep in the order: asking for its row exposes the pages up to it.
    const int deep = model.rowOfUser(summaries->users[49999]);
    QVERIFY(deep >= 0);
    QVERIFY(model.rowCount() > deep);
    QCOMPARE(model.userAt(deep), summaries->users[49999]);
  }

  void panelFindsAUserAmongFiftyThousand() {
    UsersPanel panel(nullptr);
    UserListModel* model = panel.userModel();
    QSignalSpy shown(&panel, &UsersPanel::usersShown);
    panel.setWorkspace(big_);
    QVERIFY(shown.wait(kTimeoutMs));
    QCOMPARE(model->matchingRows(), 50000);
    QVERIFY(model->rowCount() < 50000);  // paged
    const std::string last(model->summaries()->externalId(49999));
    QVERIFY(panel.selectUser(QString::fromStdString(last)));
    QCOMPARE(*panel.selectedUser(), model->summaries()->users[49999]);
    QSignalSpy updated(model, &UserListModel::viewUpdated);
    panel.searchField()->setText(QString::fromStdString(last));
    QVERIFY(updated.wait(kTimeoutMs));
    QVERIFY(model->matchingRows() >= 1 && model->matchingRows() < 50000);
    // The selected user stays selected when the filter keeps it.
    QCOMPARE(*panel.selectedUser(), model->summaries()->users[49999]);
    QCOMPARE(model->userAt(panel.userTable()->currentIndex().row()),
             model->summaries()->users[49999]);
  }

  // A million users are listed from their ids and counts before their interactions are
  // read: the columns not read yet say "…", and the whole summaries then replace them with
  // the chosen user still chosen.
  void theListShowsIdsAndCountsFirstThenEverything() {
    UserListModel model;
    auto partial = std::make_shared<reco::storage::UserSummaries>(handMadeSummaries());
    partial->partial = true;
    model.setSummaries(partial);
    QSignalSpy updated(&model, &UserListModel::viewUpdated);
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.index(0, UserListModel::LastActiveColumn).data().toString(),
             QStringLiteral("…"));
    QCOMPARE(model.index(0, UserListModel::TopCategoryColumn).data().toString(),
             QStringLiteral("…"));
    QVERIFY(model.index(0, UserListModel::InteractionsColumn).data().toString() != "…");

    UsersPanel panel(nullptr);
    std::vector<bool> shown;  // `partial` of the summaries the list showed, as it changed
    connect(panel.userModel(), &QAbstractItemModel::modelReset, this, [&] {
      const auto& summaries = panel.userModel()->summaries();
      if (summaries && (shown.empty() || shown.back() != summaries->partial))
        shown.push_back(summaries->partial);
    });
    QSignalSpy listed(&panel, &UsersPanel::usersListed);
    QSignalSpy whole(&panel, &UsersPanel::usersShown);
    panel.setWorkspace(big_);
    QVERIFY(whole.wait(kTimeoutMs));
    QCOMPARE(shown, (std::vector<bool>{true, false}));
    QVERIFY(listed.count() >= 2);  // the partial list, then the whole
    QVERIFY(!panel.userModel()->summaries()->partial);
    QTRY_VERIFY_WITH_TIMEOUT(panel.selectedUser().has_value(), kTimeoutMs);
    const QModelIndex current = panel.userTable()->currentIndex();
    QCOMPARE(panel.userModel()->userAt(current.row()), *panel.selectedUser());
    QVERIFY(current.siblingAtColumn(UserListModel::LastActiveColumn).data().toString() != "…");
    // Nothing is loading any more, and the panel says so.
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), kTimeoutMs);
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("busyLabel"))->isHidden());
  }

  void searchSelectsASoleMatchAndNeverShowsAHiddenUser() {
    UsersPanel panel(nullptr);
    UserListModel* model = panel.userModel();
    QSignalSpy shown(&panel, &UsersPanel::usersShown);
    panel.setWorkspace(shop_);
    QVERIFY(shown.wait(kTimeoutMs));
    const auto& summaries = *model->summaries();
    const auto first = panel.selectedUser();
    QVERIFY(first.has_value());
    // A user whose id no other user's id or top category contains.
    QString sole;
    std::int32_t soleUser = -1;
    for (std::size_t row = 0; row < summaries.size() && sole.isEmpty(); ++row) {
      const QString id = QString::fromStdString(std::string(summaries.externalId(row)));
      if (summaries.users[row] == *first) continue;
      if (UserListModel::computeView(summaries, id, UserListModel::IdColumn, Qt::AscendingOrder)
              .size() == 1) {
        sole = id;
        soleUser = summaries.users[row];
      }
    }
    QVERIFY(!sole.isEmpty());
    auto search = [&](const QString& text) {
      QSignalSpy updated(model, &UserListModel::viewUpdated);
      panel.searchField()->setText(text);
      return updated.wait(kTimeoutMs);
    };
    // The sole match is selected and shown.
    QSignalSpy profile(&panel, &UsersPanel::profileShown);
    QVERIFY(search(sole));
    QCOMPARE(model->matchingRows(), 1);
    QCOMPARE(panel.selectedUser(), std::optional<std::int32_t>(soleUser));
    QTRY_VERIFY_WITH_TIMEOUT(!profile.isEmpty() && profile.last().at(0).toString() == sole,
                             kTimeoutMs);
    // No match: nobody is shown, neither profile nor lists.
    QVERIFY(search(QStringLiteral("no-such-user-or-category")));
    QCOMPARE(model->matchingRows(), 0);
    QVERIFY(!panel.selectedUser().has_value());
    for (const auto& list : panel.listsView()->lists()) QVERIFY(!list);
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("userHeading"))
                ->text()
                .contains(QStringLiteral("No user")));
    // Several matches without the shown user: nobody is shown until one is chosen.
    QVERIFY(search(QString()));
    QVERIFY(panel.selectedUser().has_value());
    const std::int32_t shownUser = *panel.selectedUser();
    QString other;
    for (std::size_t row = 0; row < summaries.size() && other.isEmpty(); ++row) {
      if (summaries.topCategory[row] < 0) continue;
      const QString category =
          QString::fromStdString(summaries.categories[std::size_t(summaries.topCategory[row])]);
      const auto view = UserListModel::computeView(summaries, category, UserListModel::IdColumn,
                                                   Qt::AscendingOrder);
      const bool hidesShown = std::none_of(view.begin(), view.end(), [&](std::int32_t r) {
        return summaries.users[std::size_t(r)] == shownUser;
      });
      if (view.size() > 1 && hidesShown) other = category;
    }
    QVERIFY(!other.isEmpty());
    QVERIFY(search(other));
    QVERIFY(model->matchingRows() > 1);
    QVERIFY(!panel.selectedUser().has_value());
    QVERIFY(!panel.userTable()->selectionModel()->hasSelection());
  }

  void listsShowEveryRankTheFullReasonAndTheOverlap() {
    UsersPanel panel(nullptr);
    QSignalSpy lists(&panel, &UsersPanel::listsShown);
    panel.setWorkspace(shop_);
    QVERIFY(lists.wait(kTimeoutMs));
    auto* view = panel.listsView();
    lists.clear();
    view->setListLength(12);
    QVERIFY(lists.wait(kTimeoutMs));
    // Two lists in a 1320 px window: side by side, nothing scrolls.
    panel.resize(1320 - 170, 860);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* scroll = panel.findChild<QScrollArea*>(QStringLiteral("listsScroll"));
    QTRY_COMPARE(scroll->horizontalScrollBar()->maximum(), 0);
    for (int slot = 0; slot < 2; ++slot) {
      auto* table = panel.findChild<QTableView*>(QStringLiteral("recommendationList%1").arg(slot));
      QVERIFY(table);
      auto* model = view->listModel(slot);
      QCOMPARE(model->rowCount(), 12);
      QCOMPARE(model->index(11, RecommendationListModel::RankColumn).data().toInt(), 12);
      // Rank 12 fits its column (a 30 px column showed ranks from 10 on blank).
      const QAbstractItemView* itemView = table;
      const int needed = itemView->sizeHintForColumn(RecommendationListModel::RankColumn);
      QVERIFY2(table->columnWidth(RecommendationListModel::RankColumn) >= needed,
               qPrintable(QStringLiteral("%1 < %2")
                              .arg(table->columnWidth(RecommendationListModel::RankColumn))
                              .arg(needed)));
      // The title's tooltip has everything the cell elides: title, id, category and the full
      // reason.
      const auto& item = model->list()->items.front();
      QVERIFY(!item.reason.empty());
      QTextDocument tip;
      tip.setHtml(
          model->index(0, RecommendationListModel::TitleColumn).data(Qt::ToolTipRole).toString());
      const QString text = tip.toPlainText();
      for (const std::string& part :
           {item.meta.title, item.meta.externalId, item.meta.category, item.reason})
        QVERIFY2(text.contains(QString::fromStdString(part)), qPrintable(text));
    }
    // Every overlap cell fits: "10  (0.43)", not "6 …".
    auto* overlap = panel.findChild<QTableView*>(QStringLiteral("overlapTable"));
    QVERIFY(overlap && overlap->isVisible());
    const QAbstractItemView* overlapView = overlap;
    for (int c = 0; c < view->overlapModel()->columnCount(); ++c) {
      QVERIFY(overlap->columnWidth(c) >= overlapView->sizeHintForColumn(c));
      QVERIFY(overlap->horizontalHeader()->sectionViewportPosition(c) + overlap->columnWidth(c) <=
              overlap->viewport()->width());
    }
  }

  void historyTitlesGetTheRoom() {
    // In a 1320 x 900 window the title column got ~40 px while the category took the rest.
    UsersPanel panel(nullptr);
    QSignalSpy profile(&panel, &UsersPanel::profileShown);
    panel.setWorkspace(shop_);
    QVERIFY(profile.wait(kTimeoutMs));
    panel.findChild<QTabWidget*>(QStringLiteral("userTabs"))->setCurrentWidget(panel.profileView());
    for (const int width : {1320 - 170, 1024 - 170, 1920 - 170}) {
      panel.resize(width, 860);
      panel.show();
      QVERIFY(QTest::qWaitForWindowExposed(&panel));
      QTableView* table = panel.profileView()->historyTable();
      QTRY_VERIFY(table->isVisible());
      QApplication::processEvents();
      const int title = table->columnWidth(reco::ui::UserHistoryModel::TitleColumn);
      const int category = table->columnWidth(reco::ui::UserHistoryModel::CategoryColumn);
      const QString what =
          QStringLiteral("width %1: title %2, category %3").arg(width).arg(title).arg(category);
      QVERIFY2(title >= 100, qPrintable(what));
      // From 1320 px on, the title gets the larger part and every column fits.
      if (width >= 1320 - 170) {
        QVERIFY2(title >= category && title >= 150, qPrintable(what));
        QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
      }
    }
  }

  void profileShowsHistoryAndCharts() {
    UsersPanel panel(nullptr);
    auto* history = panel.profileView()->historyModel();
    QAbstractItemModelTester tester(history,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy profile(&panel, &UsersPanel::profileShown);
    panel.setWorkspace(shop_);
    QVERIFY(profile.wait(kTimeoutMs));
    const auto user = panel.selectedUser();
    QVERIFY(user.has_value());
    // The first row is the most active user: the history has all of its interactions.
    const int interactions = panel.userModel()
                                 ->index(0, UserListModel::InteractionsColumn)
                                 .data(UserListModel::SortRole)
                                 .toInt();
    QCOMPARE(history->rowCount(), interactions);
    QVERIFY(panel.profileView()->categoryChart()->barCount() > 0);
    QVERIFY(panel.profileView()->activityTimeline()->barCount() > 0);
    QVERIFY(panel.profileView()->priceBand()->binCount() > 0);
    QVERIFY(panel.profileView()->priceBand()->caption().contains(QStringLiteral("median")));
    // Split parts are marked: the test items of the history are the split's test pairs.
    reco::storage::Workspace ws(shop_.toStdString(),
                                reco::storage::Workspace::OpenMode::OpenExisting);
    const auto dataset = ws.requireDataset("shop");
    const auto split = reco::storage::requireSplit(ws, dataset.id, "s1");
    const auto parts = reco::storage::loadUserSplitParts(ws, split, *user);
    std::set<int> marked;
    for (int row = 0; row < history->rowCount(); ++row)
      if (history->index(row, reco::ui::UserHistoryModel::PartColumn).data().toString() ==
          QStringLiteral("test"))
        marked.insert(
            history->index(row, 0).data(reco::ui::UserHistoryModel::ItemIndexRole).toInt());
    QCOMPARE(marked, std::set<int>(parts.test.begin(), parts.test.end()));
    QVERIFY(panel.profileView()->summaryText().contains(QStringLiteral("split s1")));
  }

  void sideBySideListsEqualTheCommandLine() {
    UsersPanel panel(nullptr);
    QSignalSpy lists(&panel, &UsersPanel::listsShown);
    QSignalSpy users(&panel, &UsersPanel::usersShown);
    panel.setWorkspace(shop_);
    QVERIFY(users.wait(kTimeoutMs));
    auto* view = panel.listsView();
    QCOMPARE(int(view->chosenRuns().size()), 2);
    view->setChosenRuns({"itemknn", "pop"});
    QAbstractItemModelTester first(view->listModel(0),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester second(view->listModel(1),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester overlap(view->overlapModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);

    // Three users: the most active one and two from further down the list.
    int hits = 0;
    for (const int row : {0, 7, 42}) {
      lists.clear();
      const QString userId =
          panel.userModel()->index(row, UserListModel::IdColumn).data().toString();
      QVERIFY(panel.selectUser(userId));
      QVERIFY2(lists.count() > 0 || lists.wait(kTimeoutMs), qPrintable(userId));
      QCOMPARE(lists.last().at(0).toString(), userId);
      const auto shown = view->lists();
      QCOMPARE(int(shown.size()), 2);
      // The test marks, checked against the split's stored test pairs themselves.
      std::set<std::int32_t> heldOut;
      {
        reco::storage::Workspace ws(shop_.toStdString(),
                                    reco::storage::Workspace::OpenMode::OpenExisting);
        reco::storage::Statement st(
            ws.db(),
            "SELECT item_idx FROM split_pairs WHERE split_id = ?1 AND user_idx = ?2 AND part = 2");
        st.bind(1, shown[0]->run.splitId).bind(2, std::int64_t(*panel.selectedUser()));
        while (st.step()) heldOut.insert(std::int32_t(st.columnInt(0)));
      }
      for (const auto& list : shown)
        for (const auto& item : list->items)
          QCOMPARE(item.inTest, heldOut.count(item.meta.item) > 0);
      for (const auto& list : shown) {
        QVERIFY(list && list->final);
        QVERIFY2(list->error.empty(), list->error.c_str());
        const auto result =
            runCli({"--workspace", shop_, "recommend", "--run",
                    QString::fromStdString(list->run.name), "--user", userId, "--json"});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonArray expected =
            QJsonDocument::fromJson(result.out).object().value("items").toArray();
        QCOMPARE(int(list->items.size()), int(expected.size()));
        QCOMPARE(int(list->items.size()), reco::ui::RecommendationListsView::kDefaultN);
        for (int r = 0; r < expected.size(); ++r) {
          const QJsonObject cli = expected[r].toObject();
          const auto& item = list->items[std::size_t(r)];
          QCOMPARE(QString::fromStdString(item.meta.externalId), cli.value("item").toString());
          QCOMPARE(QString::fromStdString(item.meta.title), cli.value("title").toString());
          QCOMPARE(QString::fromStdString(item.meta.category), cli.value("category").toString());
          QCOMPARE(item.inTest, cli.value("in_test").toBool());
          QCOMPARE(QString::fromStdString(item.reason), cli.value("reason").toString());
          QVERIFY(
              reco::testing::nearlyEqual(double(item.score), cli.value("score").toDouble(), 1e-5));
          hits += item.inTest;
        }
      }
      // The table shows the same: rank, test mark, reason.
      auto* model = view->listModel(0);
      QCOMPARE(model->rowCount(), 10);
      QCOMPARE(model->index(0, RecommendationListModel::RankColumn).data().toInt(), 1);
      for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, RecommendationListModel::TestColumn)
                     .data(RecommendationListModel::InTestRole)
                     .toBool(),
                 shown[0]->items[std::size_t(r)].inTest);
      // The overlap: the diagonal is each list's length, the off-diagonal the shared items.
      auto* o = view->overlapModel();
      QCOMPARE(o->rowCount(), 2);
      QCOMPARE(o->shared(0, 0), 10);
      std::set<std::int32_t> a, b;
      for (const auto& item : shown[0]->items) a.insert(item.meta.item);
      for (const auto& item : shown[1]->items) b.insert(item.meta.item);
      int both = 0;
      for (const auto item : a) both += b.count(item) > 0;
      QCOMPARE(o->shared(0, 1), both);
      QCOMPARE(int(o->commonItems().size()), both);
      QCOMPARE(o->jaccard(0, 1), double(both) / double(20 - both));
    }
    QVERIFY2(hits > 0, "some recommended item should be a held-out test item");
  }

  void storedListMatchesTheModelsList() {
    // The preview from run_store must be the list the model makes (ranks and items).
    reco::storage::Workspace ws(shop_.toStdString(),
                                reco::storage::Workspace::OpenMode::OpenExisting);
    const auto run = reco::storage::requireRun(ws, "itemknn");
    const auto split = *reco::storage::findSplit(ws, run.splitId);
    const auto users = reco::storage::runEvalUsers(ws, run.id);
    QVERIFY(!users.empty());
    const auto stored =
        reco::ui::UserLoader::readStoredList(shop_.toStdString(), run, split, users.front(), 10);
    const auto made =
        reco::ui::UserLoader::makeList(shop_.toStdString(), run, split, users.front(), 10, nullptr);
    QVERIFY(stored && made);
    QVERIFY(!stored->final && made->final);
    QCOMPARE(stored->items.size(), made->items.size());
    for (std::size_t r = 0; r < made->items.size(); ++r) {
      QCOMPARE(stored->items[r].meta.item, made->items[r].meta.item);
      QCOMPARE(stored->items[r].inTest, made->items[r].inTest);
    }
  }

  void brokenModelShowsItsErrorInPlace() {
    const QString copy = dir_.filePath(QStringLiteral("broken.reco"));
    QVERIFY(QFile::copy(shop_, copy));
    {
      reco::storage::Workspace ws(copy.toStdString(),
                                  reco::storage::Workspace::OpenMode::OpenExisting);
      ws.db().exec(
          "UPDATE run_models SET data = x'00010203' WHERE run_id = (SELECT id FROM runs WHERE name "
          "= 'pop')");
    }
    UsersPanel panel(nullptr);
    QSignalSpy lists(&panel, &UsersPanel::listsShown);
    panel.setWorkspace(copy);
    QVERIFY(lists.wait(kTimeoutMs));
    const auto shown = panel.listsView()->lists();
    QCOMPARE(int(shown.size()), 2);
    int failed = 0;
    for (const auto& list : shown) {
      if (list->run.name == "pop") {
        QVERIFY(!list->error.empty());
        ++failed;
      } else {
        QVERIFY(list->error.empty());
        QCOMPARE(int(list->items.size()), 10);
      }
    }
    QCOMPARE(failed, 1);
  }

  void fourListsScrollInsteadOfSqueezing() {
    const QString four = dir_.filePath(QStringLiteral("four.reco"));
    cli({"--workspace", four, "gen-synthetic", "--users", "120", "--items", "80", "--interactions",
         "2000", "--seed", "5", "--name", "shop"});
    cli({"--workspace", four, "split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
         "--seed", "42", "--name", "s1"});
    cli({"--workspace", four, "train", "--dataset", "shop", "--split", "s1", "--model",
         "pop,itemknn,ease,als", "--threads", "1"});
    UsersPanel panel(nullptr);
    QSignalSpy lists(&panel, &UsersPanel::listsShown);
    panel.setWorkspace(four);
    QVERIFY(lists.wait(kTimeoutMs));
    lists.clear();
    panel.listsView()->setChosenRuns({"pop", "itemknn", "ease", "als"});
    QVERIFY(lists.wait(kTimeoutMs));
    // Four lists in a window too narrow for them: each keeps its readable width and the
    // row of lists scrolls sideways.
    panel.resize(1000, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    for (const char* name : {"listColumn0", "listColumn1", "listColumn2", "listColumn3"}) {
      auto* column = panel.findChild<QWidget*>(QLatin1String(name));
      QVERIFY(column && column->isVisible());
      QVERIFY2(column->width() >= reco::ui::RecommendationListsView::kMinListWidth, name);
    }
    auto* scroll = panel.findChild<QScrollArea*>(QStringLiteral("listsScroll"));
    QVERIFY(scroll);
    QVERIFY(scroll->horizontalScrollBar()->maximum() > 0);
    // Wide enough, nothing scrolls.
    panel.resize(2000, 700);
    QTRY_COMPARE(scroll->horizontalScrollBar()->maximum(), 0);
  }

  void runsThatArriveLaterJoinTheDefaultLists() {
    // The demo's first start: the Users panel reads the workspace after each run finishes.
    // The lists must end side by side, not on the first run that finished.
    const QString grow = dir_.filePath(QStringLiteral("grow.reco"));
    cli({"--workspace", grow, "gen-synthetic", "--users", "120", "--items", "80", "--interactions",
         "2000", "--seed", "5", "--name", "shop"});
    cli({"--workspace", grow, "split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
         "--seed", "42", "--name", "s1"});
    cli({"--workspace", grow, "train", "--dataset", "shop", "--split", "s1", "--model", "pop",
         "--threads", "1"});
    UsersPanel panel(nullptr);
    QSignalSpy lists(&panel, &UsersPanel::listsShown);
    panel.setWorkspace(grow);
    QVERIFY(lists.wait(kTimeoutMs));
    QCOMPARE(int(panel.listsView()->chosenRuns().size()), 1);
    cli({"--workspace", grow, "train", "--dataset", "shop", "--split", "s1", "--model",
         "itemknn,ease,als", "--threads", "1"});
    panel.reload();
    QTRY_COMPARE_WITH_TIMEOUT(int(panel.listsView()->chosenRuns().size()),
                              reco::ui::RecommendationListsView::kDefaultLists, kTimeoutMs);
    // A choice made by hand stays when more runs arrive.
    panel.listsView()->setChosenRuns({"als"});
    cli({"--workspace", grow, "train", "--dataset", "shop", "--split", "s1", "--model", "pop",
         "--name", "pop-2", "--threads", "1"});
    panel.reload();
    QTRY_VERIFY_WITH_TIMEOUT(panel.listsView()->chosenRuns().size() == 1 && !panel.isBusy(),
                             kTimeoutMs);
    QTest::qWait(200);
    QCOMPARE(int(panel.listsView()->chosenRuns().size()), 1);
    QCOMPARE(QString::fromStdString(panel.listsView()->chosenRuns().front().name),
             QStringLiteral("als"));
  }

  void noWorkspaceAndNoRunsSayWhatToDo() {
    UsersPanel panel(nullptr);
    QVERIFY(!panel.isBusy());
    QSignalSpy users(&panel, &UsersPanel::usersShown);
    panel.setWorkspace(big_);
    QVERIFY(users.wait(kTimeoutMs));
    QVERIFY(panel.listsView()->chosenRuns().empty());
    QVERIFY(panel.listsView()->lists().empty());
  }
  void cancelStopsWhatIsBeingRead() {
    UsersPanel panel(nullptr);
    auto* cancel = panel.findChild<QPushButton*>(QStringLiteral("cancelUsersButton"));
    QVERIFY(cancel);
    QVERIFY(cancel->isHidden());
    QSignalSpy users(&panel, &UsersPanel::usersShown);
    QSignalSpy profiles(&panel, &UsersPanel::profileShown);
    const auto text = [&](const char* name) {
      return panel.findChild<QLabel*>(QLatin1String(name))->text();
    };

    // Reading the workspace, cancelled at once: nothing arrives and the panel says so.
    panel.setWorkspace(shop_);
    QVERIFY(!cancel->isHidden());
    cancel->click();
    QVERIFY(!panel.isBusy());
    QVERIFY(cancel->isHidden());
    QVERIFY2(text("placeholder").contains(QStringLiteral("cancelled")),
             qPrintable(text("placeholder")));
    reco::ui::backgroundPool().waitForDone();  // the loaders' pool
    QCoreApplication::processEvents();
    QCOMPARE(users.count(), 0);

    // F5 reads everything again: the users, then the first user's profile and lists.
    QSignalSpy lists(&panel, &UsersPanel::listsShown);
    panel.reload();
    QVERIFY(lists.wait(kTimeoutMs));
    // The lists may come before the whole user list: the first user is chosen from the
    // partial one (ids and counts) that comes first.
    QTRY_COMPARE_WITH_TIMEOUT(users.count(), 1, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), kTimeoutMs);

    // Another user: their history and lists are under way when Cancel is clicked.
    const QString other = panel.userModel()->index(1, UserListModel::IdColumn).data().toString();
    profiles.clear();
    lists.clear();
    QVERIFY(panel.selectUser(other));
    QVERIFY(!cancel->isHidden());
    cancel->click();
    QVERIFY(!panel.isBusy());
    QVERIFY2(text("profileMessage").contains(QStringLiteral("cancelled")),
             qPrintable(text("profileMessage")));
    QVERIFY2(text("listsMessage").contains(QStringLiteral("cancelled")),
             qPrintable(text("listsMessage")));
    reco::ui::backgroundPool().waitForDone();  // the loaders' pool
    QCoreApplication::processEvents();
    QCOMPARE(profiles.count(), 0);
    QCOMPARE(lists.count(), 0);
    for (const auto& list : panel.listsView()->lists()) QVERIFY(!list);

    // F5 brings back the same user's history.
    panel.reload();
    QVERIFY(profiles.wait(kTimeoutMs));
    QCOMPARE(profiles.last().at(0).toString(), other);
  }
};

QTEST_MAIN(TestUsersPanel)
#include "test_users_panel.moc"
