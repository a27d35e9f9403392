#pragma once
/// Runs × metrics of a comparison (core/training/comparison.h) as a table: one row per run, the
/// columns "run", "model", one per metric (Comparison::columns) and the training and
/// evaluation seconds. A metric cell reads "mean ±half-CI" followed by the marks: ★ the best
/// run of the column (also bold; direction-aware, see lowerIsBetter), ▲/▼ significantly
/// better/worse than the baseline after Holm's correction. Its tooltip gives the CI, the
/// users, the test, p and Holm-corrected p. Headers' tooltips explain each metric
/// (metric_help.h); sampled metrics say "sampled". The model reads an immutable snapshot
/// and never touches the workspace. GUI thread only.

#include <QAbstractTableModel>
#include <QString>
#include <memory>

#include "core/training/comparison.h"

namespace reco::ui {

class ComparisonTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  static constexpr int kRunColumn = 0;
  static constexpr int kModelColumn = 1;
  static constexpr int kFirstMetricColumn = 2;

  enum Role {
    /// What to sort by: QString for run and model, double for numbers (NaN when absent).
    SortRole = Qt::UserRole + 1,
    MeanRole,   ///< double, or invalid when the run has no value
    CiLowRole,  ///< double, or invalid (catalogue metrics have no CI)
    CiHighRole,
    UsersRole,         ///< qlonglong: users the mean is over
    PValueRole,        ///< double: raw p against the baseline, or invalid when not tested
    PHolmRole,         ///< double: Holm-corrected p, or invalid
    BestRole,          ///< bool: the best run of this column
    SignificanceRole,  ///< int: +1 significantly better, -1 worse, 0 neither/not tested
    MetricRole,        ///< QString: the core metric name of the column ("train_seconds" etc.)
    RunIdRole,         ///< qlonglong: the run's id
    BaselineRole,      ///< bool: this row is the baseline
    /// QString: the tuning study that chose the run's options ("" for `reco tune`), or
    /// invalid for a run that was not tuned (tuned_run.h). Tuned runs read "NAME  (tuned)".
    TuningRole,
  };

  explicit ComparisonTableModel(QObject* parent = nullptr);

  /// Replaces the rows and columns (a model reset). Null: an empty table.
  void setComparison(std::shared_ptr<const reco::Comparison> comparison);
  const std::shared_ptr<const reco::Comparison>& comparison() const { return comparison_; }

  /// The core metric name of a column: a metric, "train_seconds" or "eval_seconds"; empty
  /// for run and model.
  QString metricOfColumn(int column) const;
  /// The column showing `metric`, or -1.
  int columnOf(const QString& metric) const;
  /// The row of a run, or -1.
  int rowOf(reco::storage::RunId run) const;

  /// The table as CSV (RFC 4180 quoting): header "run,model,baseline,train_seconds,
  /// eval_seconds" then per metric "M,M_ci_low,M_ci_high,M_p_holm"; one line per run,
  /// empty fields where there is no value.
  QString toCsv() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  struct Cell;
  Cell cellAt(int row, int column) const;
  QVariant metricData(int row, int column, int role) const;
  QString cellToolTip(int row, int column) const;
  std::optional<std::size_t> bestOf(int column) const;

  std::shared_ptr<const reco::Comparison> comparison_;
};

}  // namespace reco::ui
