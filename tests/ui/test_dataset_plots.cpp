// The Datasets screen's distribution plots: each draws what it is given (points, bars,
// weekly bins) with a title, axis labels and a legend, log-log axes for the long tail, a
// note when there is nothing to draw; the statistics page puts them in tabs and the window
// shows them for the selected dataset, fitting 1280x800.

#include <qcustomplot.h>

#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/distributions.h"
#include "core/storage/workspace.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_stats_view.h"
#include "ui/panels/datasets_panel.h"
#include "ui/plots/category_bar_chart.h"
#include "ui/plots/distribution_plots.h"

using namespace reco::ui;

namespace {

constexpr int kTimeoutMs = 20000;
constexpr std::int64_t kMonday = 1699833600;  // 2023-11-13 00:00 UTC

reco::DatasetDistributions handMade() {
  reco::DatasetDistributions d;
  reco::rankPopularity({4, 3, 2, 1, 1}, d);
  d.users = 4;
  d.activity = reco::activityHistogram({5, 3, 2, 1});
  d.overTime = reco::timeSeries({{reco::weekIndex(kMonday), 7}, {reco::weekIndex(kMonday) + 2, 3}},
                                d.binSeconds);
  return d;
}

/// A shop of 3 users and 4 items over two weeks.
void importShop(const QString& path) {
  reco::storage::Workspace workspace(path.toStdString(),
                                     reco::storage::Workspace::OpenMode::CreateIfMissing);
  reco::io::ImportOptions options;
  options.name = "shop";
  reco::storage::importRecords(workspace, "events", "memory", options,
                               [](reco::io::RecordSink& sink) {
                                 sink.begin(reco::io::Feedback::Binary);
                                 const char* rows[][2] = {{"u1", "i1"}, {"u1", "i2"}, {"u1", "i3"},
                                                          {"u2", "i1"}, {"u2", "i4"}, {"u3", "i1"}};
                                 std::size_t line = 1;
                                 for (const auto& row : rows) {
                                   reco::io::InteractionRecord record;
                                   record.user = row[0];
                                   record.item = row[1];
                                   record.time = kMonday + std::int64_t(line) * 3 * 86400;
                                   record.line = ++line;
                                   sink.interaction(record);
                                 }
                                 return reco::Outcome::Completed;
                               },
                               nullptr, {});
}

}  // namespace

class TestDatasetPlots : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
  }

  void drawsTheLongTailOnLogLogAxes() {
    LongTailPlot plot;
    QVERIFY(plot.isShowingNote());
    plot.setDistributions(handMade());
    QVERIFY(!plot.isShowingNote());
    QCOMPARE(plot.pointCount(), 5);
    QCOMPARE(plot.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot.title().contains(QStringLiteral("long tail")));
    QVERIFY(plot.xLabel().contains(QStringLiteral("rank")));
    QVERIFY(plot.yLabel().contains(QStringLiteral("interactions")));
    QVERIFY(plot.plot()->legend->visible());
    // The head marker: ceil(5 * 0.2) = 1 item with 4 of 11 interactions.
    QCOMPARE(plot.plot()->graphCount(), 2);
    QCOMPARE(plot.plot()->graph(1)->data()->at(0)->key, 1.0);
    QVERIFY2(plot.plot()->graph(1)->name().contains(QStringLiteral("36.36%")),
             qPrintable(plot.plot()->graph(1)->name()));
    QCOMPARE(plot.plot()->graph(0)->data()->at(0)->value, 4.0);

    plot.setDistributions(reco::DatasetDistributions());
    QVERIFY(plot.isShowingNote());
    QCOMPARE(plot.pointCount(), 0);
  }

  // However narrow the chart, each bar's value label ends inside the plot (at 1024 px the
  // labels of the largest categories were cut at the right edge).
  void categoryValueLabelsStayInsideThePlot() {
    reco::ui::CategoryBarChart chart;
    std::vector<reco::CategoryShare> categories;
    for (int i = 0; i < 8; ++i)
      categories.push_back({"Category " + std::to_string(i), 10, 2800 - 80 * i});
    chart.setCategories(categories, 60000);
    for (const int width : {320, 420, 900}) {
      chart.resize(width, 400);
      chart.show();
      auto* plot = chart.findChild<QCustomPlot*>(QStringLiteral("categoryPlot"));
      QVERIFY(plot != nullptr);
      plot->replot();
      QTest::qWait(50);  // the queued replot that fits the range
      QVERIFY(plot->itemCount() == 8);
      // Ticks about 60 px apart, so that "2,000" and "3,000" never touch (fitTickCountToLength).
      QCOMPARE(plot->xAxis->ticker()->tickCount(), std::max(2, plot->axisRect()->width() / 60));
      for (int i = 0; i < plot->itemCount(); ++i) {
        auto* label = qobject_cast<QCPItemText*>(plot->item(i));
        QVERIFY(label != nullptr);
        const double right = label->position->pixelPosition().x() + label->padding().left() +
                             QFontMetricsF(label->font()).horizontalAdvance(label->text());
        QVERIFY2(right <= plot->width(),
                 qPrintable(QStringLiteral("width %1: '%2' ends at %3 of %4")
                                .arg(width)
                                .arg(label->text())
                                .arg(right)
                                .arg(plot->width())));
      }
    }
  }

  void drawsTheActivityHistogram() {
    ActivityHistogram plot;
    plot.setDistributions(handMade());
    // 1 -> [1]; 2, 3 -> [2-3]; 5 -> [4-7]
    QCOMPARE(plot.barCount(), 3);
    auto* bars = qobject_cast<QCPBars*>(plot.plot()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->at(1)->value, 2.0);
    const auto ticker = qSharedPointerCast<QCPAxisTickerText>(plot.plot()->xAxis->ticker());
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(2.0), QStringLiteral("2–3"));
    QCOMPARE(plot.yLabel(), QStringLiteral("users"));
    QVERIFY(plot.xLabel().contains(QStringLiteral("interactions per user")));
    QVERIFY(plot.plot()->legend->visible());
  }

  void drawsInteractionsPerWeekOrANote() {
    InteractionsOverTimePlot plot;
    plot.setDistributions(handMade());
    QCOMPARE(plot.binCount(), 3);  // 7, 0, 3
    QCOMPARE(plot.title(), QStringLiteral("Interactions per week"));
    const auto data = plot.plot()->graph(0)->data();
    QCOMPARE(data->at(0)->key, double(kMonday));
    QCOMPARE(data->at(1)->value, 0.0);
    QCOMPARE(data->at(2)->value, 3.0);
    QVERIFY(plot.xLabel().contains(QStringLiteral("week")));

    reco::DatasetDistributions untimed = handMade();
    untimed.overTime.clear();
    plot.setDistributions(untimed);
    QVERIFY(plot.isShowingNote());
    QVERIFY(plot.noteText().contains(QStringLiteral("no times")));
    QCOMPARE(plot.binCount(), 0);
  }

  void theWindowShowsThePlotsOfTheSelectedDataset() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shop.reco"));
    importShop(path);

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy settled(window.datasetsPanel(), &DatasetsPanel::settled);
    window.openWorkspace(path);
    DatasetStatsView* stats = window.datasetsPanel()->statsView();
    QTRY_VERIFY_WITH_TIMEOUT(stats->distributions() != nullptr, kTimeoutMs);
    QCOMPARE(stats->distributions()->items, 4);
    QCOMPARE(stats->longTailPlot()->pointCount(), 4);
    QCOMPARE(stats->activityPlot()->barCount(), 2);  // 1 -> [1]; 2, 3 -> [2-3]
    QVERIFY(!stats->overTimePlot()->isShowingNote());
    QCOMPARE(stats->tabs()->count(), 4);

    // Everything fits 1280x800: the statistics page (in a vertical scroll area) is no
    // wider than the panel leaves it, so nothing is cut at the right.
    const int needed = stats->minimumSizeHint().width();
    const int available = 1280 - 168 - 2 * 16 - 14;  // navigation, margins, scroll bar
    qInfo("the statistics page needs %d pixels of width, %d are there", needed, available);
    QVERIFY2(needed <= available, qPrintable(QString::number(needed)));
    stats->tabs()->setCurrentIndex(1);
    QVERIFY(stats->longTailPlot()->isVisible());
    QVERIFY(stats->longTailPlot()->height() >= 200);
  }

  void cancelStopsTheStatisticsOfTheSelectedDataset() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shops.reco"));
    importShop(path);
    importShop(path);  // "shop-2"
    MainWindow window;
    window.show();
    QSignalSpy shown(window.datasetsPanel(), &DatasetsPanel::datasetsShown);
    window.openWorkspace(path);
    QVERIFY(shown.wait(kTimeoutMs));
    DatasetsPanel* panel = window.datasetsPanel();
    DatasetStatsView* stats = panel->statsView();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), kTimeoutMs);
    auto* cancel = panel->findChild<QPushButton*>(QStringLiteral("cancelReadingButton"));
    QVERIFY(cancel != nullptr);
    QVERIFY(!cancel->isVisible());
    QVERIFY(panel->selectDataset(QStringLiteral("shop")));
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), kTimeoutMs);
    // Selecting starts the reads in the background; Cancel in the same turn of the event
    // loop drops them before any result can arrive.
    QVERIFY(panel->selectDataset(QStringLiteral("shop-2")));
    QVERIFY(panel->isBusy());
    QVERIFY(cancel->isVisible());
    panel->cancelReading();
    QVERIFY(!panel->isBusy());
    QVERIFY(!cancel->isVisible());
    QTest::qWait(300);  // any late result would land here; it must be dropped
    QVERIFY(!panel->isBusy());
    QVERIFY(stats->longTailPlot()->noteText().contains(QStringLiteral("Cancelled")));
  }
};

QTEST_MAIN(TestDatasetPlots)
#include "test_dataset_plots.moc"
