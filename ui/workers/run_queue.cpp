#include "ui/workers/run_queue.h"

#include <QDateTime>

#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
const QString kEvaluatingStage = QStringLiteral("evaluating");
}  // namespace

QString runStateName(RunState state) {
  switch (state) {
    case RunState::Queued: return QStringLiteral("queued");
    case RunState::Running: return QStringLiteral("running");
    case RunState::Completed: return QStringLiteral("done");
    case RunState::Failed: return QStringLiteral("failed");
    case RunState::Cancelled: return QStringLiteral("cancelled");
  }
  return {};
}

QString QueuedRun::name() const { return toQString(request.options.runName); }

double QueuedRun::fraction() const {
  if (state == RunState::Completed) return 1.0;
  if (state != RunState::Running) return -1.0;
  // While training, epochs are the truest measure; the core's stage progress otherwise.
  if (stage != kEvaluatingStage && epochs > 0) return std::clamp(double(epoch) / double(epochs), 0.0, 1.0);
  if (total > 0) return std::clamp(double(done) / double(total), 0.0, 1.0);
  return -1.0;
}

QString QueuedRun::statusLine() const {
  switch (state) {
    case RunState::Queued: return cancelRequested ? QStringLiteral("cancelling…") : QStringLiteral("queued");
    case RunState::Completed: return QStringLiteral("done");
    case RunState::Failed: return QStringLiteral("failed");
    case RunState::Cancelled: return QStringLiteral("cancelled");
    case RunState::Running: break;
  }
  if (cancelRequested) return QStringLiteral("cancelling…");
  if (stage.isEmpty()) return QStringLiteral("starting…");
  if (stage != kEvaluatingStage && epochs > 0) return QStringLiteral("epoch %1/%2").arg(epoch).arg(epochs);
  if (total > 0) return QStringLiteral("%1 %2%").arg(stage).arg(int(100.0 * double(done) / double(total)));
  return stage;
}

RunQueue::RunQueue(QObject* parent) : QObject(parent) {
  qRegisterMetaType<reco::ui::RunState>();
  qRegisterMetaType<reco::EpochReport>();
}

RunQueue::~RunQueue() {
  // The controllers are children: each stops and waits for its thread as it is deleted.
  for (auto& [id, controller] : controllers_) controller->cancel();
}

int RunQueue::enqueue(RunRequest request) {
  auto run = std::make_unique<QueuedRun>();
  run->id = nextId_++;
  run->request = std::move(request);
  run->queuedAt = QDateTime::currentSecsSinceEpoch();
  const int id = run->id;
  runs_.push_back(std::move(run));
  emit runAdded(id);
  startWaiting();
  return id;
}

bool RunQueue::cancel(int id) {
  QueuedRun* run = find(id);
  if (!run || !run->isActive()) return false;
  run->cancelRequested = true;
  if (run->state == RunState::Queued) {
    onEnded(id, RunState::Cancelled, QString(), std::nullopt);
    return true;
  }
  if (auto it = controllers_.find(id); it != controllers_.end()) it->second->cancel();
  emit runChanged(id);
  return true;
}

void RunQueue::cancelAll() {
  // Queued runs first, so that none starts in a slot a cancelled running run frees.
  for (const int id : ids()) {
    const QueuedRun* run = this->run(id);
    if (run && run->state == RunState::Queued) cancel(id);
  }
  for (const int id : ids()) cancel(id);
}

bool RunQueue::remove(int id) {
  const auto it = std::find_if(runs_.begin(), runs_.end(), [id](const auto& run) { return run->id == id; });
  if (it == runs_.end() || (*it)->isActive()) return false;
  runs_.erase(it);
  emit runRemoved(id);
  return true;
}

void RunQueue::setMaxParallel(int count) {
  count = std::max(1, count);
  if (count == maxParallel_) return;
  maxParallel_ = count;
  emit maxParallelChanged(count);
  startWaiting();
}

int RunQueue::runningCount() const {
  return int(std::count_if(runs_.begin(), runs_.end(), [](const auto& run) { return run->state == RunState::Running; }));
}

int RunQueue::queuedCount() const {
  return int(std::count_if(runs_.begin(), runs_.end(), [](const auto& run) { return run->state == RunState::Queued; }));
}

const QueuedRun* RunQueue::run(int id) const {
  for (const auto& run : runs_)
    if (run->id == id) return run.get();
  return nullptr;
}

QueuedRun* RunQueue::find(int id) {
  for (auto& run : runs_)
    if (run->id == id) return run.get();
  return nullptr;
}

std::vector<int> RunQueue::ids() const {
  std::vector<int> out;
  out.reserve(runs_.size());
  for (const auto& run : runs_) out.push_back(run->id);
  return out;
}

bool RunQueue::hasActiveRunNamed(const QString& name) const {
  return std::any_of(runs_.begin(), runs_.end(), [&](const auto& run) { return run->isActive() && run->name() == name; });
}

void RunQueue::startWaiting() {
  for (auto& run : runs_) {
    if (runningCount() >= maxParallel_) return;
    if (run->state != RunState::Queued) continue;
    const int id = run->id;
    run->state = RunState::Running;
    run->stageClock.start();
    auto* controller = new TrainingController(run->request, this);
    controllers_[id] = controller;
    connect(controller, &TrainingController::progressed, this,
            [this, id](const QString& stage, qint64 done, qint64 total) { onProgress(id, stage, done, total); });
    connect(controller, &TrainingController::epochFinished, this,
            [this, id](const reco::EpochReport& report) { onEpoch(id, report); });
    connect(controller, &TrainingController::completed, this,
            [this, id](const reco::storage::RunInfo& stored) { onEnded(id, RunState::Completed, QString(), stored); });
    connect(controller, &TrainingController::cancelled, this,
            [this, id] { onEnded(id, RunState::Cancelled, QString(), std::nullopt); });
    connect(controller, &TrainingController::failed, this,
            [this, id](const QString& message) { onEnded(id, RunState::Failed, message, std::nullopt); });
    connect(controller, &TrainingController::finished, this, [this, id, controller] {
      controllers_.erase(id);
      controller->deleteLater();
    });
    controller->start();
    emit runChanged(id);
  }
}

void RunQueue::onProgress(int id, const QString& stage, qint64 done, qint64 total) {
  QueuedRun* run = find(id);
  if (!run || run->state != RunState::Running) return;
  if (stage != run->stage) {
    run->stage = stage;
    run->stageClock.start();
    run->etaSeconds.reset();
  }
  run->done = done;
  run->total = total;
  // Epoch-based estimates come with the epochs; this one covers the other stages.
  if (!(stage != kEvaluatingStage && run->epochs > 0 && run->epoch > 0)) {
    if (total > 0 && done > 0 && done <= total) {
      const double elapsed = double(run->stageClock.elapsed()) / 1000.0;
      run->etaSeconds = elapsed * double(total - done) / double(done);
    }
  }
  emit runChanged(id);
}

void RunQueue::onEpoch(int id, const reco::EpochReport& report) {
  QueuedRun* run = find(id);
  if (!run || run->state != RunState::Running) return;
  run->epochReports.push_back(report);
  run->epoch = report.epoch;
  run->epochs = std::max(report.epochs, 0);
  if (run->epochs > 0) {
    double seconds = 0;
    for (const auto& epoch : run->epochReports) seconds += epoch.seconds;
    const double perEpoch = seconds / double(run->epochReports.size());
    run->etaSeconds = perEpoch * double(std::max(0, run->epochs - run->epoch));
  }
  emit epochArrived(id, report);
  emit runChanged(id);
}

void RunQueue::onEnded(int id, RunState state, const QString& error, std::optional<reco::storage::RunInfo> stored) {
  QueuedRun* run = find(id);
  if (!run || !run->isActive()) return;
  run->state = state;
  run->error = error;
  run->stored = std::move(stored);
  run->etaSeconds.reset();
  if (state == RunState::Completed) run->done = run->total;
  emit runChanged(id);
  // The next run starts before the end is announced, so that whoever follows the runs
  // sees the new one running already.
  startWaiting();
  emit runFinished(id, state);
  if (runningCount() == 0 && queuedCount() == 0) emit drained();
}

}  // namespace reco::ui
