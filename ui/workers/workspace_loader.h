#pragma once
/// Reads a workspace in the background: the list of datasets, one dataset's statistics
/// and import report, and its distributions for the plots. Each request runs in
/// backgroundPool() (QtConcurrent::run; background_pool.h) on its own storage::Workspace, opened
/// OpenExisting inside the task, because a SQLite connection belongs to one thread. Results arrive
/// on the GUI thread as immutable snapshots; a newer request of the same kind supersedes an older
/// one, whose result is then dropped. Failures (reco::Error or anything else) arrive as
/// a message, never as an exception. Lives on the GUI thread.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/data/dataset_info.h"
#include "ui/models/dataset_details.h"
#include "ui/models/dataset_table_model.h"

namespace reco::ui {

class JobTracker;

class WorkspaceLoader : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) is told about every running request.
  explicit WorkspaceLoader(JobTracker* jobs, QObject* parent = nullptr);
  ~WorkspaceLoader() override;

  /// Starts reading the datasets of the workspace at `path`.
  void loadDatasets(const QString& path);
  /// Starts reading the statistics and import report of one dataset.
  void loadDetails(const QString& path, reco::DatasetId id, const QString& name);
  /// Starts computing the distributions of one dataset (a scan of its interactions); an
  /// older distributions request still running is asked to stop.
  void loadDistributions(const QString& path, reco::DatasetId id, const QString& name);
  /// Drops every pending result (they still finish in the pool, unseen; a distributions
  /// scan is asked to stop).
  void cancelAll();
  /// True while a request whose result is still wanted is running.
  bool isBusy() const {
    return wantedDatasets_ != 0 || wantedDetails_ != 0 || wantedDistributions_ != 0;
  }

  /// The work of the two requests, run on the calling thread; these throw reco::Error.
  static DatasetList readDatasets(const std::string& path);
  static DatasetDetailsPtr readDetails(const std::string& path, reco::DatasetId id);
  /// Empty distributions when `stop` fired.
  static DistributionsPtr readDistributions(const std::string& path, reco::DatasetId id,
                                            std::stop_token stop);
  /// Deletes a dataset with its splits and runs, or one split with its runs, from the
  /// workspace at `path`, each in one transaction, on the calling thread (a worker's: the
  /// delete of a large dataset takes seconds); throw reco::Error. Each deletes the object as
  /// it was shown (its id, name and creation time, core/storage/delete_shown.h), and nothing
  /// when another process deleted or replaced it since.
  static void deleteDataset(const std::string& path, const reco::DatasetInfo& shown);
  static void deleteSplit(const std::string& path, const SplitSummary& shown);
  /// A one-paragraph message for an exception caught in a background task.
  static QString describeError(const std::exception_ptr& error);

 signals:
  void datasetsLoaded(const QString& path, reco::ui::DatasetList datasets);
  void datasetsFailed(const QString& path, const QString& message);
  void detailsLoaded(reco::DatasetId id, reco::ui::DatasetDetailsPtr details);
  void detailsFailed(reco::DatasetId id, const QString& message);
  void distributionsLoaded(reco::DatasetId id, reco::ui::DistributionsPtr distributions);
  void distributionsFailed(reco::DatasetId id, const QString& message);
  void busyChanged(bool busy);

 private:
  template <class Result, class Work, class Deliver>
  void start(const QString& label, int& wanted, Work work, Deliver deliver);

  JobTracker* jobs_;
  int generation_ = 0;      // identifies each request
  int wantedDatasets_ = 0;  // generation of the datasets request still wanted, 0 if none
  int wantedDetails_ = 0;
  int wantedDistributions_ = 0;
  std::stop_source distributionsStop_;  // of the running distributions scan
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::DatasetList)
Q_DECLARE_METATYPE(reco::ui::DatasetDetailsPtr)
Q_DECLARE_METATYPE(reco::ui::DistributionsPtr)
