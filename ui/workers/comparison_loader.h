#pragma once
/// The Compare screen's background work: reading what can be compared (datasets, their
/// splits, the runs), computing a comparison (core/training/comparison.h compareRuns) and
/// the trade-off curves of re-ranked runs (core/training/tradeoff.h compareTradeoff). Each
/// request runs in backgroundPool() (QtConcurrent::run; background_pool.h) on its own
/// storage::Workspace opened inside the task, since a SQLite connection belongs to one
/// thread. Results arrive on the GUI thread as immutable snapshots. A newer request of the
/// same kind supersedes the older one: its result is dropped and a running comparison is
/// asked to stop. Failures arrive as a message, never as an exception. Lives on the GUI
/// thread.

#include <QObject>
#include <QString>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/comparison.h"
#include "core/training/tradeoff.h"

namespace reco::ui {

class JobTracker;

/// What the workspace holds to compare: every dataset, every split, every run.
struct CompareCatalog {
  std::vector<reco::DatasetInfo> datasets;
  std::vector<reco::storage::SplitInfo> splits;  ///< of every dataset
  std::vector<reco::storage::RunInfo> runs;      ///< every run, failed ones included

  /// The runs of one split, in the workspace's order.
  std::vector<reco::storage::RunInfo> runsOfSplit(reco::storage::SplitId split) const;
  /// The splits of one dataset.
  std::vector<reco::storage::SplitInfo> splitsOf(reco::DatasetId dataset) const;
};
using CompareCatalogPtr = std::shared_ptr<const CompareCatalog>;
using ComparisonPtr = std::shared_ptr<const reco::Comparison>;
using TradeoffPtr = std::shared_ptr<const reco::Tradeoff>;

/// One comparison to compute: the runs by id, in display order, and the options.
struct ComparisonRequest {
  std::vector<reco::storage::RunId> runs;
  reco::ComparisonOptions options;
};

/// The trade-off curves to compute: the compared runs by id (a derived run's plain base run
/// joins when it is in the workspace, even unchecked) and the options.
struct TradeoffRequest {
  std::vector<reco::storage::RunId> runs;
  reco::TradeoffOptions options;
};

class ComparisonLoader : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) is told about every running request.
  explicit ComparisonLoader(JobTracker* jobs, QObject* parent = nullptr);
  ~ComparisonLoader() override;

  /// Starts reading the catalog of the workspace at `path`.
  void loadCatalog(const QString& path);
  /// Starts computing a comparison on the workspace at `path`.
  void compare(const QString& path, const ComparisonRequest& request);
  /// Starts computing the trade-off curves on the workspace at `path`.
  void tradeoff(const QString& path, const TradeoffRequest& request);
  /// Drops every pending result and asks a running comparison to stop.
  void cancelAll();
  bool isBusy() const {
    return wantedCatalog_ != 0 || wantedComparison_ != 0 || wantedTradeoff_ != 0;
  }

  /// The work of the two requests, run on the calling thread; these throw reco::Error.
  static CompareCatalogPtr readCatalog(const std::string& path);
  /// Null when `stop` fired. Throws Config when a requested run is no longer there.
  static ComparisonPtr computeComparison(const std::string& path, const ComparisonRequest& request,
                                         std::stop_token stop = {});
  /// Null when `stop` fired. Throws Config when a requested run is no longer there.
  static TradeoffPtr computeTradeoff(const std::string& path, const TradeoffRequest& request,
                                     std::stop_token stop = {});

 signals:
  void catalogLoaded(const QString& path, reco::ui::CompareCatalogPtr catalog);
  void catalogFailed(const QString& path, const QString& message);
  void comparisonReady(reco::ui::ComparisonPtr comparison);
  void comparisonFailed(const QString& message);
  void tradeoffReady(reco::ui::TradeoffPtr tradeoff);
  void tradeoffFailed(const QString& message);
  void busyChanged(bool busy);

 private:
  template <class Result, class Work, class Deliver>
  void start(const QString& label, int& wanted, Work work, Deliver deliver);

  JobTracker* jobs_;
  int generation_ = 0;
  int wantedCatalog_ = 0;  // generation of the request still wanted, 0 if none
  int wantedComparison_ = 0;
  int wantedTradeoff_ = 0;
  std::shared_ptr<std::stop_source> comparisonStop_;  // of the running comparison
  std::shared_ptr<std::stop_source> tradeoffStop_;    // of the running trade-off
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::CompareCatalogPtr)
Q_DECLARE_METATYPE(reco::ui::ComparisonPtr)
Q_DECLARE_METATYPE(reco::ui::TradeoffPtr)
