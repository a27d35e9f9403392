#pragma once
/// The import of one file into a workspace, in the background. This is the whole of the
/// import wizard's final step: the wizard only gathers ImportOptions, then calls
/// ImportJob::start(). Anything else (a test, a script) takes the same code path without
/// the wizard:
///
///     reco::ui::ImportJob job(jobs);                     // jobs: a JobTracker, or null
///     QSignalSpy finished(&job, &reco::ui::ImportJob::finished);
///     job.start(workspacePath, "/data/movielens-100k/u.data", options);
///     finished.wait(60000);
///     job.result()->status == ImportJobResult::Completed; job.result()->dataset.users ...
///
/// The work is the core's storage::importFile() on a worker thread of a pool of its own
/// (so a long import never holds up the statistics readers of the global pool), on a
/// storage::Workspace opened there (OpenExisting: the wizard never creates a workspace).
/// Progress travels through the core's JobObserver into a shared value that the GUI
/// thread polls a few times a second; cancel() flips the std::stop_token. The core makes
/// the whole import one transaction, so a cancelled or failed import leaves the
/// workspace exactly as it was. Failures arrive as a message (with FILE:LINE[:COLUMN] when
/// the core gives one), never as an exception. Lives on the GUI thread.

#include <QObject>
#include <QPointer>
#include <QString>
#include <memory>
#include <stop_token>
#include <string>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/io/import_options.h"

class QThreadPool;
class QTimer;
template <class T>
class QFutureWatcher;

namespace reco::ui {

class JobTracker;

/// How an import ended. An immutable snapshot once delivered.
struct ImportJobResult {
  enum class Status { Completed, Cancelled, Failed };
  Status status = Status::Failed;
  reco::DatasetInfo dataset;  ///< the new dataset (Completed)
  reco::ImportReport report;  ///< rows read, kept and rejected (Completed)
  QString error;              ///< what went wrong (Failed)
};
using ImportJobResultPtr = std::shared_ptr<const ImportJobResult>;

class ImportJob : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) shows the running import in the status bar.
  explicit ImportJob(JobTracker* jobs, QObject* parent = nullptr);
  /// Asks a running import to stop; it rolls back on its own thread (nothing waits).
  ~ImportJob() override;

  /// Starts importing `source` (a file, or a MovieLens folder) into the existing workspace
  /// at `workspace` with `options` (options.name empty: named after the file; a name in
  /// use gets "-2"). False (and nothing started) while another import of this job runs.
  bool start(const QString& workspace, const QString& source,
             const reco::io::ImportOptions& options);
  /// Asks the running import to stop; finished() follows with Status::Cancelled.
  void cancel();
  bool isRunning() const { return running_; }
  /// The result of the last import that finished; null before that.
  const ImportJobResultPtr& result() const { return result_; }

  /// The work itself, on the calling thread: opens the workspace, imports, and turns every
  /// exception into Status::Failed. Never throws.
  static ImportJobResult run(const std::string& workspace, const std::string& source,
                             const reco::io::ImportOptions& options, reco::JobObserver* observer,
                             std::stop_token stop);
  /// The pool every import runs in (2 threads, owned by the application; created on the
  /// first call, which needs a QCoreApplication). The window starts its threads before
  /// loading the LibTorch module (thread_pool_warm_up.h). GUI thread only.
  static QThreadPool& threadPool();

 signals:
  /// The stage ("reading u.data", "k-core filtering, pass 2", "committing") and the
  /// fraction done in [0, 1], or -1 when the stage has no measure.
  void progressChanged(const QString& stage, double fraction);
  void finished(reco::ui::ImportJobResultPtr result);

 private:
  struct Shared;
  void poll();
  void onFinished();

  QPointer<JobTracker> jobs_;
  int jobId_ = 0;
  bool running_ = false;
  std::shared_ptr<Shared> shared_;  // progress and the stop source, shared with the task
  QFutureWatcher<ImportJobResult>* watcher_ = nullptr;
  QTimer* poller_;
  QString lastStage_;
  double lastFraction_ = -2;
  ImportJobResultPtr result_;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::ImportJobResultPtr)
