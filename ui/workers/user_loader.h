#pragma once
/// Reads what the Users screen shows, in the background: the workspace's datasets, splits
/// and runs; a dataset's per-user summary; one user's profile; and each chosen run's list
/// for a user. Every request runs on backgroundPool() (QtConcurrent::run; background_pool.h) with
/// its own storage::Workspace opened inside the task (a SQLite connection belongs to one
/// thread). Results arrive on the GUI thread as immutable snapshots; a newer request of the
/// same kind supersedes the older one, whose result is dropped. Failures arrive as messages,
/// never as exceptions. Lives on the GUI thread.
///
/// Lists: a run's stored top-N list (run_store) arrives first when the run stored one for
/// the user; then the final list, made by the run's model with the function `reco recommend`
/// calls (reco::runListForUser, core/training/run_lists.h).
/// Loaded models are cached per run (a few at a time) and shared by the tasks.

#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "ui/models/recommendation_list_model.h"
#include "ui/models/user_history_model.h"
#include "ui/models/user_list_model.h"

namespace reco::ui {

class JobTracker;
class RunModelCache;

/// The workspace's datasets, their splits and the runs that finished.
struct UsersChoices {
  std::vector<reco::DatasetInfo> datasets;
  std::vector<reco::storage::SplitInfo> splits;  ///< of every dataset
  std::vector<reco::storage::RunInfo> runs;      ///< status "done" only, by id
};
using UsersChoicesPtr = std::shared_ptr<const UsersChoices>;

class UserLoader : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) is told about every running request.
  /// `models` (null: a cache of its own) holds the loaded run models; the window shares one
  /// between the Users and Items panels, so that a large model is held once.
  explicit UserLoader(JobTracker* jobs, std::shared_ptr<RunModelCache> models = nullptr,
                      QObject* parent = nullptr);
  ~UserLoader() override;

  void loadChoices(const QString& path);
  /// Summarises every user of a dataset (a scan of its interactions; stoppable).
  void loadSummaries(const QString& path, reco::DatasetId dataset, const QString& datasetName);
  /// The history and profile of a user, with the parts of `split` (may be null) marked.
  void loadProfile(const QString& path, reco::DatasetId dataset, std::int32_t user,
                   std::optional<reco::storage::SplitInfo> split);
  /// The top-n lists of `runs` (all of `split`) for a user; listLoaded() reports each by
  /// its position in `runs`, first the stored list where there is one, then the final one.
  void loadLists(const QString& path, std::int32_t user,
                 const std::vector<reco::storage::RunInfo>& runs,
                 const reco::storage::SplitInfo& split, int n);
  /// Drops every pending result (tasks finish unseen; a summary scan is stopped).
  void cancelAll();
  void cancelLists();
  /// Forgets the cached models (a later list loads them again).
  void clearModelCache();
  /// The loaded run models the tasks share.
  const std::shared_ptr<RunModelCache>& modelCache() const { return cache_; }
  bool isBusy() const { return !wanted_.empty(); }
  /// Which kinds of request are still wanted (neither delivered nor cancelled).
  struct Pending {
    bool choices = false, summaries = false, profile = false, lists = false;
  };
  Pending pending() const;

  /// The work of the requests, on the calling thread. These throw reco::Error.
  static UsersChoicesPtr readChoices(const std::string& path);
  static UserSummariesPtr readSummaries(const std::string& path, reco::DatasetId dataset,
                                        std::stop_token stop);
  /// The ids and counts only (storage::readUserCounts), shown while readSummaries runs.
  static UserSummariesPtr readUserCounts(const std::string& path, reco::DatasetId dataset);
  static UserProfilePtr readProfile(const std::string& path, reco::DatasetId dataset,
                                    std::int32_t user,
                                    const std::optional<reco::storage::SplitInfo>& split);
  /// The run's stored list cut to n items, or null when it stored none (or fewer than n).
  static RecommendationListPtr readStoredList(const std::string& path,
                                              const reco::storage::RunInfo& run,
                                              const reco::storage::SplitInfo& split,
                                              std::int32_t user, int n);
  /// The final list (see above); `cache` may be null (the model is then loaded and dropped).
  static RecommendationListPtr makeList(const std::string& path, const reco::storage::RunInfo& run,
                                        const reco::storage::SplitInfo& split, std::int32_t user,
                                        int n, RunModelCache* cache);

 signals:
  void choicesLoaded(const QString& path, reco::ui::UsersChoicesPtr choices);
  void choicesFailed(const QString& path, const QString& message);
  /// Twice per loadSummaries: the partial summaries (ids and counts, `partial` set) and
  /// the whole, the partial usually first (a failure is reported for the whole only).
  void summariesLoaded(reco::DatasetId dataset, reco::ui::UserSummariesPtr summaries);
  void summariesFailed(reco::DatasetId dataset, const QString& message);
  void profileLoaded(std::int32_t user, reco::ui::UserProfilePtr profile);
  void profileFailed(std::int32_t user, const QString& message);
  /// `slot` is the run's position in the loadLists() request; a failed list carries its error.
  void listLoaded(int slot, reco::ui::RecommendationListPtr list);
  void busyChanged(bool busy);

 private:
  enum class Kind { Choices, Summaries, Profile, Lists };
  template <class Result, class Work, class Deliver>
  void start(Kind kind, const QString& label, Work work, Deliver deliver);
  void cancel(Kind kind);

  JobTracker* jobs_;
  std::shared_ptr<RunModelCache> cache_;
  int nextTask_ = 1;
  std::map<int, Kind> wanted_;      // tasks whose results are still wanted
  std::stop_source summariesStop_;  // stops the running summary scan
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::UsersChoicesPtr)
Q_DECLARE_METATYPE(reco::ui::UserSummariesPtr)
Q_DECLARE_METATYPE(reco::ui::UserProfilePtr)
Q_DECLARE_METATYPE(reco::ui::RecommendationListPtr)
