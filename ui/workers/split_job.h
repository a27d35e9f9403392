#pragma once
/// Draws a split in the background: reco::storage::createSplit on its own Workspace in
/// backgroundPool() (QtConcurrent::run; background_pool.h), with progress and Cancel. The task
/// shares only a small thread-safe state with this object (the latest progress, the stop
/// source), so the object may be deleted while the task is still finishing; progress is
/// polled by a timer on the GUI thread. Lives on the GUI thread; one split at a time.

#include <QObject>
#include <QString>
#include <memory>

#include "core/data/dataset_info.h"
#include "core/data/split.h"
#include "core/storage/split_store.h"

class QTimer;

namespace reco::ui {

class JobTracker;

class SplitJob : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about the running split.
  explicit SplitJob(JobTracker* jobs, QObject* parent = nullptr);
  ~SplitJob() override;

  /// Starts drawing split `name` of `dataset` in the workspace at `path`; false (and
  /// nothing started) while another split is running.
  bool start(const QString& path, const reco::DatasetInfo& dataset, const QString& name,
             const reco::SplitOptions& options);
  /// Asks the running split to stop; it ends with cancelled() and stores nothing.
  void cancel();
  bool isRunning() const { return state_ != nullptr; }

  /// The work itself, on the calling thread (throws reco::Error).
  static reco::storage::CreateSplitResult createOn(
      const std::string& path, const reco::DatasetInfo& dataset, const std::string& name,
      const reco::SplitOptions& options, reco::JobObserver* observer, std::stop_token stop);

 signals:
  /// The stage and its fraction in [0, 1] (-1: unknown).
  void progressed(const QString& stage, double fraction);
  void completed(const reco::storage::SplitInfo& split);
  void cancelled();
  void failed(const QString& message);

 public:
  struct State;  ///< shared with the task (split_job.cpp)

 private:
  void poll();
  void finish();

  JobTracker* jobs_;
  int job_ = 0;
  std::shared_ptr<State> state_;
  QTimer* pollTimer_;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::storage::SplitInfo)
