#include "ui/workers/training_controller.h"

#include <QThread>
#include <chrono>

#ifdef __linux__
#include <unistd.h>

#include <sys/resource.h>
#endif

#include "core/common/error.h"
#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

/// Forwards the core's callbacks (on the training thread) as the worker's signals. Progress
/// is thinned to one signal per 50 ms unless the stage changes or ends: the core may report
/// every few milliseconds, and every signal is an event the GUI thread has to handle.
class SignallingObserver final : public reco::TrainObserver {
 public:
  explicit SignallingObserver(TrainingWorker* worker) : worker_(worker) {}

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

  void onEpoch(const reco::EpochReport& report) override { emit worker_->epochFinished(report); }

 private:
  TrainingWorker* worker_;
  std::string lastStage_;
  std::chrono::steady_clock::time_point lastSent_{};
};

/// Training runs one step below the window's CPU priority (nice +5), so that on a busy
/// machine the GUI thread still gets the CPU at once when an event arrives. On Linux the
/// nice value is per thread and inherited by the threads this one starts (the models' and
/// the evaluator's parallel loops). Elsewhere this does nothing.
void lowerThisThreadsPriority() {
#ifdef __linux__
  constexpr int kTrainingNice = 5;
  const int current = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  if (current < kTrainingNice)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kTrainingNice);
#endif
}

}  // namespace

TrainingWorker::TrainingWorker(RunRequest request, std::stop_token stop)
    : request_(std::move(request)), stop_(std::move(stop)) {}

void TrainingWorker::run() {
  lowerThisThreadsPriority();
  // Nothing may escape: an exception leaving a slot would end the process.
  try {
    storage::Workspace workspace(toStdString(request_.workspacePath),
                                 storage::Workspace::OpenMode::OpenExisting);
    SignallingObserver observer(this);
    // Before any training: a damaged or read-only workspace fails now, not after the fit,
    // and while another process writes to it the run waits (shown as its stage).
    workspace.prepareForWriting(&observer, stop_);
    const reco::ExperimentResult result =
        reco::runExperiment(workspace, request_.split, request_.options, &observer, stop_);
    if (result.outcome == reco::Outcome::Stopped) {
      emit stopped();
    } else {
      emit completed(result.run);
    }
  } catch (...) {
    // A stop that surfaced as an error (rare: a model's own check) still counts as a stop.
    if (stop_.stop_requested()) {
      emit stopped();
    } else {
      emit failed(WorkspaceLoader::describeError(std::current_exception()));
    }
  }
  emit done();
}

TrainingController::TrainingController(RunRequest request, QObject* parent)
    : QObject(parent), request_(std::move(request)) {
  qRegisterMetaType<reco::EpochReport>();
  qRegisterMetaType<reco::storage::RunInfo>();
}

TrainingController::~TrainingController() {
  if (!thread_) return;
  stop_.request_stop();
  thread_->quit();
  thread_->wait();
}

void TrainingController::start() {
  if (thread_) return;
  state_ = State::Running;
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("training %1").arg(toQString(request_.options.runName)));
  auto* worker = new TrainingWorker(request_, stop_.get_token());
  worker->moveToThread(thread_);
  connect(thread_, &QThread::started, worker, &TrainingWorker::run);
  connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
  // The worker's signals come from the training thread: queued to this (GUI-thread) object.
  connect(worker, &TrainingWorker::progressed, this, &TrainingController::progressed);
  connect(worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished);
  connect(worker, &TrainingWorker::completed, this, [this](const reco::storage::RunInfo& run) {
    state_ = State::Completed;
    emit completed(run);
  });
  connect(worker, &TrainingWorker::stopped, this, [this] {
    state_ = State::Cancelled;
    emit cancelled();
  });
  connect(worker, &TrainingWorker::failed, this, [this](const QString& message) {
    state_ = State::Failed;
    emit failed(message);
  });
  // done() is emitted on the training thread right before run() returns; quitting there
  // ends the thread's event loop, and QThread::finished then arrives here.
  connect(worker, &TrainingWorker::done, thread_, &QThread::quit, Qt::DirectConnection);
  connect(thread_, &QThread::finished, this, &TrainingController::finished);
  thread_->start();
}

void TrainingController::cancel() {
  stop_.request_stop();
}

}  // namespace reco::ui
