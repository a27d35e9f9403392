// The small item models of the statistics page (quantiles, event mix, import report)
// under QAbstractItemModelTester, and the number formatting of ui/convert.

#include <QAbstractItemModelTester>
#include <QtTest>

#include "ui/convert/qt_convert.h"
#include "ui/models/count_summary_model.h"
#include "ui/models/dataset_details.h"
#include "ui/models/event_share_model.h"
#include "ui/models/import_report_model.h"

using namespace reco::ui;

class TestStatsModels : public QObject {
  Q_OBJECT

 private slots:
  void formatsNumbers() {
    QCOMPARE(formatCount(0), QStringLiteral("0"));
    QCOMPARE(formatCount(1234567), QStringLiteral("1,234,567"));
    QCOMPARE(formatPercent(0.063), QStringLiteral("6.30%"));
    QCOMPARE(formatPercent(0.000123), QStringLiteral("0.0123%"));
    QCOMPARE(formatPercent(0.0), QStringLiteral("0%"));
    QCOMPARE(formatStatistic(12.0), QStringLiteral("12"));
    QCOMPARE(formatStatistic(12.25), QStringLiteral("12.3"));
    QCOMPARE(formatDate(std::optional<std::int64_t>(0)), QStringLiteral("1970-01-01"));
    QCOMPARE(formatDuration(0, 86400 * 215), QStringLiteral("215 days"));
    QCOMPARE(formatDuration(std::nullopt, 5), QStringLiteral("–"));
    QCOMPARE(toStdString(toQString("Küche › Töpfe")), std::string("Küche › Töpfe"));
  }

  void quantileTable() {
    CountSummaryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    reco::CountSummary perUser{20, 32, 65, 148, 244, 540.5, 737, 106.04};
    reco::CountSummary perItem{1, 6, 27, 80, 169.9, 431, 1325, 59.45};
    model.setSummaries(perUser, perItem);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.headerData(CountSummaryModel::Median, Qt::Vertical).toString(),
             QStringLiteral("Median"));
    QCOMPARE(model.headerData(CountSummaryModel::PerItemColumn, Qt::Horizontal).toString(),
             QStringLiteral("Per item"));
    QCOMPARE(
        model.index(CountSummaryModel::Max, CountSummaryModel::PerItemColumn).data().toString(),
        QStringLiteral("1,325"));
    QCOMPARE(
        model.index(CountSummaryModel::Q99, CountSummaryModel::PerUserColumn).data().toString(),
        QStringLiteral("540.5"));
    QCOMPARE(
        model.index(CountSummaryModel::Mean, CountSummaryModel::PerUserColumn).data().toString(),
        QStringLiteral("106.0"));
    QCOMPARE(model.index(CountSummaryModel::Q90, CountSummaryModel::PerItemColumn)
                 .data(CountSummaryModel::SortRole)
                 .toDouble(),
             169.9);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }

  void eventTable() {
    EventShareModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto details = std::make_shared<DatasetDetails>();
    details->stats.events = {{"view", 1, 7500}, {"cart", 3, 2000}, {"purchase", 5, 500}};
    DatasetDetailsPtr shared = details;
    model.setEvents(EventShareList(shared, &shared->stats.events));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, EventShareModel::EventColumn).data().toString(),
             QStringLiteral("view"));
    QCOMPARE(model.index(0, EventShareModel::InteractionsColumn).data().toString(),
             QStringLiteral("7,500"));
    QCOMPARE(model.index(0, EventShareModel::ShareColumn).data().toString(),
             QStringLiteral("75.00%"));
    QCOMPARE(model.index(2, EventShareModel::WeightColumn).data().toString(), QStringLiteral("5"));
    QCOMPARE(model.index(1, EventShareModel::InteractionsColumn)
                 .data(EventShareModel::SortRole)
                 .toLongLong(),
             2000LL);
    model.setEvents(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void importReportTree() {
    ImportReportModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto report = std::make_shared<reco::ImportReport>();
    report->rowsRead = 1000;
    report->rowsKept = 990;
    report->rejected = {
        {"wrong number of fields",
         7,
         {{"/data/events.csv", 12, "a,b"}, {"/data/events.csv", 40, "c"}}},
        {"below k-core", 3, {}},
    };
    model.setReport(report);
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex first = model.index(0, 0);
    QCOMPARE(first.data().toString(), QStringLiteral("wrong number of fields"));
    QCOMPARE(model.index(0, ImportReportModel::RowsColumn).data().toString(), QStringLiteral("7"));
    QCOMPARE(model.rowCount(first), 2);
    QCOMPARE(model.rowCount(model.index(1, 0)), 0);
    const QModelIndex example = model.index(1, 0, first);
    QCOMPARE(example.data().toString(), QStringLiteral("events.csv:40"));
    QCOMPARE(model.index(1, ImportReportModel::ExampleColumn, first).data().toString(),
             QStringLiteral("c"));
    QCOMPARE(model.parent(example), first);
    QCOMPARE(model.rowCount(example), 0);
    model.setReport(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }
};

QTEST_GUILESS_MAIN(TestStatsModels)
#include "test_stats_models.moc"
