// The workbench window, offscreen, on real workspace files in a temporary folder: it lists
// the datasets and shows the statistics of the selected one; an empty workspace and a
// file that is not a workspace are reported in the window, and the file is left alone.

#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "tests/support/event_rows.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/models/user_list_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/datasets_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/users_panel.h"
#include "ui/plots/category_bar_chart.h"
#include "ui/plots/loss_curve_plot.h"
#include "ui/workers/run_queue.h"

using reco::storage::Workspace;
using reco::ui::MainWindow;

namespace {

constexpr int kTimeoutMs = 15000;

/// A small shop: 3 users, 4 items in 2 categories, 8 events over two days, one bad row.
void importShop(const QString& path, const char* name) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
  reco::io::ImportOptions options;
  options.name = name;
  const auto produce = [](reco::io::RecordSink& sink) {
    sink.begin(reco::io::Feedback::Event);
    const char* categories[] = {"Kitchen", "Kitchen", "Garden", "Kitchen"};
    const char* ids[] = {"i1", "i2", "i3", "i4"};
    for (int i = 0; i < 4; ++i) {
      reco::io::ItemRecord item;
      item.id = ids[i];
      item.title = ids[i];
      item.category = categories[i];
      sink.item(item);
    }
    const reco::testing::EventRow rows[] = {
        {"u1", "i1", "view", 1700000000}, {"u1", "i2", "purchase", 1700003600},
        {"u2", "i1", "view", 1700007200}, {"u2", "i3", "view", 1700010800},
        {"u3", "i4", "cart", 1700014400}, {"u3", "i1", "view", 1700018000},
        {"u1", "i3", "view", 1700086400}, {"u2", "i4", "purchase", 1700086400 + 3600}};
    reco::testing::sendEvents(sink, rows);
    sink.reject("wrong number of fields", 2 + std::size(rows), "u9,i9");  // the line after the rows
    return reco::Outcome::Completed;
  };
  reco::storage::importRecords(workspace, "events", "memory", options, produce, nullptr, {});
}

/// A label of the Datasets panel or, failing that, of the window (the status bar). Other
/// panels have labels of the same names ("placeholder"), so the panel is searched first.
QLabel* label(MainWindow& window, const char* name) {
  auto* found = window.datasetsPanel()->findChild<QLabel*>(QString::fromLatin1(name));
  if (!found) found = window.findChild<QLabel*>(QString::fromLatin1(name));
  if (!found) qFatal("no label %s", name);
  return found;
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
  }

  void usersAndItemsShareOneCacheOfLoadedModels() {
    reco::ui::MainWindow window;
    QVERIFY(window.usersPanel()->modelCache() != nullptr);
    QCOMPARE(window.usersPanel()->modelCache(), window.itemsPanel()->modelCache());
  }

  void aHiddenPanelReadsTheWorkspaceOnlyOnceShown() {
    // Only the panel on screen reads a workspace as it opens: a hidden one would share the
    // cores with it (issue 19, a 10M-interaction workspace). Users reads when first shown.
    const QString path = dir_.filePath(QStringLiteral("hidden.reco"));
    importShop(path, "shop");
    MainWindow window;
    window.resize(1280, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy details(window.datasetsPanel(), &reco::ui::DatasetsPanel::detailsShown);
    QSignalSpy users(window.usersPanel(), &reco::ui::UsersPanel::usersShown);
    QSignalSpy items(window.itemsPanel(), &reco::ui::ItemsPanel::itemsShown);
    window.openWorkspace(path);
    QCOMPARE(window.currentPanel(), QStringLiteral("Datasets"));
    QVERIFY(!window.panelLoadPending(QStringLiteral("Datasets")));
    QTRY_VERIFY_WITH_TIMEOUT(details.count() >= 1 && !window.datasetsPanel()->isBusy(), kTimeoutMs);
    QTest::qWait(300);
    QVERIFY(!window.panelLoadPending(QStringLiteral("Experiments")));  // the run queue's home
    for (const char* hidden : {"Compare", "Users", "Items"})
      QVERIFY2(window.panelLoadPending(QString::fromLatin1(hidden)), hidden);
    QCOMPARE(users.count(), 0);
    QVERIFY(!window.usersPanel()->isBusy());
    QCOMPARE(window.usersPanel()->userModel()->rowCount(), 0);
    // Shown, it reads: the shop's 3 users are listed. Items, still hidden, still waits.
    QVERIFY(window.showPanel(QStringLiteral("Users")));
    QVERIFY(!window.panelLoadPending(QStringLiteral("Users")));
    QTRY_VERIFY_WITH_TIMEOUT(users.count() >= 1, kTimeoutMs);
    QCOMPARE(users.last().at(0).toInt(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(!window.usersPanel()->isBusy(), kTimeoutMs);
    QCOMPARE(items.count(), 0);
    QVERIFY(window.panelLoadPending(QStringLiteral("Items")));
    QVERIFY(window.showPanel(QStringLiteral("Items")));
    QTRY_VERIFY_WITH_TIMEOUT(items.count() >= 1, kTimeoutMs);
    QVERIFY(!window.panelLoadPending(QStringLiteral("Items")));
  }

  void showsTheDatasetsAndTheirStatistics() {
    const QString path = dir_.filePath(QStringLiteral("shop.reco"));
    importShop(path, "shop");
    importShop(path, "shop-copy");

    MainWindow window;
    window.resize(1280, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy shown(window.datasetsPanel(), &reco::ui::DatasetsPanel::detailsShown);
    window.openWorkspace(path);
    QCOMPARE(window.windowTitle(), QStringLiteral("Reco Workbench — shop.reco"));

    auto* table = window.findChild<QTableView*>(QStringLiteral("datasetTable"));
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, kTimeoutMs);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("shop"));
    QCOMPARE(table->model()->index(0, 3).data().toString(), QStringLiteral("3"));  // users
    QCOMPARE(table->model()->index(0, 5).data().toString(), QStringLiteral("8"));  // interactions

    // The first row is selected and its statistics follow.
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);
    QCOMPARE(label(window, "statsTitle")->text(), QStringLiteral("shop"));
    QCOMPARE(label(window, "statUsers")->text(), QStringLiteral("3"));
    QCOMPARE(label(window, "statItems")->text(), QStringLiteral("4"));
    QCOMPARE(label(window, "statInteractions")->text(), QStringLiteral("8"));
    QCOMPARE(label(window, "statDensity")->text(), QStringLiteral("66.67%"));  // 8 / (3 * 4)
    QCOMPARE(label(window, "statTimeSpan")->text(), QStringLiteral("25 hours"));

    auto* quantiles = window.findChild<QTableView*>(QStringLiteral("quantileTable"));
    QVERIFY(quantiles);
    QCOMPARE(quantiles->model()->rowCount(), 8);
    QCOMPARE(quantiles->model()->index(6, 0).data().toString(),
             QStringLiteral("3"));  // max per user
    QCOMPARE(quantiles->model()->index(6, 1).data().toString(),
             QStringLiteral("3"));  // max per item (i1)

    auto* chart = window.findChild<reco::ui::CategoryBarChart*>();
    QVERIFY(chart);
    QCOMPARE(chart->barCount(), 2);  // Kitchen, Garden

    auto* events = window.findChild<QTableView*>(QStringLiteral("eventTable"));
    QVERIFY(events);
    QCOMPARE(events->model()->rowCount(), 3);
    QCOMPARE(events->model()->index(0, 0).data().toString(), QStringLiteral("view"));

    QVERIFY(label(window, "reportSummary")->text().contains(QStringLiteral("kept <b>8</b>")));
    auto* report = window.findChild<QTreeView*>(QStringLiteral("reportTree"));
    QVERIFY(report);
    QCOMPARE(report->model()->rowCount(), 1);
    QCOMPARE(report->model()->index(0, 0).data().toString(),
             QStringLiteral("wrong number of fields"));

    // Selecting the other dataset loads its statistics.
    shown.clear();
    QVERIFY(window.datasetsPanel()->selectDataset(QStringLiteral("shop-copy")));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);
    QCOMPARE(label(window, "statsTitle")->text(), QStringLiteral("shop-copy"));

    // Reload keeps the selection.
    shown.clear();
    window.datasetsPanel()->reload();
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);
    QCOMPARE(label(window, "statsTitle")->text(), QStringLiteral("shop-copy"));

    // The status bar names the workspace and, once the module answered, the device.
    QCOMPARE(label(window, "workspaceStatus")->text(), QFileInfo(path).absoluteFilePath());
    QTRY_VERIFY_WITH_TIMEOUT(window.computeDeviceText() != QStringLiteral("CPU"), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(label(window, "jobsStatus")->text(),
                              QStringLiteral("No jobs running"), kTimeoutMs);
  }

  void reportsAnEmptyWorkspace() {
    const QString path = dir_.filePath(QStringLiteral("empty.reco"));
    { Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing); }
    MainWindow window;
    QSignalSpy listed(window.datasetsPanel(), &reco::ui::DatasetsPanel::datasetsShown);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, kTimeoutMs);
    QCOMPARE(listed.front().at(1).toInt(), 0);
    QVERIFY(label(window, "placeholder")->text().contains(QStringLiteral("no datasets")));
  }

  void reportsAFileThatIsNotAWorkspace() {
    const QString path = dir_.filePath(QStringLiteral("notes.txt"));
    const QByteArray content = "these are my notes, not a workspace\n";
    {
      QFile file(path);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(content);
    }
    MainWindow window;
    QSignalSpy failed(window.datasetsPanel(), &reco::ui::DatasetsPanel::workspaceFailed);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    const QString message = failed.front().at(1).toString();
    QVERIFY2(!message.isEmpty(), "the reco::Error text is shown");
    QVERIFY(label(window, "placeholder")->text().contains(QStringLiteral("could not be opened")));
    QVERIFY(label(window, "placeholder")->text().contains(message.toHtmlEscaped()));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), content);  // never overwritten
  }

  void reportsAMissingFileWithoutCreatingIt() {
    const QString path = dir_.filePath(QStringLiteral("missing.reco"));
    MainWindow window;
    QSignalSpy failed(window.datasetsPanel(), &reco::ui::DatasetsPanel::workspaceFailed);
    window.show();
    window.openWorkspace(path);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    QVERIFY(!QFileInfo::exists(path));
  }

  void remembersTheAnalystsChoices() {
    // The run queue's limit and the Compare panel's K, test and baseline outlive the window.
    QSettings().clear();
    {
      MainWindow window;
      window.show();
      window.openWorkspace(QString());
      window.experimentsPanel()->runQueue()->setMaxParallel(3);
      QVERIFY(window.comparePanel()->setK(20));
      window.comparePanel()->setTest(reco::PairedTestKind::Wilcoxon);
      QVERIFY(window.close());
    }
    MainWindow window;
    QCOMPARE(window.comparePanel()->k(), 10);  // the defaults until restored
    window.restoreWindowSettings();
    QCOMPARE(window.experimentsPanel()->runQueue()->maxParallel(), 3);
    QCOMPARE(window.comparePanel()->k(), 20);
    QCOMPARE(window.comparePanel()->test(), reco::PairedTestKind::Wilcoxon);
    QSettings().clear();
  }

  void showsNamesAsTypedNotAsMarkup() {
    // A dataset named like markup is shown as typed: the heading says "<b>x</b>", not a
    // bold "x". No label of the window may render the name as rich text.
    const QString path = dir_.filePath(QStringLiteral("markup.reco"));
    const QString name = QStringLiteral("<b>x</b>");
    importShop(path, "<b>x</b>");
    MainWindow window;
    window.resize(1280, 860);
    window.show();
    QSignalSpy shown(window.datasetsPanel(), &reco::ui::DatasetsPanel::detailsShown);
    window.openWorkspace(path);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);
    QLabel* title = label(window, "statsTitle");
    QCOMPARE(title->text(), name);
    QCOMPARE(title->textFormat(), Qt::PlainText);
    int showingName = 0;
    for (QLabel* each : window.findChildren<QLabel*>()) {
      if (!each->text().contains(name)) continue;
      ++showingName;
      QVERIFY2(each->textFormat() == Qt::PlainText, qPrintable(each->objectName()));
    }
    QVERIFY(showingName >= 1);

    // A run's name in the training curve's placeholder ("NAME failed: …") likewise.
    reco::ui::LossCurvePlot curve;
    curve.showNote(QStringLiteral("%1 failed:\nout of memory").arg(name));
    auto* note = curve.findChild<QLabel*>(QStringLiteral("lossCurveNote"));
    QVERIFY(note);
    QCOMPARE(note->textFormat(), Qt::PlainText);
    QVERIFY(note->text().startsWith(name));
  }

  void aNewWorkspaceShowsTheDatasetsScreen() {
    MainWindow window;
    window.show();
    window.openWorkspace(QString());
    QVERIFY(window.showPanel(QStringLiteral("Compare")));
    QSignalSpy listed(window.datasetsPanel(), &reco::ui::DatasetsPanel::datasetsShown);
    const QString path = dir_.filePath(QStringLiteral("new.reco"));
    QVERIFY(window.createWorkspaceAt(path));
    QCOMPARE(window.currentPanel(), QStringLiteral("Datasets"));
    QCOMPARE(window.workspacePath(), QFileInfo(path).absoluteFilePath());
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, kTimeoutMs);
  }

  void startsEmptyWithAHint() {
    MainWindow window;
    window.show();
    window.openWorkspace(QString());
    QCOMPARE(window.windowTitle(), QStringLiteral("Reco Workbench"));
    QVERIFY(label(window, "placeholder")->text().contains(QStringLiteral("No workspace is open")));
  }

 private:
  QTemporaryDir dir_;
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
