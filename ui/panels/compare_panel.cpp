// ComparePanel's flow: the catalog is read, the controls are filled (keeping what the user
// chose where it still exists), every change schedules one comparison, and its result
// fills the table, the charts and the segments. The widgets are built in
// compare_panel_layout.cpp.
#include "ui/panels/compare_panel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <algorithm>
#include <set>
#include <utility>

#include "core/eval/metrics.h"
#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/models/comparison_table_model.h"
#include "ui/models/segment_table_model.h"
#include "ui/models/tuned_run.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/accuracy_time_plot.h"
#include "ui/plots/metric_bar_chart.h"
#include "ui/plots/segment_bar_chart.h"
#include "ui/plots/tradeoff_plot.h"
#include "ui/widgets/column_chooser.h"
#include "ui/workers/progress_task.h"

namespace reco::ui {

namespace {

constexpr int kRunIdRole = Qt::UserRole + 1;
const QString kDefaultFamily = QStringLiteral("ndcg");

/// Selects the entry whose data is `value`; false (selection unchanged) when none.
bool selectData(QComboBox* combo, const QVariant& value) {
  const int index = combo->findData(value);
  if (index < 0) return false;
  combo->setCurrentIndex(index);
  return true;
}

}  // namespace

ComparePanel::ComparePanel(JobTracker* jobs, QWidget* parent) : QWidget(parent), jobs_(jobs) {
  setObjectName(QStringLiteral("comparePanel"));
  loader_ = new ComparisonLoader(jobs, this);
  compareTimer_ = new QTimer(this);
  compareTimer_->setSingleShot(true);
  compareTimer_->setInterval(0);
  connect(compareTimer_, &QTimer::timeout, this, &ComparePanel::startCompare);
  rerankTask_ = new ProgressTask(jobs, this);
  buildControls();
  buildContent();

  // A cancelled (or superseded) re-rank has ended: list the runs it stored before it stopped.
  connect(rerankTask_, &ProgressTask::droppedEnded, this, &ComparePanel::reload);
  connect(rerankTask_, &ProgressTask::runningChanged, this, [this](bool running) {
    rerankProgress_->setVisible(running);
    rerankLabel_->setVisible(running);
    rerankCancel_->setVisible(running);
    rerankProgress_->setRange(0, 0);  // unknown until the first progress arrives
  });
  connect(rerankTask_, &ProgressTask::progressed, this,
          [this](const QString& stage, double fraction) {
            if (fraction < 0) {
              rerankProgress_->setRange(0, 0);
            } else {
              rerankProgress_->setRange(0, 1000);
              rerankProgress_->setValue(int(fraction * 1000));
            }
            if (!stage.isEmpty()) rerankLabel_->setText(stage + QStringLiteral("…"));
          });
  connect(loader_, &ComparisonLoader::tradeoffReady, this, [this](TradeoffPtr tradeoff) {
    tradeoff_ = std::move(tradeoff);
    refreshTradeoff();
    emit tradeoffShown();
  });
  connect(loader_, &ComparisonLoader::tradeoffFailed, this, [this](const QString& message) {
    tradeoff_.reset();
    refreshTradeoff();
    tradeoffPlot_->showNote(
        QStringLiteral("The trade-off curves could not be computed: %1").arg(message));
  });

  connect(loader_, &ComparisonLoader::catalogLoaded, this, &ComparePanel::onCatalogLoaded);
  connect(loader_, &ComparisonLoader::catalogFailed, this,
          [this](const QString& path, const QString& message) {
            if (path != path_) return;
            showPlaceholder(
                QStringLiteral("<p style='font-size:13pt'>The runs could not be read.</p><p>%1</p>")
                    .arg(message.toHtmlEscaped()),
                true);
          });
  connect(loader_, &ComparisonLoader::comparisonReady, this, &ComparePanel::onComparisonReady);
  connect(loader_, &ComparisonLoader::comparisonFailed, this, [this](const QString& message) {
    comparison_.reset();
    table_->setComparison(nullptr);
    refreshCharts();
    showNotice(QStringLiteral("The comparison failed: %1").arg(message), true);
  });
  connect(loader_, &ComparisonLoader::busyChanged, this, [this](bool busy) {
    busy_->setVisible(busy);
    busyLabel_->setVisible(busy);
    cancelButton_->setVisible(busy);
    if (!busy && !compareTimer_->isActive()) emit settled();
  });

  connect(datasetCombo_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) fillSplits();
  });
  connect(splitCombo_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) fillRuns();
  });
  for (QComboBox* combo : {kCombo_, baselineCombo_, testCombo_})
    connect(combo, &QComboBox::currentIndexChanged, this, [this] {
      if (!filling_) scheduleCompare();
    });
  connect(metricCombo_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) refreshCharts();
  });
  // A splitter in a hidden tab has no height yet: size it when its tab opens.
  connect(tabs_, &QTabWidget::currentChanged, this, &ComparePanel::fitSegmentTableHeight);
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (comparison_) fitTableHeight();
  });
  connect(runModel_, &QStandardItemModel::itemChanged, this, [this] {
    if (!filling_) scheduleCompare();
  });

  installScreenshotHooks();
  setWorkspace(QString());
}

void ComparePanel::setWorkspace(const QString& path) {
  path_ = path;
  loader_->cancelAll();
  compareTimer_->stop();
  catalog_.reset();
  rerankButton_->setEnabled(false);
  comparison_.reset();
  tradeoff_.reset();
  refreshTradeoff();
  table_->setComparison(nullptr);
  filling_ = true;
  for (QComboBox* combo : {datasetCombo_, splitCombo_, baselineCombo_, metricCombo_})
    combo->clear();
  runModel_->clear();
  filling_ = false;
  refreshCharts();
  if (path.isEmpty()) {
    showPlaceholder(noWorkspaceOpenText(), false);
    emit settled();
    return;
  }
  showPlaceholder(QStringLiteral("Reading the runs of %1…").arg(path.toHtmlEscaped()), false);
  loader_->loadCatalog(path);
}

void ComparePanel::reload() {
  if (!path_.isEmpty()) loader_->loadCatalog(path_);
}

bool ComparePanel::isBusy() const {
  return loader_->isBusy() || compareTimer_->isActive();
}

void ComparePanel::onCatalogLoaded(const QString& path, CompareCatalogPtr catalog) {
  if (path != path_) return;
  catalog_ = std::move(catalog);
  // Something to re-rank: a finished run that is not itself re-ranked.
  rerankButton_->setEnabled(
      std::any_of(catalog_->runs.begin(), catalog_->runs.end(),
                  [](const auto& r) { return r.status == "done" && r.model != "rerank"; }));
  if (catalog_->runs.empty()) {
    comparison_.reset();
    table_->setComparison(nullptr);
    refreshCharts();
    showPlaceholder(
        QStringLiteral("<p style='font-size:13pt'>This workspace has no trained runs yet.</p>"
                       "<p>Train models in the <b>Experiments</b> panel (or with "
                       "<code>reco train</code>); their runs appear here side by side.</p>"),
        false);
    return;
  }
  pages_->setCurrentIndex(1);
  fillDatasets();
  applyBookmark();
}

void ComparePanel::fillDatasets() {
  const QVariant keep = datasetCombo_->currentData();
  filling_ = true;
  datasetCombo_->clear();
  for (const auto& dataset : catalog_->datasets) {
    const bool hasRuns = std::any_of(catalog_->runs.begin(), catalog_->runs.end(),
                                     [&](const auto& r) { return r.datasetId == dataset.id; });
    if (hasRuns) datasetCombo_->addItem(toQString(dataset.name), qlonglong(dataset.id));
  }
  // Keep the chosen dataset; else the one of the newest run.
  if (!keep.isValid() || !selectData(datasetCombo_, keep))
    selectData(datasetCombo_, qlonglong(catalog_->runs.back().datasetId));
  filling_ = false;
  fillSplits();
}

void ComparePanel::fillSplits() {
  const QVariant keep = splitCombo_->currentData();
  filling_ = true;
  splitCombo_->clear();
  const reco::DatasetId dataset = datasetCombo_->currentData().toLongLong();
  std::optional<reco::storage::SplitId> newest;
  for (const auto& split : catalog_->splitsOf(dataset)) {
    const auto runs = catalog_->runsOfSplit(split.id);
    if (runs.empty()) continue;
    splitCombo_->addItem(toQString(split.name), qlonglong(split.id));
    splitCombo_->setItemData(splitCombo_->count() - 1,
                             QStringLiteral("%1: %2 runs; %3 training, %4 test pairs; options %5")
                                 .arg(toQString(split.name))
                                 .arg(runs.size())
                                 .arg(formatCount(split.trainPairs), formatCount(split.testPairs),
                                      toQString(split.optionsJson)),
                             Qt::ToolTipRole);
    if (!newest || runs.back().id > catalog_->runsOfSplit(*newest).back().id) newest = split.id;
  }
  if ((!keep.isValid() || !selectData(splitCombo_, keep)) && newest)
    selectData(splitCombo_, qlonglong(*newest));
  filling_ = false;
  fillRuns();
}

std::optional<reco::storage::SplitId> ComparePanel::currentSplit() const {
  const QVariant data = splitCombo_->currentData();
  if (!data.isValid()) return std::nullopt;
  return reco::storage::SplitId(data.toLongLong());
}

void ComparePanel::fillRuns() {
  // Remember the check state of the runs shown so far; new runs come checked.
  std::set<qlonglong> known, unchecked;
  for (int r = 0; r < runModel_->rowCount(); ++r) {
    const qlonglong id = runModel_->item(r)->data(kRunIdRole).toLongLong();
    known.insert(id);
    if (runModel_->item(r)->checkState() != Qt::Checked) unchecked.insert(id);
  }
  const QVariant keepBaseline = baselineCombo_->currentData();
  filling_ = true;
  runModel_->clear();
  baselineCombo_->clear();
  const auto split = currentSplit();
  if (split) {
    for (const auto& run : catalog_->runsOfSplit(*split)) {
      const bool done = run.status == "done";
      const std::optional<TuningMark> tuned = tuningMarkOf(run.protocolJson);
      // The text is the run's name (other code reads it back): a tuned run gets a badge.
      auto* item = new QStandardItem(toQString(run.name) +
                                     (done ? QString() : QStringLiteral("  (failed)")));
      if (tuned) {
        item->setIcon(QIcon(tunedBadge(runList_->font())));
        item->setData(tuned->study, kTuningStudyRole);
      }
      item->setData(qlonglong(run.id), kRunIdRole);
      item->setCheckable(done);
      item->setEnabled(done);
      const bool checked = done && (!known.count(run.id) || !unchecked.count(run.id));
      item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
      item->setToolTip(plainToolTip(
          done ? QStringLiteral("%1: %2, options %3%4")
                     .arg(toQString(run.name), toQString(run.model), toQString(run.optionsJson),
                          tuned ? QStringLiteral("\n") + tuningDescription(*tuned) : QString())
               : QStringLiteral("%1 failed: %2").arg(toQString(run.name), toQString(run.error))));
      runModel_->appendRow(item);
      if (done) baselineCombo_->addItem(toQString(run.name), qlonglong(run.id));
    }
  }
  if (!keepBaseline.isValid() || !selectData(baselineCombo_, keepBaseline)) {
    const int preferred =
        preferredBaseline_.isEmpty() ? -1 : baselineCombo_->findText(preferredBaseline_);
    baselineCombo_->setCurrentIndex(std::max(preferred, 0));
  }
  filling_ = false;
  scheduleCompare();
}

void ComparePanel::scheduleCompare() {
  compareTimer_->start();
}

void ComparePanel::startCompare() {
  if (!catalog_ || path_.isEmpty()) return;
  ComparisonRequest request;
  for (int r = 0; r < runModel_->rowCount(); ++r)
    if (runModel_->item(r)->checkState() == Qt::Checked)
      request.runs.push_back(runModel_->item(r)->data(kRunIdRole).toLongLong());
  if (request.runs.empty()) {
    comparison_.reset();
    tradeoff_.reset();
    refreshTradeoff();
    table_->setComparison(nullptr);
    refreshCharts();
    bool anyFinished = false;
    for (int r = 0; r < runModel_->rowCount(); ++r)
      anyFinished = anyFinished || runModel_->item(r)->isCheckable();
    showNotice(anyFinished ? QStringLiteral("Check at least one run on the left to compare.")
                           : QStringLiteral(
                                 "No run of this split finished; hover a failed run to see why."),
               false);
    if (!loader_->isBusy()) emit settled();
    return;
  }
  showNotice(QString(), false);
  auto& options = request.options;
  options.k = kCombo_->currentData().toInt();
  options.test = reco::PairedTestKind(testCombo_->currentData().toInt());
  options.baseline = toStdString(baselineCombo_->currentText());
  // Segments of every per-user metric at K, so that changing the chart metric needs no
  // new computation; runs without one of them simply have no segments of it.
  for (const auto family : reco::kRankingMetricFamilies)
    options.segmentMetrics.push_back(reco::metricName(family, options.k));
  options.segmentMetrics.emplace_back(reco::kAucMetric);
  options.segmentMetricsRequired = false;
  loader_->compare(path_, request);
  // Cancelled the moment it started (busyChanged reaches Cancel at once): no curves either.
  if (!loader_->isBusy()) return;
  // The curves of the re-ranked runs among the compared ones, each against its plain run.
  TradeoffRequest curves;
  curves.runs = request.runs;
  curves.options.k = options.k;
  curves.options.test = options.test;
  curves.options.alpha = options.alpha;
  loader_->tradeoff(path_, curves);
}

void ComparePanel::cancelReading() {
  if (!loader_->isBusy()) return;
  loader_->cancelAll();
  compareTimer_->stop();
  if (!catalog_) {
    showPlaceholder(
        QStringLiteral(
            "Reading the runs was cancelled. Press F5 (File ▸ Reload) to read them again."),
        false);
    return;
  }
  showNotice(
      QStringLiteral(
          "The comparison was cancelled; the table shows the last finished one. Change a choice or "
          "press F5 to compare again."),
      false);
}

void ComparePanel::onComparisonReady(ComparisonPtr comparison) {
  comparison_ = std::move(comparison);
  table_->setComparison(comparison_);
  fillMetrics();
  if (!wantedChartMetric_.isEmpty()) setChartMetric(std::exchange(wantedChartMetric_, {}));
  refreshCharts();
  columns_->apply();
  updateLegend();
  fitTableHeight();
  emit comparisonShown();
}

void ComparePanel::updateLegend() {
  if (!comparison_) return;
  const QString test = comparison_->test == reco::PairedTestKind::TTest
                           ? QStringLiteral("paired t-test")
                           : QStringLiteral("Wilcoxon signed-rank");
  const int hidden = columns_->hiddenCount();
  legend_->setText(
      QStringLiteral("K = %1 · ±: half the 95% confidence interval · <b>★</b> best per column "
                     "(direction-aware: see the header's tooltip) · "
                     "<span style='color:#1e7a3c'>▲</span>/<span style='color:#a32f2f'>▼</span> "
                     "significantly better/worse than <b>%2</b> (%3, Holm-corrected p &lt; %4)")
          .arg(comparison_->k)
          .arg(toQString(comparison_->baseline.name).toHtmlEscaped(), test)
          .arg(comparison_->alpha) +
      (hidden > 0
           ? QStringLiteral(" · <b>%1 more metric%2</b>: right-click a column header to show them")
                 .arg(hidden)
                 .arg(hidden == 1 ? QString() : QStringLiteral("s"))
           : QString()));
}

void ComparePanel::fitTableHeight() {
  // The table is as tall as its rows (up to a dozen), the charts take the rest.
  // The trade-off tab needs the height for its plot: a few rows then.
  const int maxVisibleRows = tabs_->currentWidget() == tradeoffPage_ ? 4 : 12;
  const int rows = std::min(table_->rowCount(), maxVisibleRows);
  const int tableHeight = tableView_->horizontalHeader()->sizeHint().height() +
                          std::max(rows, 2) * tableView_->verticalHeader()->defaultSectionSize() +
                          tableView_->horizontalScrollBar()->sizeHint().height() +
                          2 * tableView_->frameWidth() + 6;
  // The legend wraps in a narrow window; the notice shows only sometimes.
  const int width = std::max(right_->width(), 400);
  const int extra = legend_->heightForWidth(width) +
                    (notice_->isVisible() ? notice_->heightForWidth(width) : 0) + 16;
  // Before the panel is first laid out its height is not known yet: assume a 900 px window.
  const int total = right_->height() > 100 ? right_->height() : 600;
  // The table gets its rows up to 60% of the height; the charts keep the rest (>= 200 px).
  const int table = std::min(tableHeight + extra, std::max(total * 3 / 5, total - 400));
  right_->setSizes({table, std::max(200, total - table)});
}

void ComparePanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // A new height shares the table and the charts again (the splitter alone would scale
  // both, leaving a tall window's table half empty); a handle the user moved keeps its
  // place until then.
  // After the layout has given the splitter its new height (a hidden panel's children are
  // resized only as it is shown).
  if (comparison_ && event->oldSize().height() != event->size().height())
    QMetaObject::invokeMethod(
        this,
        [this] {
          if (comparison_) fitTableHeight();
        },
        Qt::QueuedConnection);
}

void ComparePanel::fillMetrics() {
  const QString previous = metricCombo_->currentData().toString();
  const QString family = previous.isEmpty() ? kDefaultFamily : parseMetric(previous).family;
  const bool sampled = !previous.isEmpty() && parseMetric(previous).sampled;
  filling_ = true;
  metricCombo_->clear();
  int wanted = -1;
  for (const auto& column : comparison_->columns) {
    const QString metric = toQString(column);
    metricCombo_->addItem(metricLabel(metric), metric);
    metricCombo_->setItemData(metricCombo_->count() - 1, metricHelp(metric), Qt::ToolTipRole);
    const MetricParts parts = parseMetric(metric);
    if (parts.family == family && parts.sampled == sampled) wanted = metricCombo_->count() - 1;
  }
  metricCombo_->setCurrentIndex(
      wanted >= 0
          ? wanted
          : std::max(0, metricCombo_->findData(QStringLiteral("ndcg@%1").arg(comparison_->k))));
  filling_ = false;
}

void ComparePanel::refreshCharts() {
  if (!comparison_) {
    const QString note = QStringLiteral("No comparison to show.");
    barChart_->showNote(note);
    accuracyPlot_->showNote(note);
    segments_->setComparison(nullptr, QString());
    segmentChart_->showNote(note);
    return;
  }
  const QString metric = chartMetric();
  barChart_->setComparison(comparison_, metric);
  accuracyPlot_->setComparison(comparison_, metric);
  // Segments exist for the per-user metrics; a catalogue metric falls back to ndcg@K.
  const std::string name = toStdString(metric);
  const bool segmented =
      std::any_of(comparison_->runs.begin(), comparison_->runs.end(), [&](const auto& row) {
        return std::any_of(row.segments.begin(), row.segments.end(),
                           [&](const auto& s) { return s.metric == name; });
      });
  segments_->setComparison(comparison_,
                           segmented ? metric : QStringLiteral("ndcg@%1").arg(comparison_->k));
  segmentChart_->setSegments(*segments_);
  fitSegmentTableHeight();
}

void ComparePanel::fitSegmentTableHeight() {
  // The segment table as tall as its rows, the grouped bars take the rest.
  const int tableHeight =
      segmentView_->horizontalHeader()->sizeHint().height() +
      segments_->rowCount() * segmentView_->verticalHeader()->defaultSectionSize() +
      segmentView_->horizontalScrollBar()->sizeHint().height() + 2 * segmentView_->frameWidth() + 4;
  const int total = std::max(segmentSplitter_->height(), 500);
  segmentSplitter_->setSizes({std::max(220, total - tableHeight), tableHeight});
}

QString ComparePanel::chartMetric() const {
  return metricCombo_->currentData().toString();
}

bool ComparePanel::setChartMetric(const QString& metric) {
  int index = metricCombo_->findData(metric);
  if (index < 0 && comparison_)
    index = metricCombo_->findData(QStringLiteral("%1@%2").arg(metric).arg(comparison_->k));
  if (index < 0) return false;
  metricCombo_->setCurrentIndex(index);
  return true;
}

bool ComparePanel::selectDataset(const QString& name) {
  const int index = datasetCombo_->findText(name);
  if (index < 0) return false;
  datasetCombo_->setCurrentIndex(index);
  return true;
}

bool ComparePanel::selectSplit(const QString& name) {
  const int index = splitCombo_->findText(name);
  if (index < 0) return false;
  splitCombo_->setCurrentIndex(index);
  return true;
}

bool ComparePanel::setK(int k) {
  return selectData(kCombo_, k);
}

bool ComparePanel::setBaseline(const QString& runName) {
  const int index = baselineCombo_->findText(runName);
  if (index < 0) return false;
  baselineCombo_->setCurrentIndex(index);
  return true;
}

void ComparePanel::setTest(reco::PairedTestKind test) {
  selectData(testCombo_, int(test));
}

int ComparePanel::k() const {
  return kCombo_->currentData().toInt();
}

reco::PairedTestKind ComparePanel::test() const {
  return reco::PairedTestKind(testCombo_->currentData().toInt());
}

QString ComparePanel::baselineName() const {
  return baselineCombo_->currentText();
}

bool ComparePanel::setRunChecked(const QString& runName, bool checked) {
  for (int r = 0; r < runModel_->rowCount(); ++r) {
    QStandardItem* item = runModel_->item(r);
    if (item->text() != runName || !item->isCheckable()) continue;
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    return true;
  }
  return false;
}

QStringList ComparePanel::runNames() const {
  QStringList names;
  for (int r = 0; r < runModel_->rowCount(); ++r) names << runModel_->item(r)->text();
  return names;
}

QStringList ComparePanel::finishedRunNames() const {
  QStringList names;
  for (int r = 0; r < runModel_->rowCount(); ++r)
    if (runModel_->item(r)->isCheckable()) names << runModel_->item(r)->text();
  return names;
}

QStringList ComparePanel::checkedRunNames() const {
  QStringList names;
  for (int r = 0; r < runModel_->rowCount(); ++r)
    if (runModel_->item(r)->checkState() == Qt::Checked) names << runModel_->item(r)->text();
  return names;
}

QString ComparePanel::datasetName() const {
  return datasetCombo_->currentText();
}

}  // namespace reco::ui
