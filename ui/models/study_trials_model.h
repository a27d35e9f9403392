#pragma once
/// The trials of a tuning study as a table, as they arrive: one row per trial, in the order
/// they started (model, trial number, options, validation value, fit seconds, status). A
/// trial is added when it starts ("running") and completed in place when it ends, so a
/// selection survives. GUI thread only; never touches the workspace.

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "core/models/model_options.h"
#include "core/storage/study_store.h"

namespace reco::ui {

class StudyTrialsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    ModelColumn,
    TrialColumn,
    OptionsColumn,
    ValidationColumn,
    FitSecondsColumn,
    StatusColumn,
    ColumnCount
  };
  enum Role {
    /// What to sort by: QString for text, int for the trial, double for numbers (-1 none).
    SortRole = Qt::UserRole + 1,
  };

  explicit StudyTrialsModel(QObject* parent = nullptr);

  /// Starts over for a study of `models` (registry names, the study's order) maximising
  /// `metric` (the validation column's header).
  void reset(const QStringList& models, const QString& metric);
  /// A trial began: a "running" row (or, when that trial has a row, nothing).
  void trialStarted(int model, int index, const reco::OptionValues& options);
  /// A trial ended: its row is completed (added when it was never started here).
  void trialFinished(const reco::storage::StudyTrial& trial);
  /// Rows still "running" become "cancelled" (the study stopped or failed).
  void markUnfinished(const QString& status);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// "factors=32, regularization=0.01": the options as the table shows them.
  static QString optionsText(const reco::OptionValues& options);

 private:
  struct Row {
    int model = 0;
    int index = 0;
    QString options;
    std::optional<double> validation;
    double fitSeconds = 0;
    QString status;  ///< running, done, failed: ..., cancelled
    QString error;
  };
  int rowOf(int model, int index) const;

  QStringList models_;
  QString metric_;
  std::vector<Row> rows_;
};

}  // namespace reco::ui
