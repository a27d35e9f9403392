#include "ui/workers/run_queue.h"

#include <QDateTime>
#include <QRegularExpression>
#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
/// The core's final evaluation: "evaluating", then "evaluating users" with done/total.
bool isEvaluating(const QString& stage) {
  return stage.startsWith(QStringLiteral("evaluating"));
}
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

std::optional<EpochProgress> epochProgress(const QString& stage, qint64 done, qint64 total) {
  static const QRegularExpression kNumbered(QStringLiteral("\\bepoch (\\d+)/(\\d+)$"));
  if (const QRegularExpressionMatch m = kNumbered.match(stage); m.hasMatch()) {
    const int current = m.captured(1).toInt(), planned = m.captured(2).toInt();
    if (current < 1 || planned < 1) return std::nullopt;
    const double within = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
    return EpochProgress{double(current - 1) + within, planned, current};
  }
  if (stage.endsWith(QStringLiteral(" epoch")) && total > 0) {
    const auto epochsDone = std::clamp<qint64>(done, 0, total);
    return EpochProgress{double(epochsDone), int(total), int(std::min(epochsDone + 1, total))};
  }
  return std::nullopt;
}

std::optional<double> trainingEtaSeconds(double trainingSeconds, double epochsDone, int epochs) {
  if (epochs <= 0 || epochsDone <= 0 || trainingSeconds < 0) return std::nullopt;
  return trainingSeconds / epochsDone * std::max(0.0, double(epochs) - epochsDone);
}

QString QueuedRun::name() const {
  return toQString(request.options.runName);
}

double QueuedRun::fraction() const {
  if (state == RunState::Completed) return 1.0;
  if (state != RunState::Running) return -1.0;
  // While training, epochs are the truest measure; the core's stage progress otherwise.
  if (!isEvaluating(stage) && epochs > 0) return std::clamp(epochsDone / double(epochs), 0.0, 1.0);
  if (total > 0) return std::clamp(double(done) / double(total), 0.0, 1.0);
  return -1.0;
}

QString QueuedRun::statusLine() const {
  switch (state) {
    case RunState::Queued:
      return cancelRequested ? QStringLiteral("cancelling…") : QStringLiteral("queued");
    case RunState::Completed: return QStringLiteral("done");
    case RunState::Failed: return QStringLiteral("failed");
    case RunState::Cancelled: return QStringLiteral("cancelled");
    case RunState::Running: break;
  }
  if (cancelRequested) return QStringLiteral("cancelling…");
  if (stage.isEmpty()) return QStringLiteral("starting…");
  if (!isEvaluating(stage) && epochs > 0) {
    // The epoch being trained (between epochs: the last one done).
    const int current = std::clamp(int(epochsDone) + 1, 1, epochs);
    return QStringLiteral("epoch %1/%2").arg(epoch >= epochs ? epochs : current).arg(epochs);
  }
  // A one-pass model's stages have long names ("item similarities"): the queue's tooltip
  // and the curve's note give them; the line says training or evaluating.
  const QString what =
      isEvaluating(stage) ? QStringLiteral("evaluating") : QStringLiteral("training");
  if (total > 0)
    return QStringLiteral("%1 %2%").arg(what).arg(int(100.0 * double(done) / double(total)));
  return stage.size() <= 18 ? stage : what + QStringLiteral("…");
}

RunQueue::RunQueue(QObject* parent) : QObject(parent) {
  qRegisterMetaType<reco::ui::RunState>();
  qRegisterMetaType<reco::EpochReport>();
  changeTimer_ = new QTimer(this);
  changeTimer_->setSingleShot(true);
  changeTimer_->setInterval(kChangeIntervalMs);
  connect(changeTimer_, &QTimer::timeout, this, &RunQueue::emitPendingChanges);
}

void RunQueue::changeSoon(int id) {
  pendingChanges_.insert(id);
  if (!changeTimer_->isActive()) changeTimer_->start();
}

void RunQueue::emitPendingChanges() {
  const std::set<int> ids = std::move(pendingChanges_);
  pendingChanges_.clear();
  for (const int id : ids)
    if (find(id)) emit runChanged(id);
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
  const auto it =
      std::find_if(runs_.begin(), runs_.end(), [id](const auto& run) { return run->id == id; });
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

void RunQueue::setHeld(bool held) {
  held_ = held;
  startWaiting();
}

int RunQueue::runningCount() const {
  return int(std::count_if(runs_.begin(), runs_.end(),
                           [](const auto& run) { return run->state == RunState::Running; }));
}

int RunQueue::queuedCount() const {
  return int(std::count_if(runs_.begin(), runs_.end(),
                           [](const auto& run) { return run->state == RunState::Queued; }));
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
  return std::any_of(runs_.begin(), runs_.end(),
                     [&](const auto& run) { return run->isActive() && run->name() == name; });
}

void RunQueue::startWaiting() {
  if (held_) return;
  for (auto& run : runs_) {
    if (runningCount() >= maxParallel_) return;
    if (run->state != RunState::Queued) continue;
    const int id = run->id;
    run->state = RunState::Running;
    run->stageClock.start();
    auto* controller = new TrainingController(run->request, this);
    controllers_[id] = controller;
    connect(controller, &TrainingController::progressed, this,
            [this, id](const QString& stage, qint64 done, qint64 total) {
              onProgress(id, stage, done, total);
            });
    connect(controller, &TrainingController::epochFinished, this,
            [this, id](const reco::EpochReport& report) { onEpoch(id, report); });
    connect(controller, &TrainingController::completed, this,
            [this, id](const reco::storage::RunInfo& stored) {
              onEnded(id, RunState::Completed, QString(), stored);
            });
    connect(controller, &TrainingController::cancelled, this,
            [this, id] { onEnded(id, RunState::Cancelled, QString(), std::nullopt); });
    connect(controller, &TrainingController::failed, this, [this, id](const QString& message) {
      onEnded(id, RunState::Failed, message, std::nullopt);
    });
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
  if (const auto progress = epochProgress(stage, done, total)) {
    // Training: the whole run's remaining epochs, not the current epoch's (which said
    // "ETA 0:12" with 50 minutes to go). The evaluation that follows gets its own estimate
    // once it starts (below).
    if (!run->trainingClock.isValid()) run->trainingClock.start();
    run->epochsDone = std::max(run->epochsDone, progress->done);
    run->epochs = std::max(run->epochs, progress->planned);
    if (const auto eta = trainingEtaSeconds(double(run->trainingClock.elapsed()) / 1000.0,
                                            run->epochsDone, run->epochs))
      run->etaSeconds = eta;
  } else if (total > 0 && done > 0 && done <= total) {
    // A one-pass model's training or the evaluation: the rest of this stage.
    const double elapsed = double(run->stageClock.elapsed()) / 1000.0;
    run->etaSeconds = elapsed * double(total - done) / double(done);
  }
  changeSoon(id);
}

void RunQueue::onEpoch(int id, const reco::EpochReport& report) {
  QueuedRun* run = find(id);
  if (!run || run->state != RunState::Running) return;
  run->epochReports.push_back(report);
  run->epoch = report.epoch;
  run->epochs = std::max({report.epochs, run->epochs, 0});
  run->epochsDone = std::max(run->epochsDone, double(report.epoch));
  if (!run->trainingClock.isValid()) {
    // A model that reports epochs but no epoch stage: its epochs' own times.
    double seconds = 0;
    for (const auto& epoch : run->epochReports) seconds += epoch.seconds;
    run->etaSeconds = trainingEtaSeconds(seconds, double(run->epochReports.size()), run->epochs);
  } else if (const auto eta = trainingEtaSeconds(double(run->trainingClock.elapsed()) / 1000.0,
                                                 run->epochsDone, run->epochs)) {
    run->etaSeconds = eta;
  }
  emit epochArrived(id, report);
  changeSoon(id);
}

void RunQueue::onEnded(int id, RunState state, const QString& error,
                       std::optional<reco::storage::RunInfo> stored) {
  QueuedRun* run = find(id);
  if (!run || !run->isActive()) return;
  run->state = state;
  run->error = error;
  run->stored = std::move(stored);
  run->etaSeconds.reset();
  if (state == RunState::Completed) run->done = run->total;
  pendingChanges_.erase(id);  // this change says it all
  emit runChanged(id);
  // The next run starts before the end is announced, so that whoever follows the runs
  // sees the new one running already.
  startWaiting();
  emit runFinished(id, state);
  if (runningCount() == 0 && queuedCount() == 0) emit drained();
}

}  // namespace reco::ui
