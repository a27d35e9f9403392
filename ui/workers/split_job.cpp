#include "ui/workers/split_job.h"

#include <QFutureWatcher>
#include <QTimer>
#include <mutex>
#include <stop_token>

#include <QtConcurrent/QtConcurrentRun>

#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_pool.h"
#include "ui/workers/job_tracker.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

struct SplitJob::State {
  std::stop_source stop;
  std::mutex mutex;  // guards the fields below
  reco::Progress latest;
  bool hasProgress = false;
  std::optional<reco::storage::CreateSplitResult> result;
  std::exception_ptr error;
};

namespace {

/// Keeps the latest progress in the shared state; the GUI thread polls it.
class StateObserver final : public reco::JobObserver {
 public:
  explicit StateObserver(std::shared_ptr<SplitJob::State> state) : state_(std::move(state)) {}
  void onProgress(const reco::Progress& progress) override {
    std::lock_guard lock(state_->mutex);
    state_->latest = progress;
    state_->hasProgress = true;
  }

 private:
  std::shared_ptr<SplitJob::State> state_;
};

constexpr int kPollMs = 100;

}  // namespace

SplitJob::SplitJob(JobTracker* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {
  qRegisterMetaType<reco::storage::SplitInfo>();
  pollTimer_ = new QTimer(this);
  pollTimer_->setInterval(kPollMs);
  connect(pollTimer_, &QTimer::timeout, this, &SplitJob::poll);
}

SplitJob::~SplitJob() {
  // The task keeps its own reference to the state and ends soon after the stop.
  if (state_) state_->stop.request_stop();
  if (jobs_ && job_) jobs_->finish(job_);
}

reco::storage::CreateSplitResult SplitJob::createOn(
    const std::string& path, const reco::DatasetInfo& dataset, const std::string& name,
    const reco::SplitOptions& options, reco::JobObserver* observer, std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  workspace.prepareForWriting(observer, stop);
  return reco::storage::createSplit(workspace, dataset, name, options, observer, std::move(stop));
}

bool SplitJob::start(const QString& path, const reco::DatasetInfo& dataset, const QString& name,
                     const reco::SplitOptions& options) {
  if (state_) return false;
  auto state = std::make_shared<State>();
  state_ = state;
  job_ = jobs_ ? jobs_->start(QStringLiteral("Drawing split %1").arg(name)) : 0;
  auto* watcher = new QFutureWatcher<void>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, state] {
    watcher->deleteLater();
    if (state_ == state) finish();
  });
  const std::string file = toStdString(path), splitName = toStdString(name);
  watcher->setFuture(QtConcurrent::run(&backgroundPool(), [state, file, dataset, splitName,
                                                           options] {
    StateObserver observer(state);
    try {
      auto result = createOn(file, dataset, splitName, options, &observer, state->stop.get_token());
      std::lock_guard lock(state->mutex);
      state->result = std::move(result);
    } catch (...) {
      std::lock_guard lock(state->mutex);
      state->error = std::current_exception();
    }
  }));
  pollTimer_->start();
  emit progressed(QStringLiteral("starting"), -1.0);
  return true;
}

void SplitJob::cancel() {
  if (state_) state_->stop.request_stop();
}

void SplitJob::poll() {
  if (!state_) return;
  reco::Progress progress;
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->hasProgress) return;
    progress = state_->latest;
  }
  emit progressed(toQString(progress.stage), progress.fraction());
}

void SplitJob::finish() {
  pollTimer_->stop();
  std::shared_ptr<State> state = std::move(state_);
  state_.reset();
  if (jobs_ && job_) jobs_->finish(job_);
  job_ = 0;
  std::optional<reco::storage::CreateSplitResult> result;
  std::exception_ptr error;
  {
    std::lock_guard lock(state->mutex);
    result = state->result;
    error = state->error;
  }
  if (error) {
    emit failed(WorkspaceLoader::describeError(error));
  } else if (result && result->outcome == reco::Outcome::Completed) {
    // Also when Cancel came too late: the split is stored, so it is reported as made.
    emit completed(result->split);
  } else {
    emit cancelled();
  }
}

}  // namespace reco::ui
