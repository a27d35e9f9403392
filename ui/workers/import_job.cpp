#include "ui/workers/import_job.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <mutex>

#include <QtConcurrent/QtConcurrentRun>

#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/job_tracker.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

constexpr int kPollMs = 100;

}  // namespace

QThreadPool& ImportJob::threadPool() {
  // Imports get threads of their own: a long import must not take one of the global pool's
  // few threads (2 on a 2-core machine), which the statistics readers need meanwhile.
  // Owned by the application, so that it outlives every job.
  static QPointer<QThreadPool> pool;
  if (!pool) {
    pool = new QThreadPool(QCoreApplication::instance());
    pool->setMaxThreadCount(2);
  }
  return *pool;
}

/// What the GUI thread and the task share: the latest progress (written by the task's
/// observer, read by the poller) and the stop source. Outlives the job when it is
/// destroyed mid-import.
struct ImportJob::Shared final : reco::JobObserver {
  std::mutex mutex;
  reco::Progress progress;
  bool fresh = false;
  std::stop_source stop;

  void onProgress(const reco::Progress& p) override {
    const std::lock_guard lock(mutex);
    progress = p;
    fresh = true;
  }
};

ImportJob::ImportJob(JobTracker* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {
  qRegisterMetaType<reco::ui::ImportJobResultPtr>();
  poller_ = new QTimer(this);
  poller_->setInterval(kPollMs);
  connect(poller_, &QTimer::timeout, this, &ImportJob::poll);
}

ImportJob::~ImportJob() {
  if (shared_) shared_->stop.request_stop();
  if (running_ && jobs_) jobs_->finish(jobId_);
}

ImportJobResult ImportJob::run(const std::string& workspace, const std::string& source,
                               const reco::io::ImportOptions& options, reco::JobObserver* observer,
                               std::stop_token stop) {
  ImportJobResult result;
  try {
    storage::Workspace opened(workspace, storage::Workspace::OpenMode::OpenExisting);
    opened.prepareForWriting(observer,
                             stop);  // a damaged or read-only workspace fails here, before reading
    storage::ImportResult imported = storage::importFile(opened, source, options, observer, stop);
    if (imported.outcome == reco::Outcome::Stopped) {
      result.status = ImportJobResult::Status::Cancelled;
      return result;
    }
    result.status = ImportJobResult::Status::Completed;
    result.dataset = std::move(imported.dataset);
    result.report = std::move(imported.report);
  } catch (...) {
    result.status = ImportJobResult::Status::Failed;
    result.error = WorkspaceLoader::describeError(std::current_exception());
  }
  return result;
}

bool ImportJob::start(const QString& workspace, const QString& source,
                      const reco::io::ImportOptions& options) {
  if (running_) return false;
  running_ = true;
  result_.reset();
  lastStage_.clear();
  lastFraction_ = -2;
  shared_ = std::make_shared<Shared>();
  if (jobs_)
    jobId_ = jobs_->start(QStringLiteral("Importing %1").arg(QFileInfo(source).fileName()));

  watcher_ = new QFutureWatcher<ImportJobResult>(this);
  connect(watcher_, &QFutureWatcherBase::finished, this, &ImportJob::onFinished);
  std::shared_ptr<Shared> shared = shared_;
  watcher_->setFuture(QtConcurrent::run(
      &threadPool(), [shared, file = toStdString(workspace), path = toStdString(source), options] {
        return run(file, path, options, shared.get(), shared->stop.get_token());
      }));
  poller_->start();
  emit progressChanged(QStringLiteral("starting"), -1);
  return true;
}

void ImportJob::cancel() {
  if (running_ && shared_) shared_->stop.request_stop();
}

void ImportJob::poll() {
  if (!shared_) return;
  reco::Progress progress;
  {
    const std::lock_guard lock(shared_->mutex);
    if (!shared_->fresh) return;
    shared_->fresh = false;
    progress = shared_->progress;
  }
  const QString stage = toQString(progress.stage);
  const double fraction = progress.total > 0 ? std::min(1.0, progress.fraction()) : -1.0;
  // Bytes move often; only a visible change (0.1%) or a new stage is worth a signal.
  if (stage == lastStage_ && std::abs(fraction - lastFraction_) < 0.001) return;
  lastStage_ = stage;
  lastFraction_ = fraction;
  emit progressChanged(stage, fraction);
}

void ImportJob::onFinished() {
  poller_->stop();
  auto result = std::make_shared<const ImportJobResult>(watcher_->result());
  watcher_->deleteLater();
  watcher_ = nullptr;
  running_ = false;
  if (jobs_) jobs_->finish(jobId_);
  result_ = result;
  emit finished(result);
}

}  // namespace reco::ui
