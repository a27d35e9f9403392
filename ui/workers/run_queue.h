#pragma once
/// The Experiments panel's queue of runs. Queued runs start in the order they were added,
/// at most maxParallel() at a time (1: one after another); each running run is a
/// TrainingController. The queue keeps what the GUI shows of every run it was given: state,
/// stage, progress, epochs so far (for the live curve), ETA and error, until remove().
/// GUI thread only; nothing here waits on work.

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "ui/workers/training_controller.h"

namespace reco::ui {

enum class RunState { Queued, Running, Completed, Failed, Cancelled };

/// "queued", "running", "done", "failed", "cancelled".
QString runStateName(RunState state);

/// What the GUI shows of one run of the queue.
struct QueuedRun {
  int id = 0;             ///< the queue's id, unique for the queue's lifetime (> 0)
  RunRequest request;
  RunState state = RunState::Queued;
  QString stage;          ///< the core's current stage ("BPR epoch", "evaluating")
  qint64 done = 0, total = 0;    ///< progress of the stage; total 0: unknown
  int epoch = 0, epochs = 0;     ///< last epoch reported and planned epochs (0: unknown)
  std::vector<reco::EpochReport> epochReports;  ///< every epoch so far, in order
  std::optional<double> etaSeconds;             ///< of the current stage, when it can be told
  QString error;          ///< why a failed run failed
  bool cancelRequested = false;
  std::optional<reco::storage::RunInfo> stored;  ///< the stored run, once completed
  QElapsedTimer stageClock;  ///< since the current stage began
  qint64 queuedAt = 0;       ///< Unix seconds

  QString name() const;
  bool isActive() const { return state == RunState::Queued || state == RunState::Running; }
  /// Progress of the current stage in [0, 1], or -1 when unknown.
  double fraction() const;
  /// "epoch 7/20", "evaluating 40%", "queued", "done"...: one line for the run list.
  QString statusLine() const;
};

class RunQueue : public QObject {
  Q_OBJECT

 public:
  explicit RunQueue(QObject* parent = nullptr);
  /// Cancels everything; running controllers stop and are waited for (see ~TrainingController).
  ~RunQueue() override;

  /// Adds a run at the end of the queue and starts it when a slot is free; returns its id.
  int enqueue(RunRequest request);
  /// Cancels a queued run (it never starts) or asks a running one to stop. False when the
  /// run is unknown or already finished.
  bool cancel(int id);
  /// Cancels every queued and running run.
  void cancelAll();
  /// Forgets a finished run; false when it is unknown or still active.
  bool remove(int id);

  /// Runs side by side (>= 1). Raising it starts queued runs at once; lowering it lets the
  /// running ones finish.
  void setMaxParallel(int count);
  int maxParallel() const { return maxParallel_; }

  int runningCount() const;
  int queuedCount() const;
  /// The run with this id, or null.
  const QueuedRun* run(int id) const;
  /// Every run's id, in the order they were added.
  std::vector<int> ids() const;
  /// True when some active run is called `name`.
  bool hasActiveRunNamed(const QString& name) const;

 signals:
  void runAdded(int id);
  /// State, stage, progress or ETA of a run changed.
  void runChanged(int id);
  /// A run reported an epoch (also in runChanged).
  void epochArrived(int id, const reco::EpochReport& report);
  /// A run ended (completed, failed or cancelled); the workspace may have a new run.
  void runFinished(int id, reco::ui::RunState state);
  void runRemoved(int id);
  /// setMaxParallel() changed the limit.
  void maxParallelChanged(int count);
  /// Nothing is queued or running any more.
  void drained();

 private:
  void startWaiting();
  void onProgress(int id, const QString& stage, qint64 done, qint64 total);
  void onEpoch(int id, const reco::EpochReport& report);
  void onEnded(int id, RunState state, const QString& error, std::optional<reco::storage::RunInfo> stored);
  QueuedRun* find(int id);

  int nextId_ = 1;
  int maxParallel_ = 1;
  std::vector<std::unique_ptr<QueuedRun>> runs_;
  std::map<int, TrainingController*> controllers_;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::RunState)
