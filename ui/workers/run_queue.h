#pragma once
/// The Experiments panel's queue of runs. Queued runs start in the order they were added,
/// at most maxParallel() at a time (1: one after another); each running run is a
/// TrainingController. The queue keeps what the GUI shows of every run it was given: state,
/// stage, progress, epochs so far (for the live curve), ETA and error, until remove().
/// GUI thread only; nothing here waits on work.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "ui/workers/training_controller.h"

namespace reco::ui {

enum class RunState { Queued, Running, Completed, Failed, Cancelled };

/// "queued", "running", "done", "failed", "cancelled".
QString runStateName(RunState state);

/// How far the training of a run is, in epochs, read from the core's progress of a stage:
/// "NeuMF epoch 3/20" with done/total batches (the deep models) gives 2 + done/total of
/// 20; "BPR epoch" with done/total epochs (the classic iterative models) gives done of
/// total. Nullopt for any other stage (one-pass models, loading, evaluating).
struct EpochProgress {
  double done = 0;  ///< epochs trained, fractional within the current one
  int planned = 0;  ///< epochs planned (> 0)
  int current = 0;  ///< the epoch being trained, 1-based
};
std::optional<EpochProgress> epochProgress(const QString& stage, qint64 done, qint64 total);

/// The time left for the training of a whole run: the epochs left times the mean wall time
/// per epoch so far (`trainingSeconds` since the first epoch began, so validation between
/// epochs is included). Nullopt until some of an epoch is done.
std::optional<double> trainingEtaSeconds(double trainingSeconds, double epochsDone, int epochs);

/// What the GUI shows of one run of the queue.
struct QueuedRun {
  int id = 0;  ///< the queue's id, unique for the queue's lifetime (> 0)
  RunRequest request;
  RunState state = RunState::Queued;
  QString stage;               ///< the core's current stage ("BPR epoch", "evaluating")
  qint64 done = 0, total = 0;  ///< progress of the stage; total 0: unknown
  int epoch = 0, epochs = 0;   ///< last epoch reported and planned epochs (0: unknown)
  std::vector<reco::EpochReport> epochReports;  ///< every epoch so far, in order
  double epochsDone = 0;  ///< epochs trained, fractional (epochProgress); 0 before training
  /// Time left for the whole run, when it can be told: while training, the epochs left
  /// (trainingEtaSeconds); for a one-pass model or the evaluation, the current stage's rest.
  std::optional<double> etaSeconds;
  QString error;  ///< why a failed run failed
  bool cancelRequested = false;
  std::optional<reco::storage::RunInfo> stored;  ///< the stored run, once completed
  QElapsedTimer stageClock;                      ///< since the current stage began
  QElapsedTimer trainingClock;                   ///< since the first epoch began (invalid before)
  qint64 queuedAt = 0;                           ///< Unix seconds

  QString name() const;
  bool isActive() const { return state == RunState::Queued || state == RunState::Running; }
  /// Progress of the current stage in [0, 1], or -1 when unknown.
  double fraction() const;
  /// "epoch 7/20", "evaluating 40%", "training 40%", "queued", "done"...: one short line
  /// for the run list (at most about 16 characters; the stage's full name is `stage`).
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

  /// While held, queued runs wait and none starts; releasing starts them as slots allow.
  /// The window holds the queue while it loads the LibTorch module: a run's start creates
  /// its thread, and creating a thread waits for the dynamic loader meanwhile (about a
  /// second on the GUI thread; see thread_pool_warm_up.h). Not held by default.
  void setHeld(bool held);
  bool isHeld() const { return held_; }

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
  /// State, stage, progress or ETA of a run changed. A running run's progress and epochs
  /// are coalesced to at most one signal per kChangeIntervalMs (a model may report every
  /// few milliseconds, and each signal repaints the run's row and queue entry); a change
  /// of state arrives at once.
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

 public:
  static constexpr int kChangeIntervalMs = 250;

 private:
  void startWaiting();
  /// runChanged(id) within kChangeIntervalMs, once however often it is asked for.
  void changeSoon(int id);
  void emitPendingChanges();
  void onProgress(int id, const QString& stage, qint64 done, qint64 total);
  void onEpoch(int id, const reco::EpochReport& report);
  void onEnded(int id, RunState state, const QString& error,
               std::optional<reco::storage::RunInfo> stored);
  QueuedRun* find(int id);

  int nextId_ = 1;
  int maxParallel_ = 1;
  bool held_ = false;
  std::vector<std::unique_ptr<QueuedRun>> runs_;
  std::map<int, TrainingController*> controllers_;
  std::set<int> pendingChanges_;
  QTimer* changeTimer_ = nullptr;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::RunState)
