#include "ui/workers/progress_task.h"

#include <QTimer>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
constexpr int kPollMs = 100;
}  // namespace

void ProgressTask::Shared::onProgress(const reco::Progress& progress) {
  std::lock_guard lock(mutex);
  latest = progress;
  fresh = true;
}

ProgressTask::ProgressTask(JobTracker* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {
  poll_ = new QTimer(this);
  poll_->setInterval(kPollMs);
  connect(poll_, &QTimer::timeout, this, &ProgressTask::poll);
}

ProgressTask::~ProgressTask() {
  if (shared_) shared_->stop.request_stop();
}

void ProgressTask::begin(bool wasRunning) {
  poll_->start();
  emit progressed(QStringLiteral("starting"), -1.0);
  if (!wasRunning) emit runningChanged(true);
}

void ProgressTask::finish() {
  poll_->stop();
  shared_.reset();
  emit runningChanged(false);
}

void ProgressTask::cancel() {
  if (!shared_) return;
  shared_->stop.request_stop();
  finish();
}

void ProgressTask::poll() {
  if (!shared_) return;
  reco::Progress progress;
  {
    std::lock_guard lock(shared_->mutex);
    if (!shared_->fresh) return;
    shared_->fresh = false;
    progress = shared_->latest;
  }
  emit progressed(toQString(progress.stage), progress.fraction());
}

}  // namespace reco::ui
