// ComparePanel's widgets: the heading with its busy indicator and export buttons, the
// control row, the run list, the table and the chart tabs. The flow (reading, choosing,
// comparing) is in compare_panel.cpp.
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/models/comparison_table_model.h"
#include "ui/models/segment_table_model.h"
#include "ui/models/tuned_run.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/accuracy_time_plot.h"
#include "ui/plots/metric_bar_chart.h"
#include "ui/plots/segment_bar_chart.h"
#include "ui/plots/tradeoff_plot.h"
#include "ui/widgets/column_chooser.h"
#include "ui/widgets/flow_row_layout.h"

namespace reco::ui {

namespace {

constexpr int kRowPixels = 28;

QComboBox* makeCombo(const char* name, const QString& toolTip, int minimumChars) {
  auto* combo = new QComboBox;
  combo->setObjectName(QString::fromLatin1(name));
  combo->setToolTip(toolTip);
  // Sized by a minimum length, not the longest entry, so that the row fits 1280 pixels.
  combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  combo->setMinimumContentsLength(minimumChars);
  return combo;
}

/// A caption with a mnemonic (Alt+letter focuses the control).
QLabel* caption(const QString& text, QWidget* buddy) {
  auto* label = new QLabel(text);
  label->setObjectName(QStringLiteral("compareCaption"));
  label->setBuddy(buddy);
  label->setContentsMargins(0, 0, 3, 0);  // room for the last glyph's overhang
  return label;
}

void setUpTable(QTableView* view) {
  setUpRecordTable(view, kRowPixels);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

/// Draws an item's icon (the "tuned" badge) after its text instead of before it, and never
/// wider than the list's viewport: a long run name is elided, the badge stays whole at the
/// right edge (a row as wide as its text put the badge past the 200-pixel run box, clipped).
class BadgeAfterTextDelegate : public QStyledItemDelegate {
 public:
  explicit BadgeAfterTextDelegate(QListView* view) : QStyledItemDelegate(view), view_(view) {}

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const int width = view_->viewport()->width();
    if (width > 0) size.setWidth(std::min(size.width(), width));
    return size;
  }

 protected:
  void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
    QStyledItemDelegate::initStyleOption(option, index);
    option->decorationPosition = QStyleOptionViewItem::Right;
    option->textElideMode = Qt::ElideMiddle;  // "s1-…-ease": both ends of a name tell
  }

 private:
  QListView* view_;
};

}  // namespace

void ComparePanel::buildControls() {
  heading_ = new QLabel(QStringLiteral("Compare"));
  heading_->setObjectName(QStringLiteral("panelHeading"));
  busy_ = createBusyIndicator();
  busyLabel_ = createBusyLabel(QStringLiteral("Comparing…"));
  // A comparison of many large runs reads every per-user value and takes seconds.
  cancelButton_ =
      createCancelButton(QStringLiteral("cancelCompareButton"),
                         QStringLiteral("Stop reading the runs and computing the comparison"));
  connect(cancelButton_, &QPushButton::clicked, this, &ComparePanel::cancelReading);

  rerankButton_ = new QPushButton(QStringLiteral("Re-rank…"));
  rerankButton_->setObjectName(QStringLiteral("rerankButton"));
  rerankButton_->setToolTip(
      QStringLiteral("Apply a re-ranker (MMR, calibration, a popularity penalty, business rules) "
                     "to a run and store the result as a derived run, optionally sweeping λ or "
                     "β; the Trade-off tab then shows what it costs in accuracy (Ctrl+R)."));
  rerankButton_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  connect(rerankButton_, &QPushButton::clicked, this, [this] { openRerankDialog(); });
  rerankProgress_ = new QProgressBar;
  rerankProgress_->setObjectName(QStringLiteral("rerankProgress"));
  rerankProgress_->setRange(0, 1000);
  rerankProgress_->setTextVisible(false);
  rerankProgress_->setFixedSize(110, 8);
  rerankProgress_->hide();
  rerankLabel_ = createBusyLabel(QStringLiteral("Re-ranking…"));
  rerankLabel_->setObjectName(QStringLiteral("rerankLabel"));
  rerankLabel_->hide();
  rerankCancel_ = createCancelButton(QStringLiteral("cancelRerankButton"),
                                     QStringLiteral("Stop re-ranking; finished runs are kept"));
  connect(rerankCancel_, &QPushButton::clicked, this, &ComparePanel::cancelRerank);

  exportTableButton_ = new QPushButton(QStringLiteral("Export table…"));
  exportTableButton_->setObjectName(QStringLiteral("exportTableButton"));
  exportTableButton_->setToolTip(
      QStringLiteral("Save the runs × metrics table as CSV: means, 95% CI bounds and "
                     "Holm-corrected p-values (Ctrl+T)."));
  exportTableButton_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
  connect(exportTableButton_, &QPushButton::clicked, this, &ComparePanel::chooseTableExport);
  exportChartButton_ = new QPushButton(QStringLiteral("Export chart…"));
  exportChartButton_->setObjectName(QStringLiteral("exportChartButton"));
  exportChartButton_->setToolTip(
      QStringLiteral("Save the chart of the open tab as PNG or PDF (Ctrl+Shift+E)."));
  exportChartButton_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  connect(exportChartButton_, &QPushButton::clicked, this, &ComparePanel::chooseChartExport);

  datasetCombo_ = makeCombo("compareDataset",
                            QStringLiteral("The dataset whose runs are compared (Alt+D)."), 8);
  splitCombo_ =
      makeCombo("compareSplit",
                QStringLiteral("The split whose runs are compared (Alt+S). Runs are compared only "
                               "within one split: the tests pair each user's values across runs."),
                10);
  kCombo_ = makeCombo(
      "compareK", QStringLiteral("The cut-off K of the ranking and catalogue metrics (Alt+K)."), 2);
  for (const int k : {5, 10, 20, 50}) kCombo_->addItem(QString::number(k), k);
  kCombo_->setCurrentIndex(1);
  baselineCombo_ =
      makeCombo("compareBaseline",
                QStringLiteral("The run every other run is tested against (Alt+B): ▲/▼ mark runs "
                               "significantly better/worse than it."),
                8);
  testCombo_ =
      makeCombo("compareTest",
                QStringLiteral("The paired test on per-user values (Alt+T), two-sided, with Holm's "
                               "correction across the compared runs. The t-test compares mean "
                               "differences; Wilcoxon signed-rank compares ranks and suits skewed "
                               "values such as precision."),
                11);
  testCombo_->addItem(QStringLiteral("paired t-test"), int(reco::PairedTestKind::TTest));
  testCombo_->addItem(QStringLiteral("Wilcoxon"), int(reco::PairedTestKind::Wilcoxon));
  testCombo_->setItemData(0, QStringLiteral("Paired two-sided t-test on the per-user differences."),
                          Qt::ToolTipRole);
  testCombo_->setItemData(
      1,
      QStringLiteral("Wilcoxon signed-rank test on the per-user differences (exact up to 25 "
                     "pairs, normal approximation beyond)."),
      Qt::ToolTipRole);
  metricCombo_ = makeCombo(
      "compareMetric",
      QStringLiteral("The metric the charts and the segment breakdown show (Alt+M)."), 10);
}

void ComparePanel::buildContent() {
  auto* headingRow = new QHBoxLayout;
  headingRow->addWidget(heading_);
  addBusyIndicator(headingRow, busy_, busyLabel_);
  headingRow->addWidget(cancelButton_);
  headingRow->addWidget(rerankProgress_);
  headingRow->addWidget(rerankLabel_);
  headingRow->addWidget(rerankCancel_);
  headingRow->addWidget(rerankButton_);
  headingRow->addWidget(exportTableButton_);
  headingRow->addWidget(exportChartButton_);

  // The six choices wrap onto a second line in a narrow window (1024 px) instead of
  // widening the panel past it; each caption stays with its box.
  auto* controls = new FlowRowLayout(nullptr, 10, 4);
  const std::pair<QString, QComboBox*> captions[] = {{QStringLiteral("&Dataset"), datasetCombo_},
                                                     {QStringLiteral("&Split"), splitCombo_},
                                                     {QStringLiteral("&K"), kCombo_},
                                                     {QStringLiteral("&Baseline"), baselineCombo_},
                                                     {QStringLiteral("&Test"), testCombo_},
                                                     {QStringLiteral("&Metric"), metricCombo_}};
  for (const auto& [text, combo] : captions) {
    auto* pair = new QWidget;
    auto* pairLayout = new QHBoxLayout(pair);
    pairLayout->setContentsMargins(0, 0, 0, 0);
    pairLayout->setSpacing(4);
    pairLayout->addWidget(caption(text, combo));
    pairLayout->addWidget(combo);
    controls->addWidget(pair);
  }

  // Page 0: a placeholder (no workspace, no runs, an error).
  pages_ = new QStackedWidget;
  placeholder_ = createPlaceholderLabel(QStringLiteral("comparePlaceholder"));
  pages_->addWidget(placeholder_);

  // Page 1: runs on the left; table, legend and chart tabs on the right.
  runModel_ = new QStandardItemModel(this);
  runList_ = new QListView;
  runList_->setObjectName(QStringLiteral("compareRuns"));
  runList_->setModel(runModel_);
  // Tuned runs' badge, unscaled and after the name, so that names stay aligned.
  runList_->setIconSize(tunedBadgeSize(runList_->font()));
  runList_->setItemDelegate(new BadgeAfterTextDelegate(runList_));
  // Rows are laid out again at every width, so the delegate's width limit follows the box.
  runList_->setResizeMode(QListView::Adjust);
  runList_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  runList_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  runList_->setToolTip(
      QStringLiteral("The runs of the split; check the ones to compare (Space toggles the "
                     "selected run). Right-click a run to re-rank it."));
  runList_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(runList_, &QListView::customContextMenuRequested, this, [this](const QPoint& at) {
    const QModelIndex index = runList_->indexAt(at);
    if (!index.isValid() || !runModel_->itemFromIndex(index)->isEnabled()) return;
    const QString name = runModel_->itemFromIndex(index)->text();
    QMenu menu(this);
    QAction* rerank = menu.addAction(QStringLiteral("Re-rank %1…").arg(name));
    if (menu.exec(runList_->viewport()->mapToGlobal(at)) == rerank) openRerankDialog(name);
  });
  auto* allButton = new QPushButton(QStringLiteral("All"));
  allButton->setToolTip(QStringLiteral("Check every finished run of the split."));
  auto* noneButton = new QPushButton(QStringLiteral("None"));
  noneButton->setToolTip(QStringLiteral("Uncheck every run."));
  auto setAll = [this](bool checked) {
    filling_ = true;
    for (int r = 0; r < runModel_->rowCount(); ++r)
      if (runModel_->item(r)->isEnabled())
        runModel_->item(r)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    filling_ = false;
    scheduleCompare();
  };
  connect(allButton, &QPushButton::clicked, this, [setAll] { setAll(true); });
  connect(noneButton, &QPushButton::clicked, this, [setAll] { setAll(false); });
  auto* runBox = new QGroupBox(QStringLiteral("Runs"));
  auto* runLayout = new QVBoxLayout(runBox);
  runLayout->addWidget(runList_, 1);
  auto* runButtons = new QHBoxLayout;
  runButtons->addWidget(allButton);
  runButtons->addWidget(noneButton);
  runLayout->addLayout(runButtons);
  // Narrow (run names are short) and collapsible by dragging the splitter handle: the
  // table needs the width, one column per metric.
  runBox->setObjectName(QStringLiteral("compareRunBox"));
  // Never narrower than their text, in any font (presenter mode scales it up).
  allButton->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
  noneButton->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
  runBox->setMaximumWidth(200);

  notice_ = new QLabel;
  notice_->setObjectName(QStringLiteral("compareNotice"));
  notice_->setWordWrap(true);
  notice_->hide();

  table_ = new ComparisonTableModel(this);
  tableProxy_ = new QSortFilterProxyModel(this);
  tableProxy_->setSourceModel(table_);
  tableProxy_->setSortRole(ComparisonTableModel::SortRole);
  tableView_ = new QTableView;
  tableView_->setObjectName(QStringLiteral("comparisonTable"));
  tableView_->setModel(tableProxy_);
  tableView_->setSortingEnabled(true);
  setUpTable(tableView_);
  // Sixteen metrics with their intervals are wider than a 1920 px window: all but the
  // accuracy metrics and coverage start hidden, and a right click on the header shows or hides any
  // of them (the CSV export always has them all).
  columns_ = new ColumnChooser(
      tableView_, QStringLiteral("compare/hiddenMetrics"),
      [this](int column) { return table_->metricOfColumn(column).section(QLatin1Char('@'), 0, 0); },
      {QStringLiteral("recall_head"), QStringLiteral("recall_tail"), QStringLiteral("novelty"),
       QStringLiteral("gini"), QStringLiteral("avg_popularity"), QStringLiteral("mrr"),
       QStringLiteral("ild_category"), QStringLiteral("ild_embedding")},
      this);
  connect(columns_, &ColumnChooser::changed, this, &ComparePanel::updateLegend);
  legend_ = new QLabel;
  legend_->setObjectName(QStringLiteral("compareLegend"));
  legend_->setWordWrap(true);

  barChart_ = new MetricBarChart;
  accuracyPlot_ = new AccuracyTimePlot;
  segments_ = new SegmentTableModel(this);
  segmentView_ = new QTableView;
  segmentView_->setObjectName(QStringLiteral("segmentTable"));
  segmentView_->setModel(segments_);
  setUpTable(segmentView_);
  segmentChart_ = new SegmentBarChart;
  // The grouped bars above the table: the table needs the full width for one column per run.
  segmentSplitter_ = new QSplitter(Qt::Vertical);
  auto* segmentSplitter = segmentSplitter_;
  segmentSplitter->setChildrenCollapsible(false);
  segmentSplitter->addWidget(segmentChart_);
  segmentSplitter->addWidget(segmentView_);
  segmentSplitter->setStretchFactor(0, 3);
  segmentSplitter->setStretchFactor(1, 2);
  segmentView_->setMinimumHeight(110);

  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("compareTabs"));
  tabs_->addTab(barChart_, QStringLiteral("Metric per run"));
  tabs_->setTabToolTip(
      0, QStringLiteral("The chart metric of each run, with its 95% confidence interval."));
  tabs_->addTab(accuracyPlot_, QStringLiteral("Accuracy vs. training time"));
  tabs_->setTabToolTip(
      1, QStringLiteral("The chart metric against training seconds (log scale): what each "
                        "point of accuracy costs."));
  tabs_->addTab(segmentSplitter, QStringLiteral("Segments"));
  tabs_->setTabToolTip(
      2, QStringLiteral("The chart metric by user activity quartile and for cold users, and "
                        "recall on popular-head versus long-tail items."));
  buildTradeoffTab();
  tabs_->addTab(tradeoffPage_, QStringLiteral("Trade-off"));
  tabs_->setTabToolTip(
      3, QStringLiteral("Re-ranked runs against their plain runs: accuracy (with 95% CIs and "
                        "paired tests) against diversity or coverage, one curve per re-ranker "
                        "and one point per swept λ or β."));

  auto* tableBox = new QWidget;
  auto* tableLayout = new QVBoxLayout(tableBox);
  tableLayout->setContentsMargins(0, 0, 0, 0);
  tableLayout->setSpacing(4);
  tableLayout->addWidget(notice_);
  tableLayout->addWidget(tableView_, 1);
  tableLayout->addWidget(legend_);
  right_ = new QSplitter(Qt::Vertical);
  auto* right = right_;
  right->setChildrenCollapsible(false);
  right->addWidget(tableBox);
  right->addWidget(tabs_);
  right->setStretchFactor(0, 2);
  right->setStretchFactor(1, 3);
  // The charts may shrink (a short window showed two table rows above tall charts); the
  // splitter between the table and the charts lets the user choose.
  tabs_->setMinimumHeight(200);
  auto* body = new QSplitter(Qt::Horizontal);
  body->setObjectName(QStringLiteral("compareBody"));
  body->addWidget(runBox);
  body->addWidget(right);
  body->setChildrenCollapsible(false);
  body->setCollapsible(0, true);
  body->setStretchFactor(0, 0);
  body->setStretchFactor(1, 1);
  // The run list starts at its widest: a tuned run's name ("STUDY-MODEL") and its badge
  // share the row, and at 150 pixels only a few letters of the name were left.
  body->setSizes({200, 2000});
  pages_->addWidget(body);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 12, 16, 8);
  layout->setSpacing(10);
  layout->addLayout(headingRow);
  layout->addLayout(controls);
  layout->addWidget(pages_, 1);
}

void ComparePanel::showPlaceholder(const QString& text, bool isError) {
  setPlaceholderText(placeholder_, text, isError);
  pages_->setCurrentIndex(0);
}

void ComparePanel::showNotice(const QString& text, bool isError) {
  notice_->setText(text);
  notice_->setVisible(!text.isEmpty());
  notice_->setProperty("error", isError);
  notice_->style()->unpolish(notice_);
  notice_->style()->polish(notice_);
}

QString ComparePanel::message() const {
  if (pages_->currentIndex() == 0) return placeholder_->text();
  return notice_->isHidden() ? QString() : notice_->text();
}

bool ComparePanel::exportTableCsv(const QString& path, QString* error) const {
  if (!comparison_) {
    if (error) *error = QStringLiteral("There is no comparison to export.");
    return false;
  }
  // Never over the workspace, its -wal/-shm or any SQLite file; QSaveFile writes beside the
  // target and renames it into place on commit.
  if (const QString problem = outputTargetProblem(path, path_); !problem.isEmpty()) {
    if (error) *error = problem;
    return false;
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = QStringLiteral("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  file.write(table_->toCsv().toUtf8());
  if (!file.commit()) {
    if (error) *error = QStringLiteral("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

// Each chart is saved atomically (saveComparePlot) after the same check as the table.
bool ComparePanel::exportBarChart(const QString& path, QString* error) const {
  const QString problem = outputTargetProblem(path, path_);
  if (!problem.isEmpty() && error) *error = problem;
  return problem.isEmpty() && barChart_->save(path, error);
}

bool ComparePanel::exportAccuracyPlot(const QString& path, QString* error) const {
  const QString problem = outputTargetProblem(path, path_);
  if (!problem.isEmpty() && error) *error = problem;
  return problem.isEmpty() && accuracyPlot_->save(path, error);
}

bool ComparePanel::exportSegmentChart(const QString& path, QString* error) const {
  const QString problem = outputTargetProblem(path, path_);
  if (!problem.isEmpty() && error) *error = problem;
  return problem.isEmpty() && segmentChart_->save(path, error);
}

bool ComparePanel::exportTradeoffPlot(const QString& path, QString* error) const {
  const QString problem = outputTargetProblem(path, path_);
  if (!problem.isEmpty() && error) *error = problem;
  return problem.isEmpty() && tradeoffPlot_->save(path, error);
}

void ComparePanel::chooseTableExport() {
  if (!comparison_) return;
  const QString start = dialogStartFolder(QStringLiteral("export"), path_);
  const QString path = QFileDialog::getSaveFileName(
      this, QStringLiteral("Export comparison table"),
      QDir(start).filePath(QStringLiteral("comparison@%1.csv").arg(comparison_->k)),
      QStringLiteral("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("export"), path);
  QString error;
  if (!exportTableCsv(path, &error)) showPlainWarning(this, QStringLiteral("Export table"), error);
}

void ComparePanel::chooseChartExport() {
  if (!comparison_) return;
  const int tab = tabs_->currentIndex();
  const QString base = tab == 0   ? QStringLiteral("metric-per-run")
                       : tab == 1 ? QStringLiteral("accuracy-vs-time")
                       : tab == 2 ? QStringLiteral("segments")
                                  : QStringLiteral("trade-off");
  QString filter = QStringLiteral("PNG image (*.png)");
  const QString start = dialogStartFolder(QStringLiteral("export"), path_);
  const QString path = QFileDialog::getSaveFileName(
      this, QStringLiteral("Export chart"), QDir(start).filePath(base + QStringLiteral(".png")),
      QStringLiteral("PNG image (*.png);;PDF document (*.pdf)"), &filter);
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("export"), path);
  QString file = path;
  if (QFileInfo(file).suffix().isEmpty())
    file += filter.contains(QStringLiteral("pdf")) ? ".pdf" : ".png";
  QString error;
  const bool saved = tab == 0   ? exportBarChart(file, &error)
                     : tab == 1 ? exportAccuracyPlot(file, &error)
                     : tab == 2 ? exportSegmentChart(file, &error)
                                : exportTradeoffPlot(file, &error);
  if (!saved) showPlainWarning(this, QStringLiteral("Export chart"), error);
}

}  // namespace reco::ui
