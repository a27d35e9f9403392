#pragma once
/// The points of the trade-off curves (core/training/tradeoff.h) as a table beside the
/// Compare panel's trade-off plot: one row per point, curve by curve, with the curve, the
/// point ("plain", "λ=0.1"), the run, the x metric, the y metric as "mean ±half-CI", the
/// change of y against the curve's plain run, the Holm-corrected p of the paired test and
/// its mark (▲/▼ significantly better/worse than plain). The model reads an immutable
/// snapshot and never touches the workspace. The point's cell carries its curve's colour
/// (compare_plot_support.h runColor), as the plot draws it. GUI thread only.

#include <QAbstractTableModel>
#include <QString>
#include <memory>
#include <vector>

#include "core/training/tradeoff.h"

namespace reco::ui {

class TradeoffTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The point and its numbers first: the table shares the width with the plot.
  enum Column {
    kPointColumn,
    kYColumn,
    kDeltaColumn,
    kPColumn,
    kXColumn,
    kCurveColumn,
    kRunColumn,
    kColumnCount
  };
  enum Role {
    SortRole = Qt::UserRole + 1,  ///< QString for text columns, double for numbers (NaN: none)
    ValueRole,                    ///< double: the x or y mean, Δ, or Holm p; invalid when absent
    MarkRole,  ///< int on the p column: +1 significantly better than plain, -1 worse, 0
  };

  explicit TradeoffTableModel(QObject* parent = nullptr);

  /// Replaces the rows (a model reset). Null: an empty table.
  void setTradeoff(std::shared_ptr<const reco::Tradeoff> tradeoff, const QString& xMetric,
                   const QString& yMetric);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    std::size_t curve = 0;
    std::size_t point = 0;
    reco::TradeoffCoordinates at;
    std::optional<double> plainY;  ///< the curve's plain run's y mean
  };

  std::shared_ptr<const reco::Tradeoff> tradeoff_;
  QString xMetric_, yMetric_;
  std::vector<Row> rows_;
};

}  // namespace reco::ui
