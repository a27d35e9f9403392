#pragma once
/// A background computation with progress and Cancel, where a newer request supersedes the
/// older one (the Items screen's heatmap and map). The task runs in QThreadPool::global-
/// Instance() (runBackgroundTask) with a JobObserver and a stop token; the observer keeps
/// only the latest progress in a small shared state, which a timer on the GUI thread polls
/// (at most 10 signals a second, however often the core reports). Starting a new request or
/// cancel() requests the running one to stop and drops its result unseen. Lives on the GUI
/// thread.

#include <QObject>
#include <QString>
#include <exception>
#include <memory>
#include <mutex>
#include <stop_token>
#include <utility>

#include "core/common/progress.h"
#include "ui/workers/background_task.h"

class QTimer;

namespace reco::ui {

class JobTracker;

class ProgressTask : public QObject {
  Q_OBJECT

 public:
  /// What a task shares with this object: the latest progress and its stop source.
  struct Shared final : reco::JobObserver {
    std::mutex mutex;
    reco::Progress latest;
    bool fresh = false;
    std::stop_source stop;
    void onProgress(const reco::Progress& progress) override;
  };

  /// `jobs` (may be null) hears about each running request.
  explicit ProgressTask(JobTracker* jobs, QObject* parent = nullptr);
  /// Stops the running task; it ends unseen in the pool.
  ~ProgressTask() override;

  /// Starts `work(reco::JobObserver*, std::stop_token)`, which returns something
  /// convertible to std::shared_ptr<const T> (null when it stopped) and may throw; it must
  /// hold only values. The running request, if any, is stopped and forgotten. On the GUI
  /// thread, when it ends and is still wanted: `deliver(value, error)` (value null and error
  /// null: it stopped).
  template <class T, class Work, class Deliver>
  void start(const QString& label, Work work, Deliver deliver) {
    const bool wasRunning = shared_ != nullptr;
    if (wasRunning) shared_->stop.request_stop();
    auto shared = std::make_shared<Shared>();
    shared_ = shared;
    const int generation = ++generation_;
    runBackgroundTask<T>(
        this, jobs_, label,
        [shared, work = std::move(work)] { return work(shared.get(), shared->stop.get_token()); },
        [this, generation, deliver = std::move(deliver)](const TaskResult<T>& result) {
          if (generation != generation_ || !shared_) {  // superseded or cancelled
            emit droppedEnded();
            return;
          }
          finish();
          deliver(result.value, result.error);
        });
    begin(wasRunning);
  }
  /// Stops the running request and drops its result; emits runningChanged(false) when one ran.
  void cancel();
  bool isRunning() const { return shared_ != nullptr; }

 signals:
  /// The running request's stage and fraction in [0, 1] (-1: unknown).
  void progressed(const QString& stage, double fraction);
  void runningChanged(bool running);
  /// A cancelled or superseded request has ended in the pool (its result dropped): what it
  /// stored before it stopped (the runs a sweep finished) is in the workspace now.
  void droppedEnded();

 private:
  void begin(bool wasRunning);
  void finish();
  void poll();

  JobTracker* jobs_;
  std::shared_ptr<Shared> shared_;
  int generation_ = 0;
  QTimer* poll_;
};

}  // namespace reco::ui
