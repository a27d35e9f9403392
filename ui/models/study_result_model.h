#pragma once
/// The outcome of a tuning study as a table, one row per model in the study's order: the
/// trials it ran, its best validation value, the options chosen, the final run's name and
/// its test value of the study's metric (the one evaluation on the test part). Reads an
/// immutable StudyResult; GUI thread only; never touches the workspace.

#include <QAbstractTableModel>
#include <QString>
#include <memory>

#include "core/training/tuning_study.h"

namespace reco::ui {

class StudyResultModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    ModelColumn,
    TrialsColumn,
    BestValidationColumn,
    ChosenOptionsColumn,
    RunColumn,
    TestColumn,
    ColumnCount
  };
  enum Role {
    /// What to sort by: QString for text, double for numbers (-1 none).
    SortRole = Qt::UserRole + 1,
    /// The final run's id (qlonglong), 0 when the model has none.
    RunIdRole,
  };

  explicit StudyResultModel(QObject* parent = nullptr);

  /// Replaces the rows (a reset); null: none.
  void setResult(std::shared_ptr<const reco::StudyResult> result);
  const std::shared_ptr<const reco::StudyResult>& result() const { return result_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::optional<double> bestValidation(int row) const;
  std::optional<double> testValue(int row) const;
  int trialsOf(int row) const;

  std::shared_ptr<const reco::StudyResult> result_;
};

}  // namespace reco::ui
