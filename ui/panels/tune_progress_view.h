#pragma once
/// The Experiments panel's view of a tuning study, a window of its own: what runs ("Study
/// 's1' on shop / holdout: trial 3 of 4"), a progress bar, Cancel (Esc), the best validation
/// value so far per model against the trial number (BestSoFarPlot), the trials as they come
/// (StudyTrialsModel) and, once the study is stored, one row per model with its best
/// validation value, the chosen options and the final run's test value (StudyResultModel);
/// the last three are a StudyView, which the Studies window shares.
/// It runs the study through a TuneJob; start() while a study runs cancels that one (a
/// newer request supersedes an older one; the older stores nothing). GUI thread only; it
/// never waits on the study.

#include <QDialog>
#include <QPointer>
#include <QString>

#include "ui/workers/tune_job.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace reco::ui {

class BestSoFarPlot;
class JobTracker;
class StudyResultModel;
class StudyTrialsModel;
class StudyView;

class TuneProgressView : public QDialog {
  Q_OBJECT

 public:
  /// `jobs` (may be null) shows the running study as a job.
  explicit TuneProgressView(JobTracker* jobs, QWidget* parent = nullptr);
  ~TuneProgressView() override;

  /// Starts the study of `request` (cancelling the one running, if any) and shows it.
  void start(TuneRequest request);
  /// Asks the running study to stop; it ends unstored.
  void cancel();
  bool isRunning() const;

  StudyTrialsModel* trialsModel() const;
  StudyResultModel* resultModel() const;
  BestSoFarPlot* bestSoFarPlot() const;
  QPushButton* cancelButton() const { return cancelButton_; }
  /// The status line above the progress bar.
  QString statusText() const;

 signals:
  /// A trial ended (the table and the plot show it already).
  void trialFinished(int order);
  /// The study ended: `stored` true when it and its final runs are stored; false when it
  /// was cancelled (nothing stored) or failed (a failed final run may be stored as failed).
  void studyEnded(bool stored);

 protected:
  /// Esc: cancels a running study (the window stays); closes the window otherwise.
  void reject() override;

 private:
  void onTrialFinished(const reco::storage::StudyTrial& trial, int order);
  void onCompleted(const StudyResultPtr& result);
  void onEnded(const QString& status, bool stored, bool isError);
  void finishJob();
  void setStatus(const QString& text, bool isError);
  QString modelName(int model) const;

  QPointer<JobTracker> jobs_;
  int trackerJob_ = 0;
  TuneJob* job_ = nullptr;
  QString studyLabel_;
  int totalTrials_ = 0;  // 0: a budget in seconds
  int doneTrials_ = 0;

  QLabel* status_;
  QProgressBar* progress_;
  QPushButton* cancelButton_;
  QPushButton* closeButton_;
  StudyView* view_;
};

}  // namespace reco::ui
