#pragma once
/// The statistics page of one dataset (PRODUCT.md, Datasets screen): summary figures,
/// interactions per user and per item, the category mix, the event mix and the import
/// report. It only shows a snapshot it is given; loading is the panel's business.
/// GUI thread only.

#include <QWidget>

#include "ui/models/dataset_details.h"

class QGroupBox;
class QLabel;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace reco::ui {

class CategoryBarChart;
class CountSummaryModel;
class EventShareModel;
class ImportReportModel;

class DatasetStatsView : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetStatsView(QWidget* parent = nullptr);

  /// Shows the statistics of a dataset.
  void setDetails(DatasetDetailsPtr details);
  /// Shows a message instead of statistics ("Select a dataset", an error).
  void showMessage(const QString& message, bool isError = false);

  const DatasetDetailsPtr& details() const { return details_; }

 private:
  QWidget* makeCard(const QString& caption, const QString& objectName, QLabel** value);
  void showReport(const reco::ImportReport& report);

  DatasetDetailsPtr details_;
  QStackedWidget* pages_;
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
