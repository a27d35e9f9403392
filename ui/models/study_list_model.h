#pragma once
/// The stored tuning studies of a workspace as a table, one row per study in the order
/// given (StudyLoader: by name): its name, dataset / split, models, search, budget per
/// model, trials and when it was created. Reads an immutable StoredStudyList; GUI thread
/// only; never touches the workspace.

#include <QAbstractTableModel>
#include <QString>

#include "ui/workers/study_loader.h"

namespace reco::ui {

class StudyListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    SplitColumn,
    ModelsColumn,
    SearchColumn,
    BudgetColumn,
    TrialsColumn,
    CreatedColumn,
    ColumnCount
  };
  enum Role {
    /// What to sort by: QString for text, qlonglong for trials and Unix seconds.
    SortRole = Qt::UserRole + 1,
    /// The study's name (QString), the same for every column of a row.
    StudyNameRole,
  };

  explicit StudyListModel(QObject* parent = nullptr);

  /// Replaces the rows (a reset); null: none.
  void setStudies(StoredStudyList studies);
  const StoredStudyList& studies() const { return studies_; }
  /// The study of `row` (a row of this model), or null.
  const StoredStudy* studyAt(int row) const;
  /// The row of the study called `name`, or -1.
  int rowOfName(const QString& name) const;

  /// "20 trials" or "90 s": a study's budget per model.
  static QString budgetText(const reco::storage::StudyInfo& info);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  StoredStudyList studies_;
};

}  // namespace reco::ui
