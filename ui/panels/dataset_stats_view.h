#pragma once
/// The statistics page of one dataset (the Datasets screen): summary figures
/// above tabs for the overview (interactions per user and per item, the event mix, the
/// category mix), the distributions (item popularity long tail, user activity), the
/// interactions over time, and the import report. It only shows snapshots it is given
/// (details and distributions arrive separately); loading is the panel's business.
/// GUI thread only.

#include <QWidget>

#include "ui/models/dataset_details.h"

class QGroupBox;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;

namespace reco::ui {

class CategoryBarChart;
class ActivityHistogram;
class CountSummaryModel;
class EventShareModel;
class ImportReportModel;
class InteractionsOverTimePlot;
class LongTailPlot;

class DatasetStatsView : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetStatsView(QWidget* parent = nullptr);

  /// Shows the statistics of a dataset.
  void setDetails(DatasetDetailsPtr details);
  /// Shows a message instead of statistics ("Select a dataset", an error).
  void showMessage(const QString& message, bool isError = false);
  /// Shows the plots of a dataset's distributions.
  void setDistributions(DistributionsPtr distributions);
  /// Shows a message in place of the plots ("Computing…", an error).
  void showDistributionsMessage(const QString& message, bool isError = false);

  const DatasetDetailsPtr& details() const { return details_; }
  const DistributionsPtr& distributions() const { return distributions_; }
  LongTailPlot* longTailPlot() const { return longTail_; }
  ActivityHistogram* activityPlot() const { return activity_; }
  InteractionsOverTimePlot* overTimePlot() const { return overTime_; }
  QTabWidget* tabs() const { return tabs_; }

 private:
  QWidget* makeCard(const QString& caption, const QString& objectName, QLabel** value);
  void showReport(const reco::ImportReport& report);

  DatasetDetailsPtr details_;
  DistributionsPtr distributions_;
  QStackedWidget* pages_;
  QTabWidget* tabs_;
  LongTailPlot* longTail_;
  ActivityHistogram* activity_;
  InteractionsOverTimePlot* overTime_;
  QLabel* distributionSummary_;
  QLabel* message_;
  QLabel* title_;
  QLabel* subtitle_;
  QLabel* users_;
  QLabel* items_;
  QLabel* interactions_;
  QLabel* density_;
  QLabel* timeSpan_;
  QLabel* timeRange_;
  CountSummaryModel* quantiles_;
  QTableView* quantileView_;
  CategoryBarChart* categories_;
  QGroupBox* categoryBox_;
  EventShareModel* events_;
  QTableView* eventView_;
  QLabel* eventNote_;
  QLabel* reportSummary_;
  ImportReportModel* report_;
  QTreeView* reportView_;
  QLabel* reportNotes_;
};

}  // namespace reco::ui
