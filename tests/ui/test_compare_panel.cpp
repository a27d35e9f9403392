// The Compare screen, offscreen, on a real workspace with three trained runs (pop, itemknn,
// ease on a small synthetic shop): its models under QAbstractItemModelTester; the values
// it shows (means, CIs, p-values, best marks) equal core compareRuns() and `reco compare
// --json`; its controls recompute; exports write CSV, PNG and PDF files; reload() sees new
// runs; failures are shown in place; Cancel stops reading and comparing.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>
#include <cmath>
#include <functional>

#include "core/data/synthetic.h"
#include "core/storage/dataset_import.h"
#include "core/training/comparison.h"
#include "core/training/experiment.h"
#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/convert/metric_help.h"
#include "ui/models/comparison_table_model.h"
#include "ui/models/segment_table_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/plots/accuracy_time_plot.h"
#include "ui/plots/metric_bar_chart.h"
#include "ui/plots/segment_bar_chart.h"
#include "ui/widgets/column_chooser.h"
#include "ui/workers/background_pool.h"
#include "ui/workers/comparison_loader.h"
#include "ui/workers/job_tracker.h"

using reco::testing::nearlyEqual;
using reco::ui::ComparePanel;
using reco::ui::ComparisonTableModel;
using reco::ui::SegmentTableModel;

namespace {

constexpr int kTimeoutMs = 20000;

reco::storage::RunInfo train(reco::storage::Workspace& ws, const reco::storage::SplitInfo& split,
                             const char* model) {
  reco::ExperimentOptions options;
  options.model = model;
  options.compute.threads = 2;
  const auto result = reco::runExperiment(ws, split, options, nullptr, {});
  if (result.outcome != reco::Outcome::Completed) qFatal("training %s stopped", model);
  return result.run;
}

/// The row of the table model showing run `name`, or -1.
int rowOfRun(const ComparisonTableModel& model, const QString& name) {
  for (int r = 0; r < model.rowCount(); ++r)
    if (model.index(r, ComparisonTableModel::kRunColumn)
            .data(ComparisonTableModel::SortRole)
            .toString() == name)
      return r;
  return -1;
}

}  // namespace

class TestComparePanel : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  reco::storage::SplitInfo split_;
  std::vector<reco::storage::RunInfo> runs_;

  /// Waits for the panel's next comparison after `change` (which must start one).
  template <class Change>
  bool recompute(ComparePanel& panel, Change change) {
    QSignalSpy shown(&panel, &ComparePanel::comparisonShown);
    change();
    return shown.wait(kTimeoutMs);
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    path_ = dir_.filePath("compare.reco");
    reco::storage::Workspace ws(path_.toStdString(),
                                reco::storage::Workspace::OpenMode::CreateIfMissing);
    reco::data::SyntheticOptions shop;
    shop.users = 300;
    shop.items = 80;
    shop.interactions = 12000;
    shop.seed = 5;
    reco::io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = reco::storage::importRecords(
        ws, "synthetic", reco::data::syntheticRecipe(shop), importOptions,
        [&](reco::io::RecordSink& sink) {
          return reco::data::generateShop(shop, sink, nullptr, {});
        },
        nullptr, {});
    reco::SplitOptions splitOptions;
    split_ =
        reco::storage::createSplit(ws, imported.dataset, "random-42", splitOptions, nullptr, {})
            .split;
    for (const char* model : {"pop", "itemknn", "ease"}) runs_.push_back(train(ws, split_, model));
  }

  void modelsPassTheModelTester() {
    reco::ui::ComparisonRequest request;
    for (const auto& run : runs_) request.runs.push_back(run.id);
    request.options.segmentMetrics = {"ndcg@10"};
    const auto comparison =
        reco::ui::ComparisonLoader::computeComparison(path_.toStdString(), request);
    QVERIFY(comparison);

    ComparisonTableModel table;
    QAbstractItemModelTester tableTester(&table,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    table.setComparison(comparison);
    QCOMPARE(table.rowCount(), 3);
    QCOMPARE(table.columnCount(),
             ComparisonTableModel::kFirstMetricColumn + int(comparison->columns.size()) + 2);
    QCOMPARE(table.metricOfColumn(table.columnCount() - 2), QStringLiteral("train_seconds"));
    table.setComparison(nullptr);
    QCOMPARE(table.rowCount(), 0);
    table.setComparison(comparison);

    SegmentTableModel segments;
    QAbstractItemModelTester segmentTester(&segments,
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);
    segments.setComparison(comparison, QStringLiteral("ndcg@10"));
    QCOMPARE(segments.columnCount(), 1 + 3);
    // Activity quartiles cover every evaluated user once; head and tail rows come last.
    qlonglong users = 0;
    for (int r = 0; r < segments.rowCount(); ++r)
      if (segments.index(r, 0).data(SegmentTableModel::GroupRole).toString() ==
          QStringLiteral("activity"))
        users += segments.index(r, 1).data(SegmentTableModel::UsersRole).toLongLong();
    QCOMPARE(users, qlonglong(comparison->runs[0].metric("ndcg@10")->n));
    QCOMPARE(
        segments.index(segments.rowCount() - 1, 0).data(SegmentTableModel::GroupRole).toString(),
        QStringLiteral("items"));
    segments.setComparison(nullptr, QString());
    QCOMPARE(segments.rowCount(), 0);
  }

  void panelShowsWhatCoreAndCliCompute() {
    reco::ui::JobTracker jobs;
    ComparePanel panel(&jobs);
    panel.resize(1300, 850);
    panel.show();
    QSignalSpy shown(&panel, &ComparePanel::comparisonShown);
    panel.setWorkspace(path_);
    QVERIFY(jobs.count() > 0);  // the reading is a registered background job
    QVERIFY(shown.wait(kTimeoutMs));
    QCOMPARE(panel.runNames(), QStringList({"pop", "itemknn", "ease"}));
    // The panel fits a 1280-pixel window beside the navigation list (168 pixels).
    QVERIFY2(panel.minimumSizeHint().width() <= 1280 - 180,
             qPrintable(QString::number(panel.minimumSizeHint().width())));
    const ComparisonTableModel& table = *panel.tableModel();
    QCOMPARE(table.rowCount(), 3);

    reco::storage::Workspace ws(path_.toStdString(),
                                reco::storage::Workspace::OpenMode::OpenExisting);
    reco::ComparisonOptions
        options;  // the panel's defaults: K 10, t-test, the first run as baseline
    const reco::Comparison core = reco::compareRuns(ws, runs_, options);
    QCOMPARE(int(table.comparison()->columns.size()), int(core.columns.size()));
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      const int row = rowOfRun(table, QString::fromStdString(runs_[r].name));
      QVERIFY(row >= 0);
      for (const auto& metric : core.columns) {
        const int column = table.columnOf(QString::fromStdString(metric));
        QVERIFY2(column >= 0, metric.c_str());
        const QModelIndex cell = table.index(row, column);
        const auto* m = core.runs[r].metric(metric);
        QCOMPARE(cell.data(ComparisonTableModel::MeanRole).isValid(), m != nullptr);
        if (!m) continue;
        QCOMPARE(cell.data(ComparisonTableModel::MeanRole).toDouble(), m->mean);
        if (m->ciLow) QCOMPARE(cell.data(ComparisonTableModel::CiLowRole).toDouble(), *m->ciLow);
        if (m->ciHigh) QCOMPARE(cell.data(ComparisonTableModel::CiHighRole).toDouble(), *m->ciHigh);
        const auto* test = core.runs[r].test(metric);
        QCOMPARE(cell.data(ComparisonTableModel::PValueRole).isValid(), test != nullptr);
        if (test) {
          QCOMPARE(cell.data(ComparisonTableModel::PValueRole).toDouble(), test->p);
          QCOMPARE(cell.data(ComparisonTableModel::PHolmRole).toDouble(), test->pHolm);
        }
        QCOMPARE(cell.data(ComparisonTableModel::BestRole).toBool(), core.bestRun(metric) == r);
      }
    }

    // `reco compare --json` prints the same numbers.
    const auto cli =
        reco::testing::runCli({"--workspace", path_, "compare", "--runs", "pop,itemknn,ease", "--k",
                               "10", "--baseline", "pop", "--json"});
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    const QJsonArray rows = QJsonDocument::fromJson(cli.out).array();
    QCOMPARE(rows.size(), 3);
    int checked = 0;
    for (const auto& value : rows) {
      const QJsonObject run = value.toObject();
      const int row = rowOfRun(table, run["run"].toString());
      QVERIFY(row >= 0);
      const QJsonObject metrics = run["metrics"].toObject();
      for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const QModelIndex cell = table.index(row, table.columnOf(it.key()));
        QVERIFY2(cell.isValid(), qPrintable(it.key()));
        QVERIFY(nearlyEqual(cell.data(ComparisonTableModel::MeanRole).toDouble(),
                            it.value().toObject()["mean"].toDouble()));
        if (!it.value().toObject()["ci_low"].isNull())
          QVERIFY(nearlyEqual(cell.data(ComparisonTableModel::CiLowRole).toDouble(),
                              it.value().toObject()["ci_low"].toDouble()));
        ++checked;
      }
      const QJsonObject significance = run["significance"].toObject();
      for (auto it = significance.begin(); it != significance.end(); ++it) {
        const QModelIndex cell = table.index(row, table.columnOf(it.key()));
        QVERIFY(nearlyEqual(cell.data(ComparisonTableModel::PValueRole).toDouble(),
                            it.value().toObject()["p"].toDouble()));
        QVERIFY(nearlyEqual(cell.data(ComparisonTableModel::PHolmRole).toDouble(),
                            it.value().toObject()["p_holm"].toDouble()));
        ++checked;
      }
    }
    QVERIFY(checked > 40);
  }

  void bestAndSignificanceMarksAreOnTheRightRuns() {
    ComparePanel panel(nullptr);
    QVERIFY(recompute(panel, [&] { panel.setWorkspace(path_); }));
    const ComparisonTableModel& table = *panel.tableModel();
    auto bestRow = [&](const QString& metric, bool lower) {
      int best = -1;
      for (int r = 0; r < table.rowCount(); ++r) {
        const double v =
            table.index(r, table.columnOf(metric)).data(ComparisonTableModel::MeanRole).toDouble();
        if (best < 0) best = r;
        const double b = table.index(best, table.columnOf(metric))
                             .data(ComparisonTableModel::MeanRole)
                             .toDouble();
        if (lower ? v < b : v > b) best = r;
      }
      return best;
    };
    for (const auto& [metric, lower] : {std::pair{QStringLiteral("ndcg@10"), false},
                                        {QStringLiteral("coverage@10"), false},
                                        {QStringLiteral("avg_popularity@10"), true},
                                        {QStringLiteral("gini@10"), true}}) {
      const int column = table.columnOf(metric);
      const int best = bestRow(metric, lower);
      for (int r = 0; r < table.rowCount(); ++r) {
        const QModelIndex cell = table.index(r, column);
        QCOMPARE(cell.data(ComparisonTableModel::BestRole).toBool(), r == best);
        QCOMPARE(cell.data(Qt::DisplayRole).toString().contains(QChar(0x2605)), r == best);
        QCOMPARE(cell.data(Qt::FontRole).value<QFont>().bold(), r == best);
      }
    }
    // A collaborative model, not pop, has the best ndcg; it is significantly better than pop.
    const int best = bestRow(QStringLiteral("ndcg@10"), false);
    QVERIFY(best != rowOfRun(table, QStringLiteral("pop")));
    const QModelIndex cell = table.index(best, table.columnOf(QStringLiteral("ndcg@10")));
    QCOMPARE(cell.data(ComparisonTableModel::SignificanceRole).toInt(), 1);
    QVERIFY(cell.data(Qt::DisplayRole).toString().contains(QChar(0x25B2)));
    // The tooltip is rich text: what a user reads is the text Qt renders from it, where an
    // unescaped "<" would have swallowed the p-values as a tag.
    QTextDocument rendered;
    rendered.setHtml(cell.data(Qt::ToolTipRole).toString());
    const QString tipText = rendered.toPlainText();
    const double p = cell.data(ComparisonTableModel::PValueRole).toDouble();
    const double pHolm = cell.data(ComparisonTableModel::PHolmRole).toDouble();
    auto shown = [](const QString& name, double value) {
      return value < 1e-4 ? name + QStringLiteral(" < 0.0001")
                          : name + QStringLiteral(" = ") + QString::number(value, 'f', 4);
    };
    QVERIFY2(tipText.contains(QStringLiteral(", ") + shown(QStringLiteral("p"), p) +
                              QStringLiteral(",")),
             qPrintable(tipText));
    QVERIFY2(tipText.contains(shown(QStringLiteral("Holm-corrected p"), pHolm)),
             qPrintable(tipText));
    QVERIFY2(tipText.contains(QStringLiteral(
                 "significantly better than the baseline (Holm-corrected p < 0.05)")),
             qPrintable(tipText));
    // A cell whose difference is not significant still shows its p-values.
    for (int r = 0; r < table.rowCount(); ++r) {
      const QModelIndex other = table.index(r, table.columnOf(QStringLiteral("ndcg@10")));
      if (other.data(ComparisonTableModel::PValueRole).isNull()) continue;
      rendered.setHtml(other.data(Qt::ToolTipRole).toString());
      QVERIFY2(rendered.toPlainText().contains(QStringLiteral("Holm-corrected p ")),
               qPrintable(rendered.toPlainText()));
    }
    // Headers explain the metric and say which way is better.
    const QString tip =
        table.headerData(table.columnOf(QStringLiteral("gini@10")), Qt::Horizontal, Qt::ToolTipRole)
            .toString();
    QVERIFY(tip.contains(QStringLiteral("Lower is better")));
  }

  void aSmallWindowShowsTheTableRows() {
    // The panel's part of a 1024 x 700 window (without the sidebar, menu and status bar):
    // every run's row is in view and the run checklist leaves the width to the table.
    ComparePanel panel(nullptr);
    panel.resize(1024 - 170, 700 - 60);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(recompute(panel, [&] { panel.setWorkspace(path_); }));
    QApplication::processEvents();
    auto* view = panel.findChild<QTableView*>(QStringLiteral("comparisonTable"));
    auto* runBox = panel.findChild<QWidget*>(QStringLiteral("compareRunBox"));
    QVERIFY(view && runBox);
    const int rows = panel.tableModel()->rowCount();
    QCOMPARE(rows, 3);
    const int needed = rows * view->verticalHeader()->defaultSectionSize();
    QVERIFY2(view->viewport()->height() >= needed,
             qPrintable(QStringLiteral("viewport %1 px for %2 px of rows")
                            .arg(view->viewport()->height())
                            .arg(needed)));
    QVERIFY(runBox->width() <= 200);
    QVERIFY(view->width() >= panel.width() - 200 - 60);
    // The charts keep a usable height below.
    auto* tabs = panel.findChild<QTabWidget*>(QStringLiteral("compareTabs"));
    QVERIFY(tabs->height() >= 200);
  }

  // Sixteen metric columns do not fit a 1920 px window: the least central start hidden,
  // the header's menu shows them, the choice is remembered, the legend says how many hide.
  void metricColumnsCanBeHiddenAndShown() {
    QSettings().remove(QStringLiteral("compare/hiddenMetrics"));
    ComparePanel panel(nullptr);
    QVERIFY(recompute(panel, [&] { panel.setWorkspace(path_); }));
    auto* view = panel.findChild<QTableView*>(QStringLiteral("comparisonTable"));
    auto* chooser = panel.findChild<reco::ui::ColumnChooser*>();
    QVERIFY(view && chooser);
    const int mrr = panel.tableModel()->columnOf(QStringLiteral("mrr@10"));
    const int ndcg = panel.tableModel()->columnOf(QStringLiteral("ndcg@10"));
    QVERIFY(mrr >= 0 && ndcg >= 0);
    QVERIFY(view->isColumnHidden(mrr));
    QVERIFY(!view->isColumnHidden(ndcg));
    auto* legend = panel.findChild<QLabel*>(QStringLiteral("compareLegend"));
    QVERIFY2(legend->text().contains(QStringLiteral("more metrics")), qPrintable(legend->text()));
    chooser->setHidden(QStringLiteral("mrr"), false);
    QVERIFY(!view->isColumnHidden(mrr));
    // Remembered: a new panel (a new K, a restart) keeps the choice.
    ComparePanel again(nullptr);
    QVERIFY(recompute(again, [&] { again.setWorkspace(path_); }));
    QVERIFY(!again.findChild<QTableView*>(QStringLiteral("comparisonTable"))->isColumnHidden(mrr));
    QSettings().remove(QStringLiteral("compare/hiddenMetrics"));
  }

  void controlsRecompute() {
    ComparePanel panel(nullptr);
    QVERIFY(recompute(panel, [&] { panel.setWorkspace(path_); }));
    QVERIFY(recompute(panel, [&] { QVERIFY(panel.setK(5)); }));
    QCOMPARE(panel.comparison()->k, 5);
    QVERIFY(panel.tableModel()->columnOf(QStringLiteral("ndcg@5")) >= 0);
    QCOMPARE(panel.chartMetric(), QStringLiteral("ndcg@5"));  // the chart keeps its metric family

    QVERIFY(recompute(panel, [&] { panel.setTest(reco::PairedTestKind::Wilcoxon); }));
    reco::storage::Workspace ws(path_.toStdString(),
                                reco::storage::Workspace::OpenMode::OpenExisting);
    reco::ComparisonOptions options;
    options.k = 5;
    options.test = reco::PairedTestKind::Wilcoxon;
    const reco::Comparison wilcoxon = reco::compareRuns(ws, runs_, options);
    const int row = rowOfRun(*panel.tableModel(), QStringLiteral("ease"));
    QCOMPARE(panel.tableModel()
                 ->index(row, panel.tableModel()->columnOf(QStringLiteral("recall@5")))
                 .data(ComparisonTableModel::PValueRole)
                 .toDouble(),
             wilcoxon.runs[2].test("recall@5")->p);

    QVERIFY(recompute(panel, [&] { QVERIFY(panel.setBaseline(QStringLiteral("itemknn"))); }));
    QCOMPARE(panel.comparison()->baseline.name, std::string("itemknn"));
    QVERIFY(panel.tableModel()
                ->index(rowOfRun(*panel.tableModel(), QStringLiteral("itemknn")), 0)
                .data(ComparisonTableModel::BaselineRole)
                .toBool());

    QVERIFY(recompute(panel, [&] { QVERIFY(panel.setRunChecked(QStringLiteral("pop"), false)); }));
    QCOMPARE(panel.tableModel()->rowCount(), 2);
    QCOMPARE(rowOfRun(*panel.tableModel(), QStringLiteral("pop")), -1);

    // The chart metric changes the charts and segments without a new comparison.
    QVERIFY(panel.setChartMetric(QStringLiteral("recall")));
    QCOMPARE(panel.barChart()->title(), QStringLiteral("recall@5 per run (mean with 95% CI)"));
    QCOMPARE(panel.barChart()->barCount(), 2);
    QCOMPARE(panel.barChart()->errorBarCount(), 2);
    QCOMPARE(panel.segmentModel()->metric(), QStringLiteral("recall@5"));
    QVERIFY(panel.setChartMetric(QStringLiteral("coverage@5")));  // no CI, no segments of its own
    QCOMPARE(panel.barChart()->errorBarCount(), 0);
    QCOMPARE(panel.segmentModel()->metric(), QStringLiteral("ndcg@5"));
    QVERIFY(panel.accuracyPlot()->xAxisIsLogarithmic());
    QCOMPARE(panel.accuracyPlot()->pointLabels(), QStringList({"itemknn", "ease"}));
  }

  void exportsWriteFiles() {
    ComparePanel panel(nullptr);
    panel.resize(1300, 850);
    panel.show();
    QVERIFY(recompute(panel, [&] { panel.setWorkspace(path_); }));
    QTemporaryDir out;
    const QString csv = out.filePath("table.csv");
    QString error;
    QVERIFY2(panel.exportTableCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines =
        QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + 3);
    QVERIFY(lines[0].startsWith(
        QStringLiteral("run,model,baseline,train_seconds,eval_seconds,precision@10,"
                       "precision@10_ci_low,precision@10_ci_high,precision@10_p_holm,")));
    const int fields = int(lines[0].split(QLatin1Char(',')).size());
    QCOMPARE(fields, 5 + 4 * int(panel.comparison()->columns.size()));
    for (int i = 1; i < lines.size(); ++i)
      QCOMPARE(int(lines[i].split(QLatin1Char(',')).size()), fields);
    QVERIFY(lines[1].startsWith(QStringLiteral("pop,pop,1,")));

    const std::pair<QString, std::function<bool(const QString&, QString*)>> charts[] = {
        {QStringLiteral("bars"),
         [&](const QString& p, QString* e) { return panel.exportBarChart(p, e); }},
        {QStringLiteral("time"),
         [&](const QString& p, QString* e) { return panel.exportAccuracyPlot(p, e); }},
        {QStringLiteral("segments"),
         [&](const QString& p, QString* e) { return panel.exportSegmentChart(p, e); }}};
    for (const auto& [name, save] : charts) {
      const QString png = out.filePath(name + QStringLiteral(".png")),
                    pdf = out.filePath(name + QStringLiteral(".pdf"));
      QVERIFY2(save(png, &error), qPrintable(error));
      QVERIFY2(save(pdf, &error), qPrintable(error));
      const QImage image(png);
      QVERIFY2(!image.isNull() && image.width() >= 900, qPrintable(name));
      QFile document(pdf);
      QVERIFY(document.open(QIODevice::ReadOnly));
      QVERIFY(document.size() > 1000);
      QVERIFY(document.read(4) == "%PDF");
      // RECO_COMPARE_SHOT_DIR keeps copies of the pictures, for looking at them by hand.
      if (const QString shots = qEnvironmentVariable("RECO_COMPARE_SHOT_DIR"); !shots.isEmpty())
        QFile::copy(png, shots + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
    if (const QString shots = qEnvironmentVariable("RECO_COMPARE_SHOT_DIR"); !shots.isEmpty()) {
      auto* tabs = panel.findChild<QTabWidget*>(QStringLiteral("compareTabs"));
      for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        QTest::qWait(50);  // let the tab lay out and paint before the grab (pictures only)
        panel.grab().save(shots + QStringLiteral("/panel-tab%1.png").arg(tab));
      }
    }
    QVERIFY(!panel.exportBarChart(QStringLiteral("/nonexistent-dir/x.png"), &error));
    QVERIFY(!error.isEmpty());
  }

  void reloadSeesNewRunsAndFailuresShowInPlace() {
    ComparePanel panel(nullptr);
    QVERIFY(recompute(panel, [&] { panel.setWorkspace(path_); }));
    {
      reco::storage::Workspace ws(path_.toStdString(),
                                  reco::storage::Workspace::OpenMode::OpenExisting);
      train(ws, split_, "random");
    }
    QVERIFY(recompute(panel, [&] { panel.reload(); }));
    QCOMPARE(panel.runNames().size(), 4);
    QCOMPARE(panel.tableModel()->rowCount(), 4);
    QVERIFY(rowOfRun(*panel.tableModel(), QStringLiteral("random")) >= 0);

    // Sampled metrics (an explicit `reco eval --sampled`) join the table, labelled "sampled".
    const auto eval = reco::testing::runCli(
        {"--workspace", path_, "eval", "--run", "pop", "--k", "5,10", "--sampled", "30"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    QVERIFY(recompute(panel, [&] { panel.reload(); }));
    const int sampled = panel.tableModel()->columnOf(QStringLiteral("sampled_ndcg@10"));
    QVERIFY(sampled >= 0);
    QCOMPARE(panel.tableModel()->headerData(sampled, Qt::Horizontal).toString(),
             QStringLiteral("ndcg@10 (sampled)"));
    QVERIFY(panel.tableModel()
                ->headerData(sampled, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Sampled")));
    QVERIFY(panel.setChartMetric(QStringLiteral("sampled_ndcg@10")));
    QVERIFY(panel.barChart()->title().contains(QStringLiteral("(sampled)")));
    QCOMPARE(reco::ui::metricLabel(QStringLiteral("avg_popularity@20")),
             QStringLiteral("avg popularity@20"));

    // A file that is not a workspace: the message is shown in place, nothing is compared.
    const QString bogus = dir_.filePath("not-a-workspace.reco");
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not SQLite");
    file.close();
    panel.setWorkspace(bogus);
    QTRY_VERIFY_WITH_TIMEOUT(panel.message().contains(QStringLiteral("could not be read")),
                             kTimeoutMs);
    QCOMPARE(panel.tableModel()->rowCount(), 0);

    // A workspace without runs says how to get some.
    const QString empty = dir_.filePath("empty.reco");
    {
      reco::storage::Workspace ws(empty.toStdString(),
                                  reco::storage::Workspace::OpenMode::CreateIfMissing);
    }
    panel.setWorkspace(empty);
    QTRY_VERIFY_WITH_TIMEOUT(panel.message().contains(QStringLiteral("no trained runs")),
                             kTimeoutMs);
  }

  void cancelStopsReadingAndComparing() {
    ComparePanel panel(nullptr);
    auto* cancel = panel.findChild<QPushButton*>(QStringLiteral("cancelCompareButton"));
    QVERIFY(cancel);
    QVERIFY(cancel->isHidden());
    QSignalSpy shown(&panel, &ComparePanel::comparisonShown);
    // After a click: idle, the button hidden, the panel says so, and nothing arrives later.
    const auto checkCancelled = [&] {
      QVERIFY(!panel.isBusy());
      QVERIFY(cancel->isHidden());
      QVERIFY2(panel.message().contains(QStringLiteral("cancelled")), qPrintable(panel.message()));
      reco::ui::backgroundPool().waitForDone();  // the loaders' pool
      QCoreApplication::processEvents();
      QCOMPARE(shown.count(), 0);
    };

    // Reading the runs: the button shows while the read is under way and drops it.
    panel.setWorkspace(path_);
    QVERIFY(!cancel->isHidden());
    cancel->click();
    checkCancelled();
    if (QTest::currentTestFailed()) return;
    QVERIFY(!panel.comparison());
    QVERIFY(panel.runNames().isEmpty());

    // F5 reads again and compares.
    QVERIFY(recompute(panel, [&] { panel.reload(); }));
    const auto before = panel.comparison();
    QCOMPARE(before->k, 10);

    // A comparison in flight (a new K): cancelled the moment it starts, it never arrives
    // and the last finished comparison stays on screen.
    auto* loader = panel.findChild<reco::ui::ComparisonLoader*>();
    QVERIFY(loader);
    bool clicked = false;
    const auto connection =
        connect(loader, &reco::ui::ComparisonLoader::busyChanged, &panel, [&](bool busy) {
          if (!busy || clicked) return;
          clicked = true;
          QVERIFY(!cancel->isHidden());
          cancel->click();
        });
    shown.clear();
    QVERIFY(panel.setK(20));
    QTRY_VERIFY_WITH_TIMEOUT(clicked, kTimeoutMs);
    disconnect(connection);
    checkCancelled();
    if (QTest::currentTestFailed()) return;
    QCOMPARE(panel.comparison(), before);

    // Changing a choice compares again.
    QVERIFY(recompute(panel, [&] { panel.setK(5); }));
    QCOMPARE(panel.comparison()->k, 5);
    QVERIFY(panel.message().isEmpty());
  }
};

QTEST_MAIN(TestComparePanel)
#include "test_compare_panel.moc"
