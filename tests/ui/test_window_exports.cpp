// The window's exports (the Compare table as CSV, each chart as PNG or PDF), offscreen, on
// a real workspace with two runs: none of them may write over the workspace, its
// -wal/-shm or any SQLite file (the workspace stays byte for byte as it was); a chart
// replaces an older file in one step and a failed one leaves nothing behind; a run name
// that a spreadsheet would run as a formula is written as text; file dialogs start in the
// workspace's folder, then in the last folder chosen.

#include <QDir>
#include <QFile>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

#include "core/data/synthetic.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "ui/application_setup.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/panel_support.h"

using reco::ui::ComparePanel;

namespace {

constexpr int kTimeoutMs = 20000;

QByteArray contents(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestWindowExports : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;

  bool showComparison(ComparePanel& panel) {
    QSignalSpy shown(&panel, &ComparePanel::comparisonShown);
    panel.setWorkspace(path_);
    return shown.wait(kTimeoutMs);
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QSettings().clear();
    path_ = dir_.filePath("exports.reco");
    reco::storage::Workspace ws(path_.toStdString(),
                                reco::storage::Workspace::OpenMode::CreateIfMissing);
    reco::data::SyntheticOptions shop;
    shop.users = 120;
    shop.items = 40;
    shop.interactions = 3000;
    shop.seed = 3;
    reco::io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = reco::storage::importRecords(
        ws, "synthetic", reco::data::syntheticRecipe(shop), importOptions,
        [&](reco::io::RecordSink& sink) {
          return reco::data::generateShop(shop, sink, nullptr, {});
        },
        nullptr, {});
    const auto split =
        reco::storage::createSplit(ws, imported.dataset, "random-42", {}, nullptr, {}).split;
    for (const char* name : {"pop", "=1+2"}) {
      reco::ExperimentOptions options;
      options.model = "pop";
      options.runName = name;
      if (reco::runExperiment(ws, split, options, nullptr, {}).outcome != reco::Outcome::Completed)
        qFatal("training stopped");
    }
  }

  void neverWritesOverTheWorkspaceOrAnySqliteFile() {
    ComparePanel panel(nullptr);
    panel.resize(1200, 800);
    panel.show();
    QVERIFY(showComparison(panel));
    const QByteArray before = contents(path_);
    QVERIFY(!before.isEmpty());
    // Another workspace (any SQLite file) beside it.
    const QString other = dir_.filePath("other.reco");
    {
      reco::storage::Workspace ws(other.toStdString(),
                                  reco::storage::Workspace::OpenMode::CreateIfMissing);
    }
    const QByteArray otherBefore = contents(other);

    const std::pair<QString, std::function<bool(const QString&, QString*)>> exports[] = {
        {QStringLiteral("table"),
         [&](const QString& p, QString* e) { return panel.exportTableCsv(p, e); }},
        {QStringLiteral("bars"),
         [&](const QString& p, QString* e) { return panel.exportBarChart(p, e); }},
        {QStringLiteral("time"),
         [&](const QString& p, QString* e) { return panel.exportAccuracyPlot(p, e); }},
        {QStringLiteral("segments"),
         [&](const QString& p, QString* e) { return panel.exportSegmentChart(p, e); }}};
    for (const auto& [name, save] : exports) {
      for (const QString& target :
           {path_, path_ + QStringLiteral("-wal"), path_ + QStringLiteral("-shm"), other}) {
        QString error;
        QVERIFY2(!save(target, &error), qPrintable(name + QStringLiteral(" wrote ") + target));
        QVERIFY2(!error.isEmpty(), qPrintable(name));
      }
    }
    QCOMPARE(contents(path_), before);
    QCOMPARE(contents(other), otherBefore);
    // The workspace still opens and holds its runs.
    QVERIFY(showComparison(panel));
    QCOMPARE(panel.comparison()->runs.size(), std::size_t(2));
  }

  void chartsReplaceAFileInOneStepAndLeaveNothingWhenTheyFail() {
    ComparePanel panel(nullptr);
    panel.resize(1200, 800);
    panel.show();
    QVERIFY(showComparison(panel));
    QTemporaryDir out;
    const QString png = out.filePath("bars.png");
    {
      QFile old(png);
      QVERIFY(old.open(QIODevice::WriteOnly));
      old.write("an older picture");
    }
    QString error;
    QVERIFY2(panel.exportBarChart(png, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
    QVERIFY2(QFileInfo(png).permissions() & QFileDevice::ReadOther,
             "a new picture is readable like any file");
    const QString pdf = out.filePath("bars.pdf");
    QVERIFY2(panel.exportBarChart(pdf, &error), qPrintable(error));
    QCOMPARE(contents(pdf).left(4), QByteArray("%PDF"));
    // Only the two pictures: no partial file is left beside them.
    QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList({"bars.pdf", "bars.png"}));

    // A target that cannot be written (its folder is a file): an error, and nothing new.
    QVERIFY(!panel.exportBarChart(out.filePath("bars.png/new.png"), &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList({"bars.pdf", "bars.png"}));
    QVERIFY(!QImage(png).isNull());  // the picture there is untouched
  }

  void theTableEscapesFormulaLikeNames() {
    ComparePanel panel(nullptr);
    QVERIFY(showComparison(panel));
    QTemporaryDir out;
    const QString csv = out.filePath("table.csv");
    QString error;
    QVERIFY2(panel.exportTableCsv(csv, &error), qPrintable(error));
    const QString text = QString::fromUtf8(contents(csv));
    // OWASP's rule, as `reco compare --csv` writes it: a leading apostrophe, quoted.
    QVERIFY2(text.contains(QStringLiteral("\n\"'=1+2\",pop,")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("\n=1+2,")));
  }

  void dialogsStartInTheWorkspaceFolderThenTheLastOneChosen() {
    QSettings().clear();
    const QString workspaceFolder = QFileInfo(path_).absolutePath();
    QCOMPARE(reco::ui::dialogStartFolder(QStringLiteral("export"), path_), workspaceFolder);
    QVERIFY(reco::ui::dialogStartFolder(QStringLiteral("export"), path_) != QDir::currentPath());
    QCOMPARE(reco::ui::dialogStartFolder(QStringLiteral("export"), QString()), QDir::homePath());
    QTemporaryDir chosen;
    reco::ui::rememberDialogFolder(QStringLiteral("export"), chosen.filePath("table.csv"));
    QCOMPARE(reco::ui::dialogStartFolder(QStringLiteral("export"), path_),
             QFileInfo(chosen.path()).absoluteFilePath());
    // Each purpose remembers its own folder.
    QCOMPARE(reco::ui::dialogStartFolder(QStringLiteral("import"), path_), workspaceFolder);
    QSettings().clear();
  }
};

QTEST_MAIN(TestWindowExports)
#include "test_window_exports.moc"
