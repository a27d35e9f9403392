#pragma once
/// A comparison broken down by segment, as a table: one row per segment, one column per
/// run. The user segments (training-activity quartiles, cold users with <= 5 training
/// interactions; core/eval/segments.h) show one per-user metric; the two item segments
/// show recall@K on the popular head and on the long tail of the catalogue. A cell reads
/// "mean ±half-CI" with the users it averages over in its tooltip. Reads an immutable
/// snapshot; GUI thread only.

#include <QAbstractTableModel>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

#include "core/training/comparison.h"

namespace reco::ui {

class SegmentTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  static constexpr int kSegmentColumn = 0;
  static constexpr int kFirstRunColumn = 1;

  enum Role {
    SortRole = Qt::UserRole + 1,  ///< QString for the segment, double (mean; NaN if none) for runs
    MeanRole,                     ///< double, or invalid when the run has no value
    CiLowRole,                    ///< double, or invalid
    CiHighRole,
    UsersRole,   ///< qlonglong
    GroupRole,   ///< QString: "activity", "cold" or "items"
    MetricRole,  ///< QString: the metric of the row
  };

  /// One row: a segment and each run's value (nullopt: the run has none).
  struct Row {
    QString name;
    QString group;
    QString metric;
    std::vector<std::optional<reco::MeanCi>> values;  ///< aligned with the comparison's runs
  };

  explicit SegmentTableModel(QObject* parent = nullptr);

  /// Shows the user segments of `metric` (one of the comparison's segment metrics) and the
  /// head/tail item rows (a model reset). Null: an empty table.
  void setComparison(std::shared_ptr<const reco::Comparison> comparison, const QString& metric);
  const std::vector<Row>& rows() const { return rows_; }
  const QString& metric() const { return metric_; }
  /// The run names, in column order.
  QStringList runNames() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const reco::Comparison> comparison_;
  QString metric_;
  std::vector<Row> rows_;
};

}  // namespace reco::ui
