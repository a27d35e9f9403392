#include "ui/workers/what_if_loader.h"

#include <cmath>
#include <future>
#include <mutex>
#include <tuple>

#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"
#include "ui/workers/run_model_cache.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

/// The popularity fallback of each split, computed by the first task that needs it (one
/// scan of the split's training part) and shared by every later one; tasks that ask while
/// it is computed wait on their pool thread. A failed computation is not kept. Thread-safe.
class FallbackCache {
 public:
  using Ptr = std::shared_ptr<const reco::WhatIfFallback>;

  Ptr get(reco::storage::Workspace& workspace, const reco::storage::SplitInfo& split,
          std::size_t itemCount, const reco::PopularityFallbackOptions& options) {
    const Key key{workspace.path(), split.id,           split.createdAt,
                  itemCount,        options.windowDays, options.category};
    std::promise<Ptr> promise;
    std::shared_future<Ptr> existing;
    {
      std::lock_guard lock(mutex_);
      const auto it = entries_.find(key);
      if (it != entries_.end())
        existing = it->second;
      else
        entries_.emplace(key, promise.get_future().share());
    }
    if (existing.valid()) return existing.get();
    try {
      auto made = std::make_shared<const reco::WhatIfFallback>(
          reco::popularityFallback(workspace, split, itemCount, options));
      promise.set_value(made);
      return made;
    } catch (...) {
      promise.set_exception(std::current_exception());
      std::lock_guard lock(mutex_);
      entries_.erase(key);
      throw;
    }
  }

  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

 private:
  // A deleted split's id can be reused; its creation time tells them apart.
  using Key =
      std::tuple<std::string, reco::storage::SplitId, std::int64_t, std::size_t, int, std::string>;
  std::mutex mutex_;
  std::map<Key, std::shared_future<Ptr>> entries_;
};

WhatIfLoader::WhatIfLoader(JobTracker* jobs, std::shared_ptr<RunModelCache> models, QObject* parent)
    : QObject(parent),
      jobs_(jobs),
      models_(std::move(models)),
      fallbacks_(std::make_shared<FallbackCache>()) {
  qRegisterMetaType<reco::ui::WhatIfBasePtr>();
  qRegisterMetaType<reco::ui::WhatIfColumnPtr>();
  qRegisterMetaType<reco::ui::ItemCataloguePtr>();
  qRegisterMetaType<reco::ui::ScenarioListPtr>();
}

// Tasks hold only values and shared caches, so they may outlive this object.
WhatIfLoader::~WhatIfLoader() {
  rescoreStop_.request_stop();
}

reco::storage::ItemMeta ItemCatalogue::meta(int row) const {
  const auto at = std::size_t(row);
  reco::storage::ItemMeta meta;
  meta.item = items.items[at];
  meta.externalId = std::string(items.externalId(at));
  meta.title = std::string(items.title(at));
  meta.category = items.categoryName(items.category[at]);
  if (!std::isnan(items.price[at])) meta.price = items.price[at];
  return meta;
}

int ItemCatalogue::find(const QString& text) const {
  const QString key = text.trimmed();
  if (const auto label = rowOfLabel.constFind(key); label != rowOfLabel.cend()) return *label;
  if (const auto id = rowOfId.constFind(key); id != rowOfId.cend()) return *id;
  return -1;
}

ItemCataloguePtr WhatIfLoader::readCatalogue(const std::string& path, reco::DatasetId dataset) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  auto catalogue = std::make_shared<ItemCatalogue>();
  catalogue->dataset = dataset;
  catalogue->items = reco::storage::summarizeItems(workspace, dataset, nullptr, {});
  const auto& items = catalogue->items;
  catalogue->labels.reserve(qsizetype(items.size()));
  for (std::size_t row = 0; row < items.size(); ++row) {
    const QString id = QString::fromUtf8(items.externalId(row));
    const QString title = QString::fromUtf8(items.title(row));
    // The id in brackets: titles repeat (two "Cinderella" films), ids do not.
    const QString label = title.isEmpty() ? id : QStringLiteral("%1  [%2]").arg(title, id);
    catalogue->labels << label;
    catalogue->rowOfLabel.insert(label, int(row));
    catalogue->rowOfId.insert(id, int(row));
  }
  return catalogue;
}

WhatIfBasePtr WhatIfLoader::readBase(const std::string& path, reco::DatasetId dataset,
                                     std::optional<std::int32_t> user,
                                     const reco::storage::SplitInfo& split,
                                     const std::optional<std::vector<std::int32_t>>& edited) {
  auto base = std::make_shared<WhatIfBase>();
  base->dataset = dataset;
  base->user = user;
  if (!user && !edited) return base;
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  if (edited) base->edited = reco::storage::loadItemMeta(workspace, dataset, *edited);
  if (!user) return base;
  base->userId = reco::storage::loadUserHistory(workspace, dataset, *user).externalId;
  // Oldest first, as whatIfList orders the stored history: a sequence model reads the
  // order, so an edit must start from the same sequence.
  const auto parts = reco::storage::loadUserSplitParts(workspace, split, *user);
  std::vector<std::int32_t> items;
  items.reserve(parts.train.size());
  for (const auto item :
       reco::storage::trainingItemsInTimeOrder(workspace, dataset, *user, parts.train))
    items.push_back(item.value);
  base->stored = reco::storage::loadItemMeta(workspace, dataset, items);
  return base;
}

WhatIfColumnPtr WhatIfLoader::makeColumn(
    const std::string& path, const reco::storage::RunInfo& run,
    const reco::storage::SplitInfo& split, const reco::WhatIfRequest& request,
    const std::optional<reco::PopularityFallbackOptions>& popular, RunModelCache* cache,
    FallbackCache* fallbacks, std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  const RunModelCache::ModelPtr model =
      cache ? cache->get(workspace, run)
            : std::make_shared<reco::LoadedModel>(reco::loadRunModel(workspace, run.id));
  const std::size_t itemCount = model->model->itemCount();
  const FallbackCache::Ptr fallback =
      !popular    ? std::make_shared<const reco::WhatIfFallback>()  // no fallback chosen
      : fallbacks ? fallbacks->get(workspace, split, itemCount, *popular)
                  : std::make_shared<const reco::WhatIfFallback>(
                        reco::popularityFallback(workspace, split, itemCount, *popular));
  auto column = std::make_shared<WhatIfColumn>();
  column->run = run;
  column->list =
      reco::whatIfList(workspace, run, *model, split, request, *fallback, std::move(stop));
  return column;
}

template <class Result, class Work, class Deliver>
void WhatIfLoader::start(Kind kind, const QString& label, Work work, Deliver deliver) {
  const bool wasBusy = isBusy();
  const int task = nextTask_++;
  wanted_.emplace(task, kind);
  runBackgroundTask<Result>(
      this, jobs_, label, std::move(work),
      [this, task, deliver = std::move(deliver)](const TaskResult<Result>& result) {
        if (wanted_.erase(task) == 0) return;  // superseded or cancelled
        deliver(result.value, result.error);
        if (!isBusy()) emit busyChanged(false);
      });
  if (!wasBusy) emit busyChanged(true);
}

void WhatIfLoader::cancel(Kind kind) {
  const bool wasBusy = isBusy();
  std::erase_if(wanted_, [kind](const auto& entry) { return entry.second == kind; });
  if (kind == Kind::Rescore) rescoreStop_.request_stop();
  if (wasBusy && !isBusy()) emit busyChanged(false);
}

bool WhatIfLoader::isRescoring() const {
  for (const auto& [task, kind] : wanted_)
    if (kind == Kind::Rescore) return true;
  return false;
}

void WhatIfLoader::loadBase(const QString& path, reco::DatasetId dataset,
                            std::optional<std::int32_t> user, const reco::storage::SplitInfo& split,
                            std::optional<std::vector<std::int32_t>> edited) {
  cancel(Kind::Base);
  start<WhatIfBase>(
      Kind::Base, QStringLiteral("Reading the history to edit"),
      [file = toStdString(path), dataset, user, split, edited = std::move(edited)] {
        return readBase(file, dataset, user, split, edited);
      },
      [this](const WhatIfBasePtr& value, const std::exception_ptr& error) {
        if (error)
          emit baseFailed(WorkspaceLoader::describeError(error));
        else
          emit baseLoaded(value);
      });
}

void WhatIfLoader::loadCatalogue(const QString& path, reco::DatasetId dataset) {
  cancel(Kind::Catalogue);
  start<ItemCatalogue>(
      Kind::Catalogue, QStringLiteral("Listing the items to add to a history"),
      [file = toStdString(path), dataset] { return readCatalogue(file, dataset); },
      [this, dataset](const ItemCataloguePtr& value, const std::exception_ptr& error) {
        // Without it the search box only finds items by their exact id.
        if (!error) emit catalogueLoaded(dataset, value);
      });
}

int WhatIfLoader::rescore(const QString& path, const std::vector<reco::storage::RunInfo>& runs,
                          const reco::storage::SplitInfo& split, const reco::WhatIfRequest& request,
                          const std::optional<reco::PopularityFallbackOptions>& popular) {
  cancel(Kind::Rescore);
  rescoreStop_ = std::stop_source();
  const int generation = ++generation_;
  const std::string file = toStdString(path);
  for (std::size_t slot = 0; slot < runs.size(); ++slot) {
    const reco::storage::RunInfo& run = runs[slot];
    start<WhatIfColumn>(
        Kind::Rescore,
        QStringLiteral("Re-scoring an edited history with %1").arg(toQString(run.name)),
        [file, run, split, request, popular, models = models_, fallbacks = fallbacks_,
         stop = rescoreStop_.get_token()] {
          return makeColumn(file, run, split, request, popular, models.get(), fallbacks.get(),
                            stop);
        },
        [this, generation, at = int(slot), run](const WhatIfColumnPtr& value,
                                                const std::exception_ptr& error) {
          if (!error) {
            emit columnLoaded(generation, at, value);
            return;
          }
          auto failed = std::make_shared<WhatIfColumn>();
          failed->run = run;
          failed->error = toStdString(WorkspaceLoader::describeError(error));
          emit columnLoaded(generation, at, failed);
        });
  }
  return generation;
}

void WhatIfLoader::loadScenarios(const QString& path, reco::DatasetId dataset) {
  cancel(Kind::Scenarios);
  start<std::vector<reco::storage::Scenario>>(
      Kind::Scenarios, QStringLiteral("Reading the saved scenarios"),
      [file = toStdString(path), dataset] {
        reco::storage::Workspace workspace(file, reco::storage::Workspace::OpenMode::OpenExisting);
        return std::make_shared<std::vector<reco::storage::Scenario>>(
            reco::storage::listScenarios(workspace, dataset));
      },
      [this, dataset](const ScenarioListPtr& value, const std::exception_ptr& error) {
        if (error)
          emit scenarioFailed(QStringLiteral("The saved scenarios could not be read: %1")
                                  .arg(WorkspaceLoader::describeError(error)));
        else
          emit scenariosLoaded(dataset, value);
      });
}

void WhatIfLoader::saveScenario(const QString& path, const reco::storage::Scenario& scenario) {
  const QString name = toQString(scenario.name);
  start<std::int64_t>(
      Kind::ScenarioWrite, QStringLiteral("Saving the scenario %1").arg(name),
      [file = toStdString(path), scenario] {
        reco::storage::Workspace workspace(file, reco::storage::Workspace::OpenMode::OpenExisting);
        workspace.prepareForWriting();
        return std::make_shared<std::int64_t>(reco::storage::saveScenario(workspace, scenario));
      },
      [this, path, name, dataset = scenario.datasetId, epoch = workspaceEpoch_](
          const std::shared_ptr<const std::int64_t>&, const std::exception_ptr& error) {
        if (epoch != workspaceEpoch_) return;
        if (error) {
          emit scenarioFailed(QStringLiteral("The scenario was not saved: %1")
                                  .arg(WorkspaceLoader::describeError(error)));
          return;
        }
        emit scenarioSaved(name);
        loadScenarios(path, dataset);
      });
}

void WhatIfLoader::deleteScenario(const QString& path, reco::DatasetId dataset, std::int64_t id) {
  start<bool>(
      Kind::ScenarioWrite, QStringLiteral("Deleting a scenario"),
      [file = toStdString(path), id] {
        reco::storage::Workspace workspace(file, reco::storage::Workspace::OpenMode::OpenExisting);
        workspace.prepareForWriting();
        reco::storage::deleteScenario(workspace, id);
        return std::make_shared<bool>(true);
      },
      [this, path, dataset, epoch = workspaceEpoch_](const std::shared_ptr<const bool>&,
                                                     const std::exception_ptr& error) {
        if (epoch != workspaceEpoch_) return;
        if (error)
          emit scenarioFailed(QStringLiteral("The scenario was not deleted: %1")
                                  .arg(WorkspaceLoader::describeError(error)));
        loadScenarios(path, dataset);
      });
}

void WhatIfLoader::cancelAll() {
  for (const Kind kind : {Kind::Base, Kind::Catalogue, Kind::Rescore, Kind::Scenarios})
    cancel(kind);
}

void WhatIfLoader::clearCaches() {
  ++workspaceEpoch_;
  fallbacks_->clear();
}

}  // namespace reco::ui
