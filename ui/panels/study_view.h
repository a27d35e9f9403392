#pragma once
/// What a tuning study shows, running or stored: the best validation value so far per model
/// against the trial number (BestSoFarPlot), the trials (StudyTrialsModel) and, once the
/// study is stored, one row per model with its best validation value, the chosen options and
/// the final run's test value (StudyResultModel), stacked in a splitter. TuneProgressView
/// feeds it a running study trial by trial; the Studies window shows a stored one whole
/// (showStored). GUI thread only; never touches the workspace.

#include <QStringList>
#include <QWidget>
#include <memory>

#include "core/training/tuning_study.h"

class QGroupBox;
class QTableView;

namespace reco::ui {

class BestSoFarPlot;
class StudyResultModel;
class StudyTrialsModel;

class StudyView : public QWidget {
  Q_OBJECT

 public:
  explicit StudyView(QWidget* parent = nullptr);

  /// Starts over for a study of `models` maximising `metric`, `plannedTrials` per model (0:
  /// a budget in seconds): no trials, no result (its box hidden).
  void reset(const QStringList& models, const QString& metric, int plannedTrials);
  /// Shows the stored outcome (the result box appears).
  void showResult(std::shared_ptr<const reco::StudyResult> result);
  /// Shows a stored study whole: its trials in the order they finished, the curves and the
  /// result (finals[m]: model m's final run with its metrics, id 0 for none).
  void showStored(std::shared_ptr<const reco::StudyResult> result);
  /// Nothing shown: empty tables and `note` in place of the plot.
  void clear(const QString& note);

  StudyTrialsModel* trialsModel() const { return trials_; }
  StudyResultModel* resultModel() const { return results_; }
  BestSoFarPlot* bestSoFarPlot() const { return plot_; }
  QTableView* resultsTable() const { return resultsTable_; }

 private:
  BestSoFarPlot* plot_;
  StudyTrialsModel* trials_;
  QTableView* trialsTable_;
  StudyResultModel* results_;
  QTableView* resultsTable_;
  QGroupBox* resultsBox_;
};

}  // namespace reco::ui
