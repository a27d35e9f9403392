#pragma once
/// The Compare screen: the runs of one split side by side at a chosen
/// K. Controls choose the dataset and split (runs are compared only within a split, since
/// the tests pair per-user values), K (5/10/20/50), the baseline run, the paired test
/// (t-test or Wilcoxon signed-rank, Holm-corrected across runs) and the runs (a checkable
/// list). Below: the runs × metrics table with 95% CIs, best marks and significance marks
/// (ComparisonTableModel), and tabs with the chosen metric per run as bars with error bars,
/// the metric against training time, and the segment breakdown (table and grouped bars).
/// The table exports as CSV, each chart as PNG or PDF.
///
/// Everything is read and computed in the background (ComparisonLoader: compareRuns of
/// core/training/comparison.h on a Workspace of its own), with a busy indicator; failures are
/// shown in place. GUI thread only.

#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QWidget>
#include <memory>
#include <optional>

#include "core/training/comparison.h"
#include "ui/workers/comparison_loader.h"
#include "ui/workers/rerank_job.h"

class QComboBox;
class QLabel;
class QListView;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QTimer;

namespace reco::ui {

class ColumnChooser;

class AccuracyTimePlot;
class ComparisonTableModel;
class JobTracker;
class MetricBarChart;
class SegmentBarChart;
class SegmentTableModel;
class ProgressTask;
class RerankDialog;
class TradeoffPlot;
class TradeoffTableModel;

class ComparePanel : public QWidget {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about the panel's background work.
  explicit ComparePanel(JobTracker* jobs, QWidget* parent = nullptr);

  /// Shows the workspace at `path` (empty: none) and starts reading it.
  void setWorkspace(const QString& path);
  /// Reads the workspace again (after runs or datasets changed elsewhere), keeping the
  /// chosen dataset, split, baseline and checked runs where they still exist.
  void reload();

  /// True while something is being read or computed.
  bool isBusy() const;
  /// The comparison on screen, or null.
  const ComparisonPtr& comparison() const { return comparison_; }
  ComparisonTableModel* tableModel() const { return table_; }
  SegmentTableModel* segmentModel() const { return segments_; }
  MetricBarChart* barChart() const { return barChart_; }
  AccuracyTimePlot* accuracyPlot() const { return accuracyPlot_; }
  SegmentBarChart* segmentChart() const { return segmentChart_; }
  TradeoffPlot* tradeoffPlot() const { return tradeoffPlot_; }
  TradeoffTableModel* tradeoffModel() const { return tradeoffTable_; }
  /// The trade-off curves on screen, or null.
  const TradeoffPtr& tradeoff() const { return tradeoff_; }
  /// The trade-off's axes: x a catalogue or per-user metric family ("ild_category",
  /// "coverage"), y a per-user family ("ndcg"), both at the current K. False when not offered.
  bool setTradeoffMetrics(const QString& xFamily, const QString& yFamily);
  /// Brings the trade-off tab to the front.
  void showTradeoffTab();

  /// Opens the Re-rank dialog (after reading the dataset's categories in the background)
  /// with `baseRun` preselected (empty: the baseline). The open dialog, or null.
  void openRerankDialog(const QString& baseRun = QString());
  RerankDialog* rerankDialog() const;
  /// Starts making derived runs (what the dialog's OK does); a running request is stopped.
  void startRerank(const RerankRequest& request);
  void cancelRerank();
  bool isReranking() const;
  /// The text shown in place of the content (no workspace, no runs, an error), or empty.
  QString message() const;

  /// The controls, for tests and automation; each starts a new comparison when it changes
  /// something. False when there is no such choice.
  bool selectDataset(const QString& name);
  bool selectSplit(const QString& name);
  bool setK(int k);
  bool setBaseline(const QString& runName);
  void setTest(reco::PairedTestKind test);
  bool setRunChecked(const QString& runName, bool checked);
  /// The current choices (what MainWindow remembers between sessions).
  int k() const;
  reco::PairedTestKind test() const;
  QString baselineName() const;
  /// The baseline to choose when a split's runs are listed and no baseline was chosen on
  /// it yet (the one remembered from the last session); the first run when absent.
  void setPreferredBaseline(const QString& runName) { preferredBaseline_ = runName; }
  /// The metric of the charts and segments (a Comparison::columns name, or a family such
  /// as "ndcg" meaning it at the current K).
  bool setChartMetric(const QString& metric);
  QString chartMetric() const;
  /// The run names of the chosen split, in list order.
  QStringList runNames() const;
  /// The finished runs of the chosen split, in list order, and those checked (compared):
  /// what the Export report dialog starts from.
  QStringList finishedRunNames() const;
  QStringList checkedRunNames() const;
  /// The chosen dataset's name (empty: none).
  QString datasetName() const;

  /// The view on screen as a story bookmark (issue 15, compare_panel_bookmark.cpp):
  /// {"dataset", "split", "runs" (the checked ones, in list order), "k", "baseline",
  /// "metric" (the charts'), "tab" ("bars", "time", "segments", "tradeoff")}; empty when no
  /// split is shown.
  QJsonObject bookmarkState() const;
  /// Shows a bookmark's view: chooses what bookmarkState() names where it still exists. Applied
  /// at once when the runs are listed, else once they are; the comparison is computed in the
  /// background as for any other change (comparisonShown() follows).
  void showBookmark(const QJsonObject& state);

  /// Exports (true on success, else `error` says why): the table as CSV; each chart as PDF
  /// when `path` ends in .pdf, PNG otherwise.
  bool exportTableCsv(const QString& path, QString* error = nullptr) const;
  bool exportBarChart(const QString& path, QString* error = nullptr) const;
  bool exportAccuracyPlot(const QString& path, QString* error = nullptr) const;
  bool exportSegmentChart(const QString& path, QString* error = nullptr) const;
  bool exportTradeoffPlot(const QString& path, QString* error = nullptr) const;

 protected:
  /// Shares the height between the table and the charts again (fitTableHeight).
  void resizeEvent(QResizeEvent* event) override;

 signals:
  /// A story bookmark names what is not there any more (a run, the dataset, the user or
  /// item): `what` says which, for the presenter's banner ("2 of this step's runs are gone:
  /// bpr, als").
  void bookmarkMissing(const QString& what);
  /// Runs were stored or deleted by this panel.
  void runsChanged();
  /// A new comparison is on screen (table, charts and segments updated).
  void comparisonShown();
  /// Nothing is being read or computed any more and the panel shows its final state.
  void settled();
  /// New trade-off curves are on screen.
  void tradeoffShown();
  /// A re-rank request ended: `runs` derived runs were stored; `message` says what happened
  /// (an error, a stop, or what was made).
  void rerankFinished(int runs, const QString& message);

 private:
  void buildControls();
  void buildContent();
  void onCatalogLoaded(const QString& path, CompareCatalogPtr catalog);
  void fillDatasets();
  void fillSplits();
  void fillRuns();
  void scheduleCompare();
  void startCompare();
  void cancelReading();
  void onComparisonReady(ComparisonPtr comparison);
  void fillMetrics();
  void refreshCharts();
  void fitTableHeight();
  /// The line under the table: K, the marks, the test, and which metrics are hidden.
  void updateLegend();
  void fitSegmentTableHeight();
  void buildTradeoffTab();
  void installScreenshotHooks();
  void refreshTradeoff();
  void onRerankDone(const RerankOutcome& outcome);
  void showPlaceholder(const QString& text, bool isError);
  void showNotice(const QString& text, bool isError);
  void chooseTableExport();
  void chooseChartExport();
  std::optional<reco::storage::SplitId> currentSplit() const;
  /// Applies pendingBookmark_ (once the runs are listed).
  void applyBookmark();

  JobTracker* jobs_;
  QJsonObject pendingBookmark_;  // showBookmark before the runs were listed
  QString wantedChartMetric_;    // a bookmark's chart metric, chosen once the comparison is shown
  QString path_;
  ComparisonLoader* loader_;
  CompareCatalogPtr catalog_;
  ComparisonPtr comparison_;
  bool filling_ = false;  // true while the controls are filled programmatically
  QTimer* compareTimer_;  // coalesces control changes into one comparison

  QLabel* heading_;
  QProgressBar* busy_;
  QLabel* busyLabel_;
  QPushButton* cancelButton_;
  QPushButton* exportTableButton_;
  QPushButton* exportChartButton_;
  QComboBox* datasetCombo_;
  QComboBox* splitCombo_;
  QComboBox* kCombo_;
  QComboBox* baselineCombo_;
  QString preferredBaseline_;
  QComboBox* testCombo_;
  QComboBox* metricCombo_;
  QStackedWidget* pages_;
  QLabel* placeholder_;
  QStandardItemModel* runModel_;
  QListView* runList_;
  QLabel* notice_;
  ComparisonTableModel* table_;
  QSortFilterProxyModel* tableProxy_;
  QTableView* tableView_;
  ColumnChooser* columns_ = nullptr;  ///< which metric columns the table shows
  QLabel* legend_;
  QSplitter* right_;  // the table above the chart tabs
  QTabWidget* tabs_;
  MetricBarChart* barChart_;
  AccuracyTimePlot* accuracyPlot_;
  SegmentTableModel* segments_;
  QTableView* segmentView_;
  QSplitter* segmentSplitter_;  // the grouped bars above the segment table
  SegmentBarChart* segmentChart_;
  // The trade-off tab.
  TradeoffPtr tradeoff_;
  QWidget* tradeoffPage_;
  QComboBox* tradeoffX_;
  QComboBox* tradeoffY_;
  TradeoffPlot* tradeoffPlot_;
  TradeoffTableModel* tradeoffTable_;
  QSortFilterProxyModel* tradeoffProxy_;
  QTableView* tradeoffView_;
  // Re-ranking.
  QPushButton* rerankButton_;
  QProgressBar* rerankProgress_;
  QLabel* rerankLabel_;
  QPushButton* rerankCancel_;
  ProgressTask* rerankTask_;
  QPointer<RerankDialog> rerankDialog_;
  int dialogRequest_ = 0;  // numbers the category reads; only the latest opens a dialog
};

}  // namespace reco::ui
