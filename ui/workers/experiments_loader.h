#pragma once
/// The Experiments panel's reading and deleting, in the background: the workspace's
/// datasets, splits and stored runs (with each run's key metric), one run's stored epochs,
/// and deleting a run. Each request runs in backgroundPool() (background_pool.h) on its own
/// storage::Workspace (a SQLite connection belongs to one thread); results arrive on the GUI
/// thread as immutable snapshots, failures as messages. A newer request of the same kind
/// supersedes an older one, whose result is dropped. Lives on the GUI thread.

#include <QObject>
#include <QString>
#include <memory>
#include <string>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "ui/models/run_table_model.h"

namespace reco::ui {

class JobTracker;

/// What the Experiments panel shows of a workspace.
struct ExperimentsSnapshot {
  std::vector<reco::DatasetInfo> datasets;
  std::vector<reco::storage::SplitInfo> splits;  ///< of every dataset, by dataset then id
  StoredRunList runs;                            ///< never null
};
using ExperimentsSnapshotPtr = std::shared_ptr<const ExperimentsSnapshot>;
using EpochList = std::shared_ptr<const std::vector<reco::EpochReport>>;

class ExperimentsLoader : public QObject {
  Q_OBJECT

 public:
  explicit ExperimentsLoader(JobTracker* jobs, QObject* parent = nullptr);

  void load(const QString& path);
  void loadEpochs(const QString& path, reco::storage::RunId run);
  /// Deletes the stored run as `shown` (its id, name and start time), and nothing when
  /// another process deleted or replaced it since (deleteFailed then says so).
  void deleteRun(const QString& path, const reco::storage::RunInfo& shown);
  /// Drops every pending result.
  void cancelAll();
  bool isLoading() const { return wantedSnapshot_ != 0; }

  /// The work of load(), on the calling thread (throws reco::Error). The key metric is
  /// `keyMetric` ("ndcg@10") of each run.
  static ExperimentsSnapshotPtr readSnapshot(const std::string& path, const std::string& keyMetric);

 signals:
  void loaded(const QString& path, reco::ui::ExperimentsSnapshotPtr snapshot);
  void loadFailed(const QString& path, const QString& message);
  void epochsLoaded(reco::storage::RunId run, reco::ui::EpochList epochs);
  void epochsFailed(reco::storage::RunId run, const QString& message);
  void runDeleted(reco::storage::RunId run);
  void deleteFailed(reco::storage::RunId run, const QString& message);

 private:
  template <class Result, class Work, class Deliver>
  void start(const QString& label, int* wanted, Work work, Deliver deliver);

  JobTracker* jobs_;
  int generation_ = 0;
  int wantedSnapshot_ = 0;
  int wantedEpochs_ = 0;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::ExperimentsSnapshotPtr)
Q_DECLARE_METATYPE(reco::ui::EpochList)
