#pragma once
/// One training run in the background (.github/ARCHITECTURE.md, Threads): a TrainingController
/// lives on the GUI thread and owns a QThread with a TrainingWorker moved to it. The worker opens
/// its own storage::Workspace on that thread (a SQLite connection belongs to one thread) and calls
/// reco::runExperiment; its TrainObserver turns progress and epochs into signals that reach the
/// controller through queued connections, so every signal of the controller is emitted on the GUI
/// thread. cancel() flips a std::stop_source directly (the worker's event loop is busy training);
/// runExperiment polls the token per epoch and between evaluation blocks. The destructor requests a
/// stop, quits the thread and waits for it.

#include <QMetaType>
#include <QObject>
#include <QString>
#include <stop_token>

#include "core/models/train_observer.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"

class QThread;

namespace reco::ui {

/// Everything one run needs: the workspace file, the split and the experiment options
/// (options.runName should be set: it is how the stored run is found again).
struct RunRequest {
  QString workspacePath;
  reco::storage::SplitInfo split;
  QString splitLabel;  ///< for display: "demo / demo-holdout"
  reco::ExperimentOptions options;
};

/// Runs one request on the thread it lives on. Internal to TrainingController, declared
/// here for moc.
class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  TrainingWorker(RunRequest request, std::stop_token stop);

  /// Trains, evaluates and stores the run; emits exactly one of completed, stopped or failed,
  /// then done. Never throws.
  void run();

 signals:
  void progressed(const QString& stage, qint64 done, qint64 total);
  void epochFinished(const reco::EpochReport& report);
  void completed(const reco::storage::RunInfo& run);
  void stopped();
  void failed(const QString& message);
  void done();

 private:
  RunRequest request_;
  std::stop_token stop_;
};

class TrainingController : public QObject {
  Q_OBJECT

 public:
  enum class State { Idle, Running, Completed, Cancelled, Failed };

  explicit TrainingController(RunRequest request, QObject* parent = nullptr);
  /// Requests a stop, quits the thread and waits for it (the one place that may wait: a
  /// run's epoch ends soon after a stop, and the window is closing).
  ~TrainingController() override;

  /// Starts the thread; once only.
  void start();
  /// Asks the run to stop; it ends with cancelled() unless it was already finishing.
  void cancel();

  State state() const { return state_; }
  const RunRequest& request() const { return request_; }
  bool isCancelRequested() const { return stop_.stop_requested(); }

 signals:
  /// Progress of the current stage ("BPR epoch", "evaluating"); total 0: unknown.
  void progressed(const QString& stage, qint64 done, qint64 total);
  /// An epoch ended (in order, 1-based).
  void epochFinished(const reco::EpochReport& report);
  /// The run was trained, evaluated and stored.
  void completed(const reco::storage::RunInfo& run);
  /// The run stopped after cancel(); nothing of it is stored.
  void cancelled();
  /// The run failed with `message` (an Error thrown by the core). Failures after the model
  /// was built are stored as failed runs by runExperiment.
  void failed(const QString& message);
  /// The thread has ended; emitted after exactly one of completed, cancelled or failed.
  void finished();

 private:
  RunRequest request_;
  std::stop_source stop_;
  QThread* thread_ = nullptr;
  State state_ = State::Idle;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::EpochReport)
Q_DECLARE_METATYPE(reco::storage::RunInfo)
