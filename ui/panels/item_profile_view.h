#pragma once
/// The profile of one item (the Items screen): a header with its attributes and key figures,
/// three charts (its interactions over time, the top categories of the users who chose it,
/// the band of their median prices) and the table of the items most often chosen together
/// with it in the chosen split's training part. It shows a snapshot it is given (ItemLoader
/// reads it in the background) or a message in place. GUI thread only.

#include <QWidget>
#include <cstdint>

#include "ui/models/co_occurrence_model.h"

class QLabel;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace reco::ui {

class ActivityTimeline;
class UserCategoryChart;
class PriceBandChart;

class ItemProfileView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kTopCategories = 8;

  explicit ItemProfileView(QWidget* parent = nullptr);

  /// Shows an item's profile; null shows the "select an item" message. A profile read
  /// without a split (splitName "") shows a "no split chosen" note instead of the table.
  void setProfile(const ItemProfilePtr& profile);
  /// Shows a message instead of the profile (`isError`: in the error colour).
  void showMessage(const QString& text, bool isError = false);

  CoOccurrenceModel* coOccurrenceModel() const { return together_; }
  QTableView* togetherTable() const { return table_; }
  ActivityTimeline* activityTimeline() const { return timeline_; }
  UserCategoryChart* categoryChart() const { return categories_; }
  PriceBandChart* priceBand() const { return prices_; }
  /// The header's rich text (attributes and key figures).
  QString summaryText() const;
  /// The line above the co-occurrence table, and the note shown instead of it ("" while the
  /// table shows).
  QString togetherTitle() const;
  QString togetherNote() const;
  /// True while the message (not a profile) is shown.
  bool isShowingMessage() const;

 signals:
  /// An item of the co-occurrence table was double-clicked (or Enter pressed on it): its
  /// dataset item index.
  void itemActivated(std::int32_t datasetItem);

 private:
  QWidget* titled(const QString& title, const QString& toolTip, QWidget* chart);
  void showCharts(const reco::storage::ItemProfile& profile);
  void showTogether(const reco::storage::ItemProfile& profile);
  void fitColumns(const reco::storage::ItemProfile& profile);
  void activateRow(const QModelIndex& proxyIndex);

  CoOccurrenceModel* together_;
  QSortFilterProxyModel* proxy_;
  QStackedWidget* pages_;
  QLabel* message_;
  QLabel* summary_;
  QLabel* togetherTitle_;
  QStackedWidget* togetherPages_;
  QLabel* togetherNote_;
  QTableView* table_;
  ActivityTimeline* timeline_;
  UserCategoryChart* categories_;
  PriceBandChart* prices_;
};

}  // namespace reco::ui
