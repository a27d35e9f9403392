#pragma once
/// Reads what the Items screen shows, in the background: the workspace's datasets, splits and
/// runs; a dataset's per-item summary (the item list); one item's profile; each chosen run's
/// nearest items for the item (reco::similarItemsOf, as `reco similar`); and each chosen run's
/// audience of the item (storage::runItemAudience, as `reco shown`). Every request runs on
/// backgroundPool() (background_pool.h) with its own storage::Workspace opened inside the task (a
/// SQLite connection belongs to one thread). Results arrive on the GUI thread as immutable
/// snapshots; a newer request of the same kind supersedes the older one, whose result is
/// dropped (a superseded summary scan or audience pass is also stopped). Failures arrive as
/// messages, never as exceptions. Loaded models are cached per run (RunModelCache) and shared
/// by the tasks, the heatmap's and the map's included (modelCache()). Lives on the GUI thread.

#include <QObject>
#include <QString>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/item_map.h"
#include "core/training/similarity_matrix.h"
#include "ui/models/co_occurrence_model.h"
#include "ui/models/item_audience_model.h"
#include "ui/models/item_list_model.h"
#include "ui/models/nearest_items_model.h"
#include "ui/workers/user_loader.h"

namespace reco::ui {

class JobTracker;
class RunModelCache;

class ItemLoader : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) is told about every running request.
  /// `models` (null: a cache of its own) holds the loaded run models, shared with the Users
  /// panel's loader in the window.
  explicit ItemLoader(JobTracker* jobs, std::shared_ptr<RunModelCache> models = nullptr,
                      QObject* parent = nullptr);
  ~ItemLoader() override;

  /// The datasets, splits and finished runs (UserLoader::readChoices).
  void loadChoices(const QString& path);
  /// Summarises every item of a dataset (a scan of its interactions; stoppable).
  void loadSummaries(const QString& path, reco::DatasetId dataset, const QString& datasetName);
  /// The profile of dataset item `item`, with the items chosen together with it in the
  /// training part of `split` (none without a split).
  void loadProfile(const QString& path, reco::DatasetId dataset, std::int32_t item,
                   std::optional<reco::storage::SplitInfo> split);
  /// The nearest `n` items of dataset item `item` by each of `runs`; nearestLoaded() reports
  /// each by its position in `runs`, a run without a list with its error.
  void loadNearest(const QString& path, std::int32_t item,
                   const std::vector<reco::storage::RunInfo>& runs, int n);
  /// Who is shown `item` by each of `runs`; audienceLoaded() reports each by its position.
  void loadAudience(const QString& path, std::int32_t item,
                    const std::vector<reco::storage::RunInfo>& runs);
  /// Drops every pending result (tasks finish unseen; scans and passes are stopped).
  void cancelAll();
  /// Drops the pending results about the selected item (profile, nearest, audience).
  void cancelItem();
  void cancelProfile();
  void cancelNearest();
  void cancelAudience();
  /// Forgets the cached models (a later request loads them again).
  void clearModelCache();
  /// The model cache the tasks share; the heatmap and the map use it too.
  const std::shared_ptr<RunModelCache>& modelCache() const { return cache_; }

  bool isBusy() const { return !wanted_.empty(); }
  /// Which kinds of request are still wanted (neither delivered nor cancelled).
  struct Pending {
    bool choices = false, summaries = false, profile = false, nearest = false, audience = false;
  };
  Pending pending() const;

  /// How many items chosen together with the profiled one its profile lists.
  static constexpr std::size_t kTogetherItems = 20;

  /// The work of the requests, on the calling thread. Null when stopped.
  static ItemSummariesPtr readSummaries(const std::string& path, reco::DatasetId dataset,
                                        std::stop_token stop);
  static ItemProfilePtr readProfile(const std::string& path, reco::DatasetId dataset,
                                    std::int32_t item,
                                    const std::optional<reco::storage::SplitInfo>& split,
                                    std::stop_token stop);
  /// `cache` may be null (the model is
  /// then loaded and dropped). They throw reco::Error, except that a run whose model has no
  /// list to give comes back with its `error` set.
  static NearestItemsPtr readNearest(const std::string& path, const reco::storage::RunInfo& run,
                                     std::int32_t item, int n, RunModelCache* cache);
  /// Null when `stop` was requested before the pass ended.
  static ItemAudiencePtr readAudience(const std::string& path, const reco::storage::RunInfo& run,
                                      std::int32_t item, std::stop_token stop);
  /// The heatmap's matrix (reco::computeSimilarityMatrix, as `reco similarity`) and the
  /// map's layout (reco::computeItemMap, as `reco embed`) of a done run of `split`; null
  /// when `stop` was requested. For ProgressTask: `observer` hears the progress.
  static std::shared_ptr<const reco::SimilarityMatrix> readMatrix(
      const std::string& path, const reco::storage::RunInfo& run,
      const reco::storage::SplitInfo& split, const reco::SimilarityMatrixOptions& options,
      RunModelCache* cache, reco::JobObserver* observer, std::stop_token stop);
  static std::shared_ptr<const reco::ItemMap> readMap(
      const std::string& path, const reco::storage::RunInfo& run,
      const reco::storage::SplitInfo& split, const reco::ItemMapOptions& options,
      RunModelCache* cache, reco::JobObserver* observer, std::stop_token stop);
  /// A failure as a person reads it: a Config error (a model without similar items, an item
  /// the run's data lacks) as its message alone, anything else as WorkspaceLoader says it.
  static QString describe(const std::exception_ptr& error);

 signals:
  void choicesLoaded(const QString& path, reco::ui::UsersChoicesPtr choices);
  void choicesFailed(const QString& path, const QString& message);
  void summariesLoaded(reco::DatasetId dataset, reco::ui::ItemSummariesPtr summaries);
  void summariesFailed(reco::DatasetId dataset, const QString& message);
  void profileLoaded(std::int32_t item, reco::ui::ItemProfilePtr profile);
  void profileFailed(std::int32_t item, const QString& message);
  /// `slot` is the run's position in the loadNearest() request.
  void nearestLoaded(int slot, reco::ui::NearestItemsPtr list);
  /// `slot` is the run's position in the loadAudience() request.
  void audienceLoaded(int slot, reco::ui::ItemAudiencePtr audience);
  void busyChanged(bool busy);

 private:
  enum class Kind { Choices, Summaries, Profile, Nearest, Audience };
  template <class Result, class Work, class Deliver>
  void start(Kind kind, const QString& label, Work work, Deliver deliver);
  void cancel(Kind kind);

  JobTracker* jobs_;
  std::shared_ptr<RunModelCache> cache_;
  int nextTask_ = 1;
  std::map<int, Kind> wanted_;      // tasks whose results are still wanted
  std::stop_source summariesStop_;  // stops the running summary scan
  std::stop_source profileStop_;    // stops the running profile read
  std::stop_source audienceStop_;   // stops the running audience passes
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::ItemSummariesPtr)
Q_DECLARE_METATYPE(reco::ui::ItemProfilePtr)
