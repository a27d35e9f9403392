#include "ui/workers/tune_job.h"

#include <QThread>
#include <chrono>

#ifdef __linux__
#include <unistd.h>

#include <sys/resource.h>
#endif

#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

/// Forwards the final runs' progress (on the study's thread) as the worker's signal, thinned
/// to one per 50 ms unless the stage changes or ends, as the training controller does.
class FinalRunProgress final : public reco::TrainObserver {
 public:
  explicit FinalRunProgress(TuneWorker* worker) : worker_(worker) {}

  void onProgress(const reco::Progress& progress) override {
    const auto now = std::chrono::steady_clock::now();
    const bool stageChanged = progress.stage != lastStage_;
    const bool ended = progress.total > 0 && progress.done >= progress.total;
    if (!stageChanged && !ended && now - lastSent_ < std::chrono::milliseconds(50)) return;
    lastStage_ = progress.stage;
    lastSent_ = now;
    emit worker_->progressed(toQString(progress.stage), qint64(progress.done),
                             qint64(progress.total));
  }

 private:
  TuneWorker* worker_;
  std::string lastStage_;
  std::chrono::steady_clock::time_point lastSent_{};
};

/// The study's callbacks as the worker's signals (queued to the GUI thread by their
/// connections). A trial is a small value: its options and numbers.
class SignallingStudyObserver final : public reco::StudyObserver {
 public:
  explicit SignallingStudyObserver(TuneWorker* worker) : worker_(worker), progress_(worker) {}

  void onTrialStarted(std::size_t model, int index, const reco::OptionValues& options) override {
    emit worker_->trialStarted(int(model), index, options);
  }
  void onTrialFinished(const reco::storage::StudyTrial& trial, std::size_t order) override {
    emit worker_->trialFinished(trial, int(order));
  }
  void onFinalRunStarted(std::size_t model, const reco::OptionValues& options) override {
    emit worker_->finalRunStarted(int(model), options);
  }
  reco::TrainObserver* finalRunObserver() override { return &progress_; }

 private:
  TuneWorker* worker_;
  FinalRunProgress progress_;
};

/// As training: the study's thread (and the parallel loops it starts) at nice +5, so the
/// GUI thread gets the CPU at once on a busy machine.
void lowerThisThreadsPriority() {
#ifdef __linux__
  constexpr int kTrainingNice = 5;
  const int current = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  if (current < kTrainingNice)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kTrainingNice);
#endif
}

}  // namespace

TuneWorker::TuneWorker(TuneRequest request, std::stop_token stop)
    : request_(std::move(request)), stop_(std::move(stop)) {}

void TuneWorker::run() {
  lowerThisThreadsPriority();
  // Nothing may escape: an exception leaving a slot would end the process.
  try {
    storage::Workspace workspace(toStdString(request_.workspacePath),
                                 storage::Workspace::OpenMode::OpenExisting);
    FinalRunProgress waiting(this);
    // A damaged or read-only workspace fails before the first trial, and while another
    // process writes to it the study waits (shown as the stage).
    workspace.prepareForWriting(&waiting, stop_);
    SignallingStudyObserver observer(this);
    auto result = std::make_shared<reco::StudyResult>(
        reco::runTuningStudy(workspace, request_.split, request_.options, &observer, stop_));
    if (result->outcome == reco::Outcome::Stopped) {
      emit stopped();
    } else {
      emit completed(std::move(result));
    }
  } catch (...) {
    if (stop_.stop_requested()) {
      emit stopped();
    } else {
      emit failed(WorkspaceLoader::describeError(std::current_exception()));
    }
  }
  emit done();
}

TuneJob::TuneJob(TuneRequest request, QObject* parent)
    : QObject(parent), request_(std::move(request)) {
  qRegisterMetaType<reco::OptionValues>();
  qRegisterMetaType<reco::storage::StudyTrial>();
  qRegisterMetaType<reco::ui::StudyResultPtr>();
}

TuneJob::~TuneJob() {
  if (!thread_) return;
  stop_.request_stop();
  thread_->quit();
  thread_->wait();
}

void TuneJob::start() {
  if (thread_) return;
  state_ = State::Running;
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("tuning study"));
  auto* worker = new TuneWorker(request_, stop_.get_token());
  worker->moveToThread(thread_);
  connect(thread_, &QThread::started, worker, &TuneWorker::run);
  connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
  // The worker's signals come from the study's thread: queued to this (GUI-thread) object.
  connect(worker, &TuneWorker::trialStarted, this, &TuneJob::trialStarted);
  connect(worker, &TuneWorker::trialFinished, this, &TuneJob::trialFinished);
  connect(worker, &TuneWorker::finalRunStarted, this, &TuneJob::finalRunStarted);
  connect(worker, &TuneWorker::progressed, this, &TuneJob::progressed);
  connect(worker, &TuneWorker::completed, this, [this](const StudyResultPtr& result) {
    state_ = State::Completed;
    emit completed(result);
  });
  connect(worker, &TuneWorker::stopped, this, [this] {
    state_ = State::Cancelled;
    emit cancelled();
  });
  connect(worker, &TuneWorker::failed, this, [this](const QString& message) {
    state_ = State::Failed;
    emit failed(message);
  });
  // done() comes on the study's thread right before run() returns; quitting there ends the
  // thread's event loop, and QThread::finished then arrives here.
  connect(worker, &TuneWorker::done, thread_, &QThread::quit, Qt::DirectConnection);
  connect(thread_, &QThread::finished, this, &TuneJob::finished);
  thread_->start();
}

void TuneJob::cancel() {
  stop_.request_stop();
}

}  // namespace reco::ui
