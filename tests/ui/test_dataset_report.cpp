// The import report as the window writes it: the summary's figures add up to the rows read
// (kept + merged by the duplicates policy + rejected or filtered), counts are formatted in
// the summary and in the notes, the time is the stored one; and a dataset whose values are
// quantities shows its event mix without event weights.

#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>

#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "ui/application_setup.h"
#include "ui/convert/qt_convert.h"
#include "ui/main_window.h"
#include "ui/models/event_share_model.h"
#include "ui/models/import_report_model.h"
#include "ui/panels/datasets_panel.h"

using reco::storage::Workspace;

namespace {

constexpr int kTimeoutMs = 15000;

QString plain(const QString& html) {
  QTextDocument document;
  document.setHtml(html);
  return document.toPlainText();
}

}  // namespace

class TestDatasetReport : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
  }

  void theSummaryAddsUpToTheRowsRead() {
    // UCI Online Retail with --duplicates sum, as the README counts it.
    reco::ImportReport report;
    report.rowsRead = 541909;
    report.rowsKept = 266221;
    report.rejected = {{"no customer id", 135080, {}},
                       {"cancelled invoice", 8905, {}},
                       {"non-product stock code", 1554, {}},
                       {"non-positive unit price", 33, {}}};
    report.notes = {"duplicates (sum): 396337 rows merged into 266221 user-item pairs",
                    "rows since 2011-01-04 12:00:00 kept"};
    report.seconds = 1.234;
    QCOMPARE(reco::ui::rejectedRows(report), std::int64_t(145572));
    QCOMPARE(reco::ui::mergedRows(report), std::int64_t(130116));
    QCOMPARE(report.rowsKept + reco::ui::mergedRows(report) + reco::ui::rejectedRows(report),
             report.rowsRead);
    const QString summary = reco::ui::importReportSummary(report, false);
    const QString expected =
        QStringLiteral(
            "Read %1 rows · kept %2 (49.13%) · merged %3 (24.01%) into kept rows of the "
            "same user and item · rejected or filtered %4 (26.86%) · took 1.23 s")
            .arg(reco::ui::formatCount(541909), reco::ui::formatCount(266221),
                 reco::ui::formatCount(130116), reco::ui::formatCount(145572));
    QCOMPARE(summary, expected);
    QCOMPARE(plain(reco::ui::importReportSummary(report, true)), expected);
    const QStringList notes = reco::ui::importReportNotes(report);
    QCOMPARE(notes.at(0), QStringLiteral("duplicates (sum): %1 rows merged into %2 user-item pairs")
                              .arg(reco::ui::formatCount(396337), reco::ui::formatCount(266221)));
    QCOMPARE(notes.at(1),
             QStringLiteral("rows since 2011-01-04 12:00:00 kept"));  // a date stays a date

    // Without merging there is no merge to speak of.
    report.rowsKept = report.rowsRead - 145572;
    QVERIFY(!reco::ui::importReportSummary(report, false).contains(QStringLiteral("merged")));
  }

  void quantitiesShowNoEventWeightsAndTheStoredReport() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("retail.reco"));
    {
      Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
      reco::io::ImportOptions options;
      options.name = "retail";
      options.duplicates = reco::io::DuplicatePolicy::Sum;
      reco::storage::importRecords(workspace, "online-retail", "memory", options,
                                   [](reco::io::RecordSink& sink) {
                                     sink.begin(reco::io::Feedback::Quantity);
                                     const char* rows[][2] = {{"u1", "i1"}, {"u1", "i1"},
                                                              {"u1", "i2"}, {"u2", "i1"},
                                                              {"u2", "i1"}, {"u2", "i1"}};
                                     std::size_t line = 2;
                                     for (const auto& row : rows) {
                                       reco::io::InteractionRecord record;
                                       record.user = row[0];
                                       record.item = row[1];
                                       record.event = "purchase";
                                       record.value = 2;
                                       record.time = 1700000000 + std::int64_t(line);
                                       record.line = line++;
                                       sink.interaction(record);
                                     }
                                     sink.reject("no customer id", line, ",i9,purchase");
                                     return reco::Outcome::Completed;
                                   },
                                   nullptr, {});
    }
    reco::ui::MainWindow window;
    window.resize(1280, 860);
    window.show();
    QSignalSpy shown(window.datasetsPanel(), &reco::ui::DatasetsPanel::detailsShown);
    window.openWorkspace(path);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);

    // 7 read = 3 kept + 3 merged + 1 rejected.
    auto* summary = window.datasetsPanel()->findChild<QLabel*>(QStringLiteral("reportSummary"));
    QVERIFY(summary);
    const QString text = plain(summary->text());
    QVERIFY2(text.startsWith(QStringLiteral("Read 7 rows · kept 3 (42.86%) · merged 3 (42.86%)")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("rejected or filtered 1 (14.29%)")), qPrintable(text));
    const reco::ImportReport stored = [&] {
      Workspace workspace(path.toStdString(), Workspace::OpenMode::OpenExisting);
      return workspace.importReport(workspace.datasets().front().id);
    }();
    QVERIFY2(text.endsWith(
                 reco::ui::importReportSummary(stored, false).section(QStringLiteral(" · "), -1)),
             qPrintable(text));

    // The event mix lists purchases without a weight: the values are quantities.
    auto* events = window.datasetsPanel()->findChild<QTableView*>(QStringLiteral("eventTable"));
    QVERIFY(events);
    QCOMPARE(events->model()->rowCount(), 1);
    QVERIFY(events->isColumnHidden(reco::ui::EventShareModel::WeightColumn));
    QVERIFY(!events->isColumnHidden(reco::ui::EventShareModel::InteractionsColumn));
  }
};

QTEST_MAIN(TestDatasetReport)
#include "test_dataset_report.moc"
