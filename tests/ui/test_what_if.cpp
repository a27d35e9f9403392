// The Users panel's what-if (issue 14), offscreen, on ML-100K with itemknn and bpr runs
// trained in a temporary workspace by the `reco` command line ($RECO_CLI): removing the top
// (newest) item of user 196's history re-scores the runs; the itemknn list shown equals
// `reco recommend --run itemknn --user 196 --history <the same items> --json` item for item,
// and bpr says it cannot re-score instead of showing a list. An edited list marks its new
// items and lists the items that left with their old rank; Reset restores the stored list;
// a dragged item joins the history; scenarios save, refuse a duplicate name, reopen and
// delete; a new visitor gets the fallback's list, marked. An event-loop probe (a 10 ms timer
// on the GUI thread) never waits over 100 ms while any of it computes. Slow (ML-100K) and
// timing (the probe): see tests/CMakeLists.txt.

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <algorithm>
#include <memory>
#include <set>

#include "tests/support/cli_runner.h"
#include "tests/support/event_loop_probe.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/models/edited_history_model.h"
#include "ui/models/what_if_list_model.h"
#include "ui/panels/history_editor.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/users_panel.h"
#include "ui/panels/what_if_lists_view.h"

using reco::ui::EditedHistoryModel;
using reco::ui::UsersPanel;
using reco::ui::WhatIfListModel;

namespace {

constexpr int kTimeoutMs = 120000;
constexpr qint64 kMaxGapMs = 100;
const QString kUser = QStringLiteral("196");

using reco::testing::EventLoopProbe;

void cli(const QStringList& args) {
  const auto result = reco::testing::runCli(args);
  if (result.exitCode != 0)
    qFatal("reco %s failed (%d): %s", qPrintable(args.join(' ')), result.exitCode,
           result.err.constData());
}

QStringList idsOf(const std::vector<reco::WhatIfItem>& items) {
  QStringList out;
  for (const auto& item : items) out << QString::fromStdString(item.meta.externalId);
  return out;
}

QStringList idsOf(const std::vector<reco::storage::ItemMeta>& items) {
  QStringList out;
  for (const auto& item : items) out << QString::fromStdString(item.externalId);
  return out;
}

}  // namespace

class TestWhatIf : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  std::unique_ptr<UsersPanel> panel_;
  std::unique_ptr<EventLoopProbe> probe_;
  std::vector<reco::WhatIfItem> unedited_;  // the list for user 196's stored history

  reco::ui::HistoryEditor* editor() const { return panel_->historyEditor(); }
  reco::ui::WhatIfListsView* view() const { return panel_->whatIfView(); }
  reco::ui::WhatIfColumnPtr shown() const { return view()->column(0); }

  /// Runs `edit` and waits for the panel to show the lists of that edit.
  bool editAndWait(const std::function<void()>& edit) {
    QSignalSpy spy(panel_.get(), &UsersPanel::whatIfShown);
    edit();
    return spy.wait(kTimeoutMs) && view()->allShown();
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run through ctest)");
    const QString data = QStringLiteral(RECO_SHARED_DIR "/datasets/movielens-100k");
    if (!QFile::exists(data + QStringLiteral("/u.data")))
      QSKIP(qPrintable(QStringLiteral("no ML-100K at %1").arg(data)));
    path_ = dir_.filePath(QStringLiteral("whatif.reco"));
    cli({"--workspace", path_, "import", data, "--name", "ml100k"});
    cli({"--workspace", path_, "split", "--dataset", "ml100k", "--protocol", "random", "--test",
         "0.2", "--seed", "42", "--name", "holdout"});
    cli({"--workspace", path_, "train", "--dataset", "ml100k", "--split", "holdout", "--model",
         "itemknn,bpr"});

    panel_ = std::make_unique<UsersPanel>(nullptr);
    panel_->resize(1280, 800);
    panel_->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel_.get()));
    QSignalSpy users(panel_.get(), &UsersPanel::usersShown);
    panel_->setWorkspace(path_);
    QVERIFY(users.wait(kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!panel_->isBusy(), kTimeoutMs);
    QVERIFY(panel_->selectUser(kUser));
    // itemknn folds an edited history in; bpr cannot (one learned vector per training user).
    panel_->listsView()->setChosenRuns({QStringLiteral("itemknn"), QStringLiteral("bpr")});
    QTRY_VERIFY_WITH_TIMEOUT(!panel_->isBusy(), kTimeoutMs);
    new QAbstractItemModelTester(editor()->historyModel(), panel_.get());
    new QAbstractItemModelTester(view()->listModel(0), panel_.get());
    new QAbstractItemModelTester(view()->leftModel(0), panel_.get());
    // Everything from here on re-scores in the background: the GUI thread stays free.
    probe_ = std::make_unique<EventLoopProbe>();
    probe_->start();
  }

  void removingTheTopItemEqualsRecommendWithThatHistory() {
    QVERIFY(editAndWait([&] { panel_->setEditing(true); }));
    QVERIFY(panel_->isEditing());
    QVERIFY(editor()->base() && editor()->base()->user);
    QCOMPARE(QString::fromStdString(editor()->base()->userId), kUser);
    auto* history = editor()->historyModel();
    const int stored = history->rowCount();
    QVERIFY(stored > 5);
    QVERIFY2(shown()->error.empty(), shown()->error.c_str());
    QVERIFY(shown()->list.rescored);
    QVERIFY2(view()->statusText(0).contains(QStringLiteral(" ms")),
             qPrintable(view()->statusText(0)));
    // The unedited history: the same list, nothing moved, nothing left.
    for (std::size_t r = 0; r < shown()->list.items.size(); ++r)
      QCOMPARE(shown()->list.items[r].previousRank, int(r) + 1);
    QVERIFY(shown()->list.left.empty());
    const auto unedited = shown()->list.items;
    unedited_ = unedited;
    // ... which is the list the Recommendations tab shows for the stored history.
    const auto lists = panel_->listsView()->lists();
    QCOMPARE(int(lists.size()), 2);
    QCOMPARE(lists[0]->run.name, std::string("itemknn"));
    QVERIFY(lists[0] && lists[0]->final);
    QStringList plain;
    for (const auto& item : lists[0]->items) plain << QString::fromStdString(item.meta.externalId);
    QCOMPARE(idsOf(unedited), plain);

    // Remove the top (newest) item with the Delete key.
    const QString removed = QString::fromStdString(history->itemAt(0).externalId);
    auto* table = editor()->historyTable();
    table->setFocus();
    table->selectRow(0);
    QVERIFY(editAndWait([&] { QTest::keyClick(table, Qt::Key_Delete); }));
    QCOMPARE(history->rowCount(), stored - 1);
    QVERIFY(!idsOf(history->items()).contains(removed));
    QVERIFY(history->isEdited());

    const auto list = shown();
    QVERIFY2(list->error.empty(), list->error.c_str());
    QVERIFY(list->list.rescored);
    probe_->pause();
    const auto result =
        reco::testing::runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--user",
                               kUser, "--history", idsOf(history->items()).join(','), "--json"});
    probe_->resume();
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonArray expected =
        QJsonDocument::fromJson(result.out).object().value("items").toArray();
    QCOMPARE(int(list->list.items.size()), reco::ui::RecommendationListsView::kDefaultN);
    QCOMPARE(int(list->list.items.size()), int(expected.size()));
    auto* model = view()->listModel(0);
    QCOMPARE(model->rowCount(), int(expected.size()));
    for (int r = 0; r < expected.size(); ++r) {
      const QJsonObject cli = expected[r].toObject();
      const auto& item = list->list.items[std::size_t(r)];
      QCOMPARE(QString::fromStdString(item.meta.externalId), cli.value("item").toString());
      QCOMPARE(QString::fromStdString(item.reason), cli.value("reason").toString());
      QVERIFY(reco::testing::nearlyEqual(double(item.score), cli.value("score").toDouble(), 1e-5));
      QCOMPARE(model->index(r, WhatIfListModel::RankColumn).data().toInt(), r + 1);
    }
    // The marks agree with the two lists.
    checkMarks(unedited);
    // bpr says it cannot, in place of a list (never its old list in silence).
    const auto bpr = view()->column(1);
    QCOMPARE(bpr->run.name, std::string("bpr"));
    QVERIFY(!bpr->list.rescored);
    QVERIFY(bpr->list.items.empty());
    QVERIFY(!bpr->list.note.empty());
    QVERIFY(view()->listTable(1)->isHidden());
    QVERIFY2(view()->statusText(1).startsWith(QStringLiteral("Cannot re-score")),
             qPrintable(view()->statusText(1)));
  }

  void anEditedListMarksNewItemsAndTheItemsThatLeft() {
    const auto unedited = unedited_;
    // Start empty and add one film: most of the list changes.
    QVERIFY(editAndWait([&] { editor()->startEmpty(); }));
    QCOMPARE(editor()->historyModel()->rowCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(editor()->catalogue() != nullptr, kTimeoutMs);
    QVERIFY(editAndWait([&] { QVERIFY(editor()->addItemByText(QStringLiteral("1"))); }));
    QCOMPARE(idsOf(editor()->historyModel()->items()), QStringList{QStringLiteral("1")});
    const bool wasStored = idsOf(editor()->base()->stored).contains(QStringLiteral("1"));
    QCOMPARE(editor()->historyModel()->index(0, EditedHistoryModel::MarkColumn).data().toString(),
             wasStored ? QString() : QStringLiteral("added"));
    const auto column = shown();
    QVERIFY(!column->list.left.empty());
    int fresh = 0;
    for (int r = 0; r < view()->listModel(0)->rowCount(); ++r)
      fresh += view()->listModel(0)->index(r, 0).data(WhatIfListModel::IsNewRole).toBool();
    QVERIFY(fresh > 0);
    checkMarks(unedited);
    // The move column says it.
    for (int r = 0; r < view()->listModel(0)->rowCount(); ++r) {
      const QModelIndex index = view()->listModel(0)->index(r, WhatIfListModel::MoveColumn);
      const int before = index.data(WhatIfListModel::PreviousRankRole).toInt();
      const QString move = index.data().toString();
      if (before == 0)
        QCOMPARE(move, QStringLiteral("new"));
      else if (before > r + 1)
        QCOMPARE(move, QStringLiteral("↑%1").arg(before - r - 1));
      else if (before < r + 1)
        QCOMPARE(move, QStringLiteral("↓%1").arg(r + 1 - before));
    }
  }

  void draggingAnItemFromTheListAddsItToTheHistory() {
    auto* list = view()->listModel(0);
    QVERIFY(list->rowCount() > 0);
    const QString id = QString::fromStdString(list->rows().front().meta.externalId);
    std::unique_ptr<QMimeData> data(list->mimeData({list->index(0, WhatIfListModel::TitleColumn)}));
    auto* history = editor()->historyModel();
    const int before = history->rowCount();
    QVERIFY(history->canDropMimeData(data.get(), Qt::CopyAction, -1, -1, {}));
    QVERIFY(editAndWait(
        [&] { QVERIFY(history->dropMimeData(data.get(), Qt::CopyAction, -1, -1, {})); }));
    QCOMPARE(history->rowCount(), before + 1);
    QCOMPARE(QString::fromStdString(history->itemAt(0).externalId), id);
    // The history's items are excluded from its list.
    QVERIFY(!idsOf(shown()->list.items).contains(id));
    // Twice is once.
    QVERIFY(!history->dropMimeData(data.get(), Qt::CopyAction, -1, -1, {}));
    QCOMPARE(history->rowCount(), before + 1);
  }

  void resetRestoresTheStoredList() {
    const auto stored = unedited_;
    QVERIFY(editAndWait([&] { editor()->resetHistory(); }));
    QVERIFY(!editor()->historyModel()->isEdited());
    QCOMPARE(idsOf(editor()->historyModel()->items()), idsOf(editor()->base()->stored));
    QCOMPARE(idsOf(shown()->list.items), idsOf(stored));
    for (int r = 0; r < view()->listModel(0)->rowCount(); ++r)
      QVERIFY(!view()->listModel(0)->index(r, 0).data(WhatIfListModel::IsNewRole).toBool());
    QCOMPARE(view()->leftModel(0)->rowCount(), 0);
  }

  void scenariosSaveReopenRefuseDuplicatesAndDelete() {
    auto* history = editor()->historyModel();
    QVERIFY(editAndWait([&] { history->removeShownRows({0, 1}); }));
    const QStringList saved = idsOf(history->items());
    emit editor()->saveRequested(QStringLiteral("without the newest two"));
    QTRY_VERIFY_WITH_TIMEOUT(editor()->scenarios() && editor()->scenarios()->size() == 1,
                             kTimeoutMs);
    QVERIFY2(editor()->statusText().contains(QStringLiteral("Saved")),
             qPrintable(editor()->statusText()));
    const reco::storage::Scenario scenario = editor()->scenarios()->front();
    QCOMPARE(scenario.name, std::string("without the newest two"));
    QVERIFY(scenario.user.has_value());

    // The same name again: refused, and the editor says so.
    emit editor()->saveRequested(QStringLiteral("without the newest two"));
    QTRY_VERIFY_WITH_TIMEOUT(editor()->statusText().contains(QStringLiteral("not saved")),
                             kTimeoutMs);
    QVERIFY(editor()->statusText().contains(QStringLiteral("without the newest two")));
    QTRY_VERIFY_WITH_TIMEOUT(!panel_->isBusy(), kTimeoutMs);
    QCOMPARE(int(editor()->scenarios()->size()), 1);

    // Reset, then reopen it: the saved history, compared with the stored one.
    QVERIFY(editAndWait([&] { editor()->resetHistory(); }));
    QVERIFY(editAndWait([&] { emit editor()->openScenarioRequested(scenario); }));
    QCOMPARE(idsOf(history->items()), saved);
    QVERIFY(history->isEdited());

    emit editor()->deleteScenarioRequested(scenario.id);
    QTRY_VERIFY_WITH_TIMEOUT(editor()->scenarios() && editor()->scenarios()->empty(), kTimeoutMs);
    QVERIFY(!editor()->scenarioBox()->isEnabled());
  }

  void aNewVisitorGetsTheFallbacksListMarked() {
    QVERIFY(editAndWait([&] { panel_->startNewVisitor(); }));
    QVERIFY(!editor()->base()->user);
    QCOMPARE(editor()->historyModel()->rowCount(), 0);
    const auto column = shown();
    QVERIFY2(column->error.empty(), column->error.c_str());
    QCOMPARE(int(column->list.items.size()), reco::ui::RecommendationListsView::kDefaultN);
    for (int r = 0; r < view()->listModel(0)->rowCount(); ++r) {
      const QModelIndex index = view()->listModel(0)->index(r, WhatIfListModel::ReasonColumn);
      QVERIFY(index.data(WhatIfListModel::FallbackRole).toBool());
      QCOMPARE(index.data().toString(), QStringLiteral("fallback: popular"));
    }
    // The fallback kept to one category (the combo above the lists) lists that category's
    // items first, and back to any category it is the plain popular fallback again.
    auto* category = view()->findChild<QComboBox*>(QStringLiteral("whatIfFallbackCategory"));
    auto* fallback = view()->findChild<QComboBox*>(QStringLiteral("whatIfFallback"));
    QVERIFY(category && fallback);
    QTRY_VERIFY_WITH_TIMEOUT(category->count() > 1, kTimeoutMs);
    const int horror = category->findText(QStringLiteral("Horror"));
    QVERIFY(horror > 0);
    QVERIFY(editAndWait([&] { category->setCurrentIndex(horror); }));
    const auto kept = shown();
    QVERIFY2(kept->error.empty(), kept->error.c_str());
    QVERIFY(!kept->list.items.empty());
    QCOMPARE(kept->list.items.front().meta.category, std::string("Horror"));
    QCOMPARE(kept->list.items.front().reason, std::string("fallback: popular in Horror"));
    QVERIFY(editAndWait([&] { category->setCurrentIndex(0); }));
    QCOMPARE(shown()->list.items.front().reason, std::string("fallback: popular"));
  }

  void theGuiThreadNeverStalled() {
    panel_->setEditing(false);
    QVERIFY(!panel_->isEditing());
    probe_->stop();
    qInfo("%d probe ticks, longest gap %lld ms", probe_->ticks(),
          static_cast<long long>(probe_->maxGap()));
    QVERIFY(probe_->ticks() > 10);
    QVERIFY2(probe_->maxGap() <= kMaxGapMs,
             qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(probe_->maxGap())));
  }

  void cleanupTestCase() { panel_.reset(); }

 private:
  /// Every shown item is "new" exactly when it is not in `unedited`, with its old rank
  /// otherwise; the items that left are those of `unedited` not shown, by old rank.
  void checkMarks(const std::vector<reco::WhatIfItem>& unedited) {
    const QStringList before = idsOf(unedited);
    const auto column = shown();
    const QStringList now = idsOf(column->list.items);
    auto* model = view()->listModel(0);
    for (int r = 0; r < model->rowCount(); ++r) {
      const int old = int(before.indexOf(now[r])) + 1;
      QCOMPARE(model->index(r, 0).data(WhatIfListModel::IsNewRole).toBool(), old == 0);
      QCOMPARE(model->index(r, 0).data(WhatIfListModel::PreviousRankRole).toInt(), old);
    }
    QStringList left;
    std::vector<int> oldRanks;
    for (int r = 0; r < before.size(); ++r)
      if (!now.contains(before[r])) {
        left << before[r];
        oldRanks.push_back(r + 1);
      }
    QCOMPARE(idsOf(column->list.left), left);
    auto* leftModel = view()->leftModel(0);
    QCOMPARE(leftModel->rowCount(), int(left.size()));
    for (int r = 0; r < leftModel->rowCount(); ++r)
      QCOMPARE(leftModel->index(r, WhatIfListModel::RankColumn).data().toInt(),
               oldRanks[std::size_t(r)]);
  }
};

QTEST_MAIN(TestWhatIf)
#include "test_what_if.moc"
