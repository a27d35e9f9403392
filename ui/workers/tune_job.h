#pragma once
/// The Experiments panel's "Tune…" in the background: one equal-budget tuning study
/// (core/training/tuning_study.h runTuningStudy) on a QThread of its own, as TrainingController
/// runs one training (.github/ARCHITECTURE.md, Threads). A TuneJob lives on the GUI thread;
/// its TuneWorker, moved to the thread, opens its own storage::Workspace there and runs the
/// study with a StudyObserver whose callbacks become the worker's signals, queued to the
/// job, so every signal of TuneJob is emitted on the GUI thread. cancel() flips the stop
/// token; the study then stores nothing (no study, its final runs deleted). The destructor
/// requests a stop, quits the thread and waits for it (a trial's fit checks the token).

#include <QMetaType>
#include <QObject>
#include <QString>
#include <memory>
#include <stop_token>

#include "core/storage/split_store.h"
#include "core/storage/study_store.h"
#include "core/training/tuning_study.h"

class QThread;

namespace reco::ui {

/// What "Tune…" asks for: the workspace file, the split (with a validation part) and the
/// study's options.
struct TuneRequest {
  QString workspacePath;
  reco::storage::SplitInfo split;
  QString splitLabel;  ///< for display: "shop / holdout"
  reco::StudyOptions options;
};

using StudyResultPtr = std::shared_ptr<const reco::StudyResult>;

/// Runs one request on the thread it lives on. Internal to TuneJob, declared here for moc.
class TuneWorker : public QObject {
  Q_OBJECT

 public:
  TuneWorker(TuneRequest request, std::stop_token stop);

  /// Runs and stores the study; emits exactly one of completed, stopped or failed, then
  /// done. Never throws.
  void run();

 signals:
  void trialStarted(int model, int index, const reco::OptionValues& options);
  void trialFinished(const reco::storage::StudyTrial& trial, int order);
  void finalRunStarted(int model, const reco::OptionValues& options);
  void progressed(const QString& stage, qint64 done, qint64 total);
  void completed(reco::ui::StudyResultPtr result);
  void stopped();
  void failed(const QString& message);
  void done();

 private:
  TuneRequest request_;
  std::stop_token stop_;
};

class TuneJob : public QObject {
  Q_OBJECT

 public:
  enum class State { Idle, Running, Completed, Cancelled, Failed };

  explicit TuneJob(TuneRequest request, QObject* parent = nullptr);
  /// Requests a stop, quits the thread and waits for it (the window is closing, or a newer
  /// study replaced this one and the view that showed it is going).
  ~TuneJob() override;

  /// Starts the thread; once only.
  void start();
  /// Asks the study to stop; it ends with cancelled() unless it was already storing.
  void cancel();

  State state() const { return state_; }
  bool isRunning() const { return state_ == State::Running; }
  bool isCancelRequested() const { return stop_.stop_requested(); }
  const TuneRequest& request() const { return request_; }

 signals:
  /// A trial of model `model` (an index into the request's models), 0-based `index`, began.
  void trialStarted(int model, int index, const reco::OptionValues& options);
  /// A trial ended (failed ones too); `order` is its place among all the study's trials.
  void trialFinished(const reco::storage::StudyTrial& trial, int order);
  /// A model's final run (refit of its best options, one evaluation on test) began.
  void finalRunStarted(int model, const reco::OptionValues& options);
  /// Progress of a final run's stage; total 0: unknown.
  void progressed(const QString& stage, qint64 done, qint64 total);
  /// The study and its final runs are stored.
  void completed(reco::ui::StudyResultPtr result);
  /// The study stopped after cancel(); nothing of it is stored.
  void cancelled();
  /// The study failed with `message`; a failed final run may be stored as failed.
  void failed(const QString& message);
  /// The thread has ended; after exactly one of completed, cancelled or failed.
  void finished();

 private:
  TuneRequest request_;
  std::stop_source stop_;
  QThread* thread_ = nullptr;
  State state_ = State::Idle;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::OptionValues)
Q_DECLARE_METATYPE(reco::storage::StudyTrial)
Q_DECLARE_METATYPE(reco::ui::StudyResultPtr)
