#pragma once
/// The background work of the Users panel's what-if (issue 14): the history the editor
/// starts from, the dataset's items for the search box, each chosen run's list for an
/// edited history (reco::whatIfList, the function `reco recommend --history` calls, so the
/// two agree), and the saved scenarios. Every request runs on backgroundPool() (background_pool.h)
/// with its own storage::Workspace opened inside the task. Results arrive on the GUI thread
/// as immutable snapshots, failures as messages.
///
/// Re-scoring: rescore() numbers its requests; a newer one stops the older one's tasks
/// (their stop token) and drops their results unseen, so that typing or clicking fast never
/// queues stale work. Models come from the RunModelCache shared with the Users and Items
/// panels; the popularity fallback is computed once per split (and model size) and kept.
/// Lives on the GUI thread.

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/storage/item_store.h"
#include "core/storage/run_store.h"
#include "core/storage/scenario_store.h"
#include "core/storage/split_store.h"
#include "core/training/what_if.h"

namespace reco::ui {

class JobTracker;
class RunModelCache;
class FallbackCache;

/// What the editor starts from: a user's stored training history (oldest first, as the
/// models saw it), or nothing for a new visitor.
struct WhatIfBase {
  reco::DatasetId dataset = 0;
  std::optional<std::int32_t> user;  ///< nullopt: a new visitor
  std::string userId;                ///< the user's external id; "" for a new visitor
  std::vector<reco::storage::ItemMeta> stored;
  /// The history to edit when it is not the stored one (a scenario), oldest first.
  std::optional<std::vector<reco::storage::ItemMeta>> edited;
};
using WhatIfBasePtr = std::shared_ptr<const WhatIfBase>;

/// One run's list for the edited history, or why it could not be made.
struct WhatIfColumn {
  reco::storage::RunInfo run;
  reco::WhatIfList list;
  std::string error;  ///< non-empty: whatIfList failed (the message)
};
using WhatIfColumnPtr = std::shared_ptr<const WhatIfColumn>;

/// The dataset's items for the search box: one label per item ("Title  [id]") for the
/// completion, and the way back from a label or an id to the item.
struct ItemCatalogue {
  reco::DatasetId dataset = 0;
  reco::storage::ItemSummaries items;
  QStringList labels;              ///< by row of `items`
  QHash<QString, int> rowOfLabel;  ///< label -> row
  QHash<QString, int> rowOfId;     ///< external id -> row
  /// The item at `row` as a list shows it.
  reco::storage::ItemMeta meta(int row) const;
  /// The row of a label or an exact external id, or -1.
  int find(const QString& text) const;
};
using ItemCataloguePtr = std::shared_ptr<const ItemCatalogue>;
using ScenarioListPtr = std::shared_ptr<const std::vector<reco::storage::Scenario>>;

class WhatIfLoader : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) is told about every running request; `models` is the panel's
  /// shared model cache (not null).
  WhatIfLoader(JobTracker* jobs, std::shared_ptr<RunModelCache> models, QObject* parent = nullptr);
  ~WhatIfLoader() override;

  /// The base of `user` (nullopt: a new visitor) in `split`, and the metadata of `edited`
  /// (a scenario's history) when given; supersedes an older request.
  void loadBase(const QString& path, reco::DatasetId dataset, std::optional<std::int32_t> user,
                const reco::storage::SplitInfo& split,
                std::optional<std::vector<std::int32_t>> edited = std::nullopt);
  /// Every item of the dataset with its id and title (for the search box's completion).
  void loadCatalogue(const QString& path, reco::DatasetId dataset);
  /// Each run's list for `request`; columnLoaded() reports each by its position in `runs`.
  /// Returns the request's number (the newest supersedes the others).
  /// `popular`: the popularity fallback's window and category (nullopt: no fallback).
  int rescore(const QString& path, const std::vector<reco::storage::RunInfo>& runs,
              const reco::storage::SplitInfo& split, const reco::WhatIfRequest& request,
              const std::optional<reco::PopularityFallbackOptions>& popular =
                  reco::PopularityFallbackOptions{});
  void loadScenarios(const QString& path, reco::DatasetId dataset);
  void saveScenario(const QString& path, const reco::storage::Scenario& scenario);
  void deleteScenario(const QString& path, reco::DatasetId dataset, std::int64_t id);
  /// Stops the running re-scoring and drops every pending result.
  void cancelAll();
  /// Forgets the cached fallbacks and drops what pending scenario writes would report
  /// (another workspace).
  void clearCaches();

  bool isBusy() const { return !wanted_.empty(); }
  bool isRescoring() const;

  /// The work of the requests, on the calling thread. These throw reco::Error.
  static WhatIfBasePtr readBase(const std::string& path, reco::DatasetId dataset,
                                std::optional<std::int32_t> user,
                                const reco::storage::SplitInfo& split,
                                const std::optional<std::vector<std::int32_t>>& edited);
  static ItemCataloguePtr readCatalogue(const std::string& path, reco::DatasetId dataset);
  /// `cache` and `fallbacks` may be null (loaded or computed and dropped); `popular` as
  /// rescore()'s.
  static WhatIfColumnPtr makeColumn(const std::string& path, const reco::storage::RunInfo& run,
                                    const reco::storage::SplitInfo& split,
                                    const reco::WhatIfRequest& request,
                                    const std::optional<reco::PopularityFallbackOptions>& popular,
                                    RunModelCache* cache, FallbackCache* fallbacks,
                                    std::stop_token stop);

 signals:
  void baseLoaded(reco::ui::WhatIfBasePtr base);
  void baseFailed(const QString& message);
  void catalogueLoaded(reco::DatasetId dataset, reco::ui::ItemCataloguePtr items);
  /// `generation` is rescore()'s number; a failed list carries its error.
  void columnLoaded(int generation, int slot, reco::ui::WhatIfColumnPtr column);
  void scenariosLoaded(reco::DatasetId dataset, reco::ui::ScenarioListPtr scenarios);
  void scenarioSaved(const QString& name);
  void scenarioFailed(const QString& message);
  void busyChanged(bool busy);

 private:
  enum class Kind { Base, Catalogue, Rescore, Scenarios, ScenarioWrite };
  template <class Result, class Work, class Deliver>
  void start(Kind kind, const QString& label, Work work, Deliver deliver);
  void cancel(Kind kind);

  JobTracker* jobs_;
  std::shared_ptr<RunModelCache> models_;
  std::shared_ptr<FallbackCache> fallbacks_;
  int nextTask_ = 1;
  int generation_ = 0;
  std::map<int, Kind> wanted_;  // tasks whose results are still wanted
  std::stop_source rescoreStop_;
  /// Raised by clearCaches() (another workspace): a scenario write that ends
  /// after it reports nothing and reloads nothing, so the list of another workspace is
  /// never shown.
  int workspaceEpoch_ = 0;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::WhatIfBasePtr)
Q_DECLARE_METATYPE(reco::ui::WhatIfColumnPtr)
Q_DECLARE_METATYPE(reco::ui::ItemCataloguePtr)
Q_DECLARE_METATYPE(reco::ui::ScenarioListPtr)
