#pragma once
/// The profile of one user (the Users screen): a line of key figures, the history table,
/// and three charts: the category distribution, the activity timeline and the price band.
/// It shows a snapshot it is given (UserLoader reads it in the background) or a message in
/// place. GUI thread only.

#include <QWidget>

#include "ui/models/user_history_model.h"

class QLabel;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace reco::ui {

class ActivityTimeline;
class UserCategoryChart;
class PriceBandChart;

class UserProfileView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kTopCategories = 8;

  explicit UserProfileView(QWidget* parent = nullptr);

  /// Shows a user's profile; null shows the "select a user" message.
  void setProfile(UserProfilePtr profile);
  /// Shows a message instead of the profile (`isError`: in the error colour).
  void showMessage(const QString& text, bool isError = false);

  UserHistoryModel* historyModel() const { return history_; }
  QTableView* historyTable() const { return table_; }
  UserCategoryChart* categoryChart() const { return categories_; }
  ActivityTimeline* activityTimeline() const { return timeline_; }
  PriceBandChart* priceBand() const { return prices_; }
  /// The line of key figures above the table.
  QString summaryText() const;

 signals:
  /// An item of the history was double-clicked (or Enter pressed on it): its dataset index.
  void itemActivated(std::int32_t item);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QWidget* titled(const QString& title, const QString& toolTip, QWidget* chart);
  /// Shares the history table's width between the title and the category (the title gets
  /// the larger part); the other columns keep their content widths.
  void fitHistoryColumns();

  UserHistoryModel* history_;
  QSortFilterProxyModel* proxy_;
  QStackedWidget* pages_;
  QLabel* message_;
  QLabel* summary_;
  QTableView* table_;
  UserCategoryChart* categories_;
  ActivityTimeline* timeline_;
  PriceBandChart* prices_;
};

}  // namespace reco::ui
