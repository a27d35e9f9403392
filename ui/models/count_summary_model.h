#pragma once
/// The quantiles of interactions per user and per item as a small table: one row per
/// statistic (min, 25%, median, 75%, 90%, 99%, max, mean), one column per distribution.
/// Holds two small values; GUI thread only.

#include <QAbstractTableModel>

#include "core/data/dataset_info.h"

namespace reco::ui {

class CountSummaryModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { PerUserColumn, PerItemColumn, ColumnCount };
  enum Statistic { Min, Q25, Median, Q75, Q90, Q99, Max, Mean, StatisticCount };
  enum Role {
    SortRole = Qt::UserRole + 1,  ///< the raw value (double)
  };

  explicit CountSummaryModel(QObject* parent = nullptr);

  /// Shows these summaries (a model reset); clear() shows an empty table.
  void setSummaries(const reco::CountSummary& perUser, const reco::CountSummary& perItem);
  void clear();

  /// The value of one statistic of a summary.
  static double value(const reco::CountSummary& summary, Statistic statistic);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  bool hasData_ = false;
  reco::CountSummary perUser_;
  reco::CountSummary perItem_;
};

}  // namespace reco::ui
