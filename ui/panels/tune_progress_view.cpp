#include "ui/panels/tune_progress_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/convert/qt_convert.h"
#include "ui/models/study_result_model.h"
#include "ui/models/study_trials_model.h"
#include "ui/panels/study_view.h"
#include "ui/plots/best_so_far_plot.h"
#include "ui/workers/job_tracker.h"

namespace reco::ui {

TuneProgressView::TuneProgressView(JobTracker* jobs, QWidget* parent)
    : QDialog(parent), jobs_(jobs) {
  setObjectName(QStringLiteral("tuneProgressView"));
  setWindowTitle(QStringLiteral("Tuning study"));
  setModal(false);
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("tuneStatus"));
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("tuneProgress"));
  progress_->setTextVisible(true);
  cancelButton_ = new QPushButton(QStringLiteral("Cancel study"));
  cancelButton_->setObjectName(QStringLiteral("cancelStudyButton"));
  cancelButton_->setToolTip(
      QStringLiteral("Stop the study (Esc): nothing of it is stored, not even finished trials"));
  cancelButton_->setEnabled(false);
  connect(cancelButton_, &QPushButton::clicked, this, &TuneProgressView::cancel);
  closeButton_ = new QPushButton(QStringLiteral("Close"));
  closeButton_->setToolTip(QStringLiteral("Hide this window; a running study goes on"));
  connect(closeButton_, &QPushButton::clicked, this, &QDialog::hide);
  auto* top = new QHBoxLayout;
  top->addWidget(progress_, 1);
  top->addWidget(cancelButton_);
  top->addWidget(closeButton_);

  view_ = new StudyView;

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(status_);
  layout->addLayout(top);
  layout->addWidget(view_, 1);
  resize(1000, 720);
  setStatus(QStringLiteral("No study has run yet."), false);
}

TuneProgressView::~TuneProgressView() {
  finishJob();
}

StudyTrialsModel* TuneProgressView::trialsModel() const {
  return view_->trialsModel();
}

StudyResultModel* TuneProgressView::resultModel() const {
  return view_->resultModel();
}

BestSoFarPlot* TuneProgressView::bestSoFarPlot() const {
  return view_->bestSoFarPlot();
}

bool TuneProgressView::isRunning() const {
  return job_ && job_->isRunning();
}

QString TuneProgressView::statusText() const {
  return status_->text();
}

QString TuneProgressView::modelName(int model) const {
  if (!job_ || model < 0 || model >= int(job_->request().options.models.size())) return {};
  return toQString(job_->request().options.models[std::size_t(model)].model);
}

void TuneProgressView::start(TuneRequest request) {
  if (job_) {
    // The older study stops in the background and is forgotten; it deletes itself once its
    // thread has ended, so this never waits for it.
    TuneJob* old = job_;
    job_ = nullptr;
    old->disconnect(this);
    old->setParent(nullptr);
    connect(old, &TuneJob::finished, old, &QObject::deleteLater);
    if (old->isRunning()) {
      old->cancel();
    } else {
      old->deleteLater();
    }
  }
  finishJob();
  QStringList models;
  for (const auto& model : request.options.models) models << toQString(model.model);
  const QString metric = toQString(request.options.metric);
  const auto& budget = request.options.budget;
  totalTrials_ = budget.trials ? *budget.trials * int(models.size()) : 0;
  doneTrials_ = 0;
  const QString name = request.options.name.empty() ? QStringLiteral("(automatic name)")
                                                    : toQString(request.options.name);
  studyLabel_ = QStringLiteral("Study %1 on %2").arg(name, request.splitLabel);
  view_->reset(models, metric, budget.trials.value_or(0));
  progress_->setRange(0, std::max(totalTrials_, 0));  // 0..0: busy, for a budget in seconds
  progress_->setValue(0);
  cancelButton_->setEnabled(true);

  job_ = new TuneJob(std::move(request), this);
  connect(
      job_, &TuneJob::trialStarted, this,
      [this](int model, int index, const reco::OptionValues& options) {
        view_->trialsModel()->trialStarted(model, index, options);
        setStatus(
            QStringLiteral("%1: %2, trial %3…").arg(studyLabel_, modelName(model)).arg(index + 1),
            false);
      });
  connect(job_, &TuneJob::trialFinished, this, &TuneProgressView::onTrialFinished);
  connect(job_, &TuneJob::finalRunStarted, this, [this](int model, const reco::OptionValues&) {
    setStatus(QStringLiteral("%1: final run of %2 (refit on training + validation, test)…")
                  .arg(studyLabel_, modelName(model)),
              false);
  });
  connect(job_, &TuneJob::completed, this, &TuneProgressView::onCompleted);
  connect(job_, &TuneJob::cancelled, this, [this] {
    onEnded(QStringLiteral("%1 was cancelled; nothing of it was stored.").arg(studyLabel_), false,
            false);
  });
  connect(job_, &TuneJob::failed, this, [this](const QString& message) {
    onEnded(QStringLiteral("%1 failed: %2").arg(studyLabel_, message), false, true);
  });
  if (jobs_) trackerJob_ = jobs_->start(QStringLiteral("Tuning study"));
  setStatus(QStringLiteral("%1: starting…").arg(studyLabel_), false);
  job_->start();
  show();
  raise();
}

void TuneProgressView::cancel() {
  if (!isRunning() || job_->isCancelRequested()) return;
  job_->cancel();
  cancelButton_->setEnabled(false);
  setStatus(QStringLiteral("%1: cancelling…").arg(studyLabel_), false);
}

void TuneProgressView::reject() {
  if (isRunning()) {
    cancel();
    return;
  }
  QDialog::reject();
}

void TuneProgressView::onTrialFinished(const reco::storage::StudyTrial& trial, int order) {
  view_->trialsModel()->trialFinished(trial);
  view_->bestSoFarPlot()->addTrial(int(trial.model), trial.index, trial.validation);
  ++doneTrials_;
  if (totalTrials_ > 0) progress_->setValue(std::min(doneTrials_, totalTrials_));
  emit trialFinished(order);
}

void TuneProgressView::onCompleted(const StudyResultPtr& result) {
  view_->showResult(result);
  const QString name = toQString(result->record.info.name);
  studyLabel_ = QStringLiteral("Study '%1'").arg(name);
  onEnded(QStringLiteral("Study '%1' is stored: %2 trials in %3 s. The final runs (%1-MODEL) are "
                         "in the runs list, marked tuned; Studies… shows the study again.")
              .arg(name)
              .arg(result->record.trials.size())
              .arg(formatNumber(result->record.info.seconds, 1)),
          true, false);
}

void TuneProgressView::onEnded(const QString& status, bool stored, bool isError) {
  if (!stored) view_->trialsModel()->markUnfinished(QStringLiteral("cancelled"));
  if (progress_->maximum() == 0) progress_->setRange(0, 1);  // leave the busy state
  if (stored) progress_->setValue(progress_->maximum());
  cancelButton_->setEnabled(false);
  view_->bestSoFarPlot()->replotNow();  // the last trials, without waiting for the coalescing timer
  setStatus(status, isError);
  if (jobs_ && trackerJob_) jobs_->finish(std::exchange(trackerJob_, 0));
  emit studyEnded(stored);
}

void TuneProgressView::finishJob() {
  if (jobs_ && trackerJob_) jobs_->finish(std::exchange(trackerJob_, 0));
}

void TuneProgressView::setStatus(const QString& text, bool isError) {
  status_->setText(text);
  status_->setProperty("error", isError);
  status_->style()->unpolish(status_);
  status_->style()->polish(status_);
}

}  // namespace reco::ui
