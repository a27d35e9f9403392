// File › Export report… (issue 15), offscreen, on a real workspace with three trained runs
// (pop, itemknn, ease on a small synthetic shop): the dialog lists the split's runs with the
// compared ones checked; the preview builds pages in the background and paints them;
// unticking a part removes its section from the built document; a newer preview request
// supersedes the older one; an unknown user is reported in place; an export writes HTML
// that passes htmlProblem() (with its CSV tables on request) or a PDF with as many pages as
// the preview; Cancel during an export writes nothing, and neither a Cancel nor a CSV that
// cannot be written touches an earlier export's CSVs or leaves a new file; a Cancel that
// comes after the file was written says so. In the window, Ctrl+E
// opens the dialog from every panel and Ctrl+H enters Edit history in Users.
// RECO_REPORT_SCREENSHOT_DIR=DIR saves a picture of the dialog while it exports.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <algorithm>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/report/document.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"
#include "tests/support/html_check.h"
#include "ui/application_setup.h"
#include "ui/dialogs/report_dialog.h"
#include "ui/main_window.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/users_panel.h"
#include "ui/report/pdf_report.h"
#include "ui/widgets/report_preview.h"
#include "ui/workers/job_tracker.h"
#include "ui/workers/report_job.h"

using reco::ui::ReportDialog;

namespace {

constexpr int kTimeoutMs = 30000;

void train(reco::storage::Workspace& ws, const reco::storage::SplitInfo& split, const char* model) {
  reco::ExperimentOptions options;
  options.model = model;
  options.compute.threads = 2;
  if (reco::runExperiment(ws, split, options, nullptr, {}).outcome != reco::Outcome::Completed)
    qFatal("training %s stopped", model);
}

bool hasTable(const reco::report::Document& document, const std::string& id) {
  const auto tables = document.tables();
  return std::any_of(tables.begin(), tables.end(), [&](const auto* t) { return t->id == id; });
}

/// Files in `dir` whose name contains ".partial-" (an interrupted atomic write).
QStringList partialFiles(const QString& dir) {
  return QDir(dir).entryList({QStringLiteral("*.partial-*")}, QDir::Files);
}

/// The page count `pdfinfo` reads from `path`, or -1.
int pdfPages(const QString& path) {
  QProcess pdfinfo;
  pdfinfo.start(QStringLiteral("pdfinfo"), {path});
  if (!pdfinfo.waitForFinished(20000) || pdfinfo.exitCode() != 0) return -1;
  const auto match = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)"))
                         .match(QString::fromUtf8(pdfinfo.readAllStandardOutput()));
  return match.hasMatch() ? match.captured(1).toInt() : -1;
}

}  // namespace

class TestReportDialog : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  QString user_, item_;

  reco::ui::ReportDialogSetup setup() const {
    reco::ui::ReportDialogSetup setup;
    setup.workspacePath = path_;
    setup.dataset = QStringLiteral("shop");
    setup.runs = {QStringLiteral("pop"), QStringLiteral("itemknn"), QStringLiteral("ease")};
    setup.checked = {QStringLiteral("pop"), QStringLiteral("ease")};
    setup.baseline = QStringLiteral("ease");
    setup.users = {user_};
    setup.items = {item_};
    setup.gpu = QStringLiteral("none");
    setup.version = QStringLiteral("test");
    return setup;
  }

  /// Builds the dialog's preview now and waits for it; false when it failed or timed out.
  static bool buildPreview(ReportDialog& dialog) {
    QSignalSpy shown(&dialog, &ReportDialog::previewShown);
    QSignalSpy failed(&dialog, &ReportDialog::previewFailed);
    dialog.previewNow();
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, kTimeoutMs))
      return false;
    if (!failed.isEmpty()) qWarning("preview failed: %s", qPrintable(failed[0][0].toString()));
    return failed.isEmpty();
  }

  /// Exports and waits; returns the finished signal's message ("" on a timeout).
  static QString exportAndWait(ReportDialog& dialog, const QString& file, bool* ok) {
    QSignalSpy finished(&dialog, &ReportDialog::exportFinished);
    dialog.exportTo(file);
    if (!finished.wait(kTimeoutMs)) return {};
    *ok = finished[0][0].toBool();
    return finished[0][1].toString();
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    path_ = dir_.filePath("report.reco");
    reco::storage::Workspace ws(path_.toStdString(),
                                reco::storage::Workspace::OpenMode::CreateIfMissing);
    reco::data::SyntheticOptions shop;
    shop.users = 200;
    shop.items = 60;
    shop.interactions = 6000;
    shop.seed = 7;
    reco::io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = reco::storage::importRecords(
        ws, "synthetic", reco::data::syntheticRecipe(shop), importOptions,
        [&](reco::io::RecordSink& sink) {
          return reco::data::generateShop(shop, sink, nullptr, {});
        },
        nullptr, {});
    const auto split = reco::storage::createSplit(ws, imported.dataset, "random-42",
                                                  reco::SplitOptions{}, nullptr, {})
                           .split;
    for (const char* model : {"pop", "itemknn", "ease"}) train(ws, split, model);
    const auto users = reco::storage::userExternalIds(ws, imported.dataset.id);
    const auto items = reco::storage::itemExternalIds(ws, imported.dataset.id);
    user_ = QString::fromStdString(users.at(3));
    item_ = QString::fromStdString(items.at(5));
    QVERIFY(!user_.isEmpty() && !item_.isEmpty());
  }

  void listsTheRunsWithTheComparedOnesChecked() {
    ReportDialog dialog(setup(), nullptr);
    QCOMPARE(dialog.runNames(), setup().runs);
    QCOMPARE(dialog.checkedRuns(), (QStringList{"pop", "ease"}));
    const auto options = dialog.options();
    QCOMPARE(options.runs, (std::vector<std::string>{"pop", "ease"}));
    QCOMPARE(options.baseline, std::string("ease"));
    QCOMPARE(options.k, 10);
    QCOMPARE(options.users, std::vector<std::string>{user_.toStdString()});
    QVERIFY(dialog.setRunChecked(QStringLiteral("itemknn"), true));
    QVERIFY(!dialog.setRunChecked(QStringLiteral("nope"), true));
    QCOMPARE(dialog.options().runs, (std::vector<std::string>{"pop", "itemknn", "ease"}));
    // Ids are split at commas and trimmed.
    dialog.setUsers(QStringLiteral(" a ,b,, c "));
    QCOMPARE(dialog.options().users, (std::vector<std::string>{"a", "b", "c"}));
    QVERIFY(!dialog.setPartChecked(QStringLiteral("nope"), false));
  }

  void thePreviewBuildsAndPaintsPages() {
    reco::ui::JobTracker jobs;
    ReportDialog dialog(setup(), &jobs);
    dialog.resize(1280, 800);
    dialog.show();
    QVERIFY(buildPreview(dialog));
    const auto result = dialog.previewResult();
    QVERIFY(result && result->pages);
    QVERIFY(result->pages->pageCount() > 0);
    QCOMPARE(dialog.preview()->pageCount(), result->pages->pageCount());
    QVERIFY(result->document.section("comparison"));
    QVERIFY(hasTable(result->document, "comparison"));
    QCOMPARE(jobs.count(), 0);  // the job ended with the preview

    // The sheets are painted: white paper with dark ink on it.
    const QImage image = dialog.preview()->grab().toImage();
    int white = 0, ink = 0;
    for (int y = 0; y < image.height(); y += 3)
      for (int x = 0; x < image.width(); x += 3) {
        const QColor c = image.pixelColor(x, y);
        if (c == Qt::white) ++white;
        if (c.lightness() < 90) ++ink;
      }
    QVERIFY2(white > 1000 && ink > 50,
             qPrintable(QStringLiteral("%1 white, %2 ink").arg(white).arg(ink)));
  }

  void untickingAPartRemovesItsSection() {
    ReportDialog dialog(setup(), nullptr);
    QVERIFY(dialog.setPartChecked(QStringLiteral("comparison"), false));
    QVERIFY(buildPreview(dialog));
    const auto& document = dialog.previewResult()->document;
    QVERIFY(!document.section("comparison"));
    QVERIFY(!hasTable(document, "comparison"));
    QVERIFY(document.section("protocol"));
  }

  void aNewerPreviewSupersedesTheOlder() {
    ReportDialog dialog(setup(), nullptr);
    QSignalSpy shown(&dialog, &ReportDialog::previewShown);
    dialog.previewNow();  // with the comparison
    QVERIFY(dialog.setPartChecked(QStringLiteral("comparison"), false));
    dialog.previewNow();  // without: the first is stopped and its result dropped
    QVERIFY(shown.wait(kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBuildingPreview(), kTimeoutMs);
    QTest::qWait(300);
    QCOMPARE(shown.count(), 1);
    QVERIFY(!dialog.previewResult()->document.section("comparison"));
  }

  void anUnknownUserIsReportedInPlace() {
    ReportDialog dialog(setup(), nullptr);
    QSignalSpy failed(&dialog, &ReportDialog::previewFailed);
    dialog.setUsers(QStringLiteral("nobody-like-this"));
    dialog.previewNow();
    QVERIFY(failed.wait(kTimeoutMs));
    QVERIFY2(failed[0][0].toString().contains(QStringLiteral("nobody-like-this")),
             qPrintable(failed[0][0].toString()));
  }

  void exportsSelfContainedHtmlWithItsTables() {
    QTemporaryDir out;
    ReportDialog dialog(setup(), nullptr);
    dialog.setCsv(true);
    const QString file = out.filePath(QStringLiteral("shop-report.html"));
    bool ok = false;
    const QString message = exportAndWait(dialog, file, &ok);
    QVERIFY2(ok, qPrintable(message));
    QFile html(file);
    QVERIFY(html.open(QIODevice::ReadOnly));
    const std::string text = html.readAll().toStdString();
    const auto problem = reco::testing::htmlProblem(text);
    QVERIFY2(!problem, problem ? problem->c_str() : "");
    QVERIFY(text.find(user_.toStdString()) != std::string::npos);  // the user's story
    QVERIFY(QFile::exists(out.filePath(QStringLiteral("shop-report.comparison.csv"))));
    QVERIFY(partialFiles(out.path()).isEmpty());
  }

  void exportsAPdfWithThePreviewsPages() {
    QTemporaryDir out;
    ReportDialog dialog(setup(), nullptr);
    QVERIFY(buildPreview(dialog));
    const QString file = out.filePath(QStringLiteral("shop-report.pdf"));
    bool ok = false;
    const QString message = exportAndWait(dialog, file, &ok);
    QVERIFY2(ok, qPrintable(message));
    QCOMPARE(pdfPages(file), dialog.preview()->pageCount());
    QVERIFY(partialFiles(out.path()).isEmpty());
  }

  void cancelDuringAnExportWritesNothing() {
    QTemporaryDir out;
    ReportDialog dialog(setup(), nullptr);
    dialog.setCsv(true);
    QSignalSpy finished(&dialog, &ReportDialog::exportFinished);
    QSignalSpy stopped(&dialog, &ReportDialog::exportStopped);
    const QString file = out.filePath(QStringLiteral("shop-report.pdf"));
    dialog.exportTo(file);
    QVERIFY(dialog.isExporting());
    auto* exportButton = dialog.findChild<QPushButton*>(QStringLiteral("exportReportButton"));
    QVERIFY(exportButton && !exportButton->isEnabled());  // one export at a time
    if (const QString dir = qEnvironmentVariable("RECO_REPORT_SCREENSHOT_DIR"); !dir.isEmpty()) {
      dialog.resize(1280, 800);
      dialog.show();
      dialog.grab().save(dir + QStringLiteral("/report-exporting.png"));
    }
    QVERIFY(dialog.cancelExport());
    QVERIFY(!dialog.isExporting());
    QVERIFY(exportButton->isEnabled());
    QVERIFY(stopped.wait(kTimeoutMs));  // the task has really ended
    QVERIFY(finished.isEmpty());        // its result was dropped
    QVERIFY(!QFile::exists(file));
    QVERIFY2(QDir(out.path()).isEmpty(), qPrintable(QDir(out.path()).entryList().join(',')));
    auto* status = dialog.findChild<QLabel*>(QStringLiteral("reportStatus"));
    QVERIFY(status && status->text().contains(QStringLiteral("nothing was written")));
  }

  void aCancelAfterTheFileIsWrittenSaysItWasWritten() {
    QTemporaryDir out;
    ReportDialog dialog(setup(), nullptr);
    QSignalSpy finished(&dialog, &ReportDialog::exportFinished);
    QSignalSpy stopped(&dialog, &ReportDialog::exportStopped);
    const QString file = out.filePath(QStringLiteral("shop-report.html"));
    dialog.exportTo(file);
    // Waits without handling events: the export has written its file, its result is not
    // delivered yet, and the Cancel comes after its last stop check.
    QElapsedTimer waited;
    waited.start();
    while (!QFile::exists(file) && waited.elapsed() < kTimeoutMs) QThread::msleep(2);
    QVERIFY(QFile::exists(file));
    QVERIFY(dialog.cancelExport());
    QVERIFY(stopped.wait(kTimeoutMs));
    QVERIFY(finished.isEmpty());
    auto* status = dialog.findChild<QLabel*>(QStringLiteral("reportStatus"));
    QVERIFY(status);
    QVERIFY2(status->text().contains(QStringLiteral("shop-report.html was written")),
             qPrintable(status->text()));
  }

  void aCancelledExportKeepsTheEarlierExportsCsvs() {
    QTemporaryDir out;
    const QString earlier = out.filePath(QStringLiteral("shop-report.comparison.csv"));
    {
      QFile file(earlier);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("earlier export\n");
    }
    ReportDialog dialog(setup(), nullptr);
    dialog.setCsv(true);
    QSignalSpy stopped(&dialog, &ReportDialog::exportStopped);
    const QString file = out.filePath(QStringLiteral("shop-report.pdf"));
    const auto entries = [&] {
      return QDir(out.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    };
    const QStringList before = entries();
    const auto earlierText = [&] {
      QFile f(earlier);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    dialog.exportTo(file);
    // Cancel once the export has begun writing its files (the CSVs come before the report).
    QVERIFY(QTest::qWaitFor(
        [&] { return entries() != before || earlierText() != "earlier export\n"; }, kTimeoutMs));
    QVERIFY(dialog.cancelExport());
    QVERIFY(stopped.wait(kTimeoutMs));
    QCOMPARE(earlierText(), QByteArray("earlier export\n"));
    QCOMPARE(entries(), before);
  }

  void aFailedCsvWriteLeavesNoNewFile() {
    QTemporaryDir out;
    reco::ui::ReportRequest request;
    request.workspacePath = path_.toStdString();
    request.options.runs = {"pop", "ease"};
    request.options.baseline = "ease";
    request.options.users = {user_.toStdString()};
    request.options.items = {item_.toStdString()};
    const auto preview = reco::ui::runReportRequest(request, nullptr, {});
    QVERIFY(preview);
    const auto tables = preview->document.tables();
    QVERIFY(tables.size() >= 2);
    // The last table's CSV cannot be written (a folder has its name): the earlier ones must
    // not be left behind, nor the report.
    const QString blocked =
        QStringLiteral("shop-report.%1.csv").arg(QString::fromStdString(tables.back()->id));
    QVERIFY(QDir(out.path()).mkdir(blocked));
    request.outPath = out.filePath(QStringLiteral("shop-report.html")).toStdString();
    request.csv = true;
    QVERIFY_THROWS_EXCEPTION(reco::Error, reco::ui::runReportRequest(request, nullptr, {}));
    QCOMPARE(QDir(out.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{blocked});
  }

  void ctrlEOpensTheDialogFromEveryPanelAndCtrlHEditsHistory() {
    reco::ui::MainWindow window;
    window.resize(1280, 860);
    QSignalSpy compared(window.comparePanel(), &reco::ui::ComparePanel::comparisonShown);
    window.show();
    window.openWorkspace(path_);
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.showPanel(QStringLiteral("Compare")));  // as the analyst would
    QVERIFY(compared.wait(kTimeoutMs));
    const QStringList runs = window.comparePanel()->finishedRunNames();
    QCOMPARE(runs.size(), 3);
    for (int panel = 0; panel < 5; ++panel) {
      QTest::keyClick(&window, Qt::Key(Qt::Key_1 + panel), Qt::ControlModifier);
      QTest::keyClick(QApplication::focusWidget(), Qt::Key_E, Qt::ControlModifier);
      ReportDialog* dialog = window.reportDialog();
      QVERIFY2(dialog, qPrintable(window.currentPanel()));
      QCOMPARE(dialog->runNames(), runs);
      QCOMPARE(dialog->checkedRuns(), window.comparePanel()->checkedRunNames());
      dialog->close();
      QTRY_VERIFY(!window.reportDialog());  // closing deletes it
      QApplication::setActiveWindow(&window);
    }

    QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(window.currentPanel(), QStringLiteral("Users"));
    QVERIFY(!window.usersPanel()->isEditing());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_H, Qt::ControlModifier);
    QVERIFY(window.usersPanel()->isEditing());
  }
};

QTEST_MAIN(TestReportDialog)
#include "test_report_dialog.moc"
