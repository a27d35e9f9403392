#include "ui/workers/item_loader.h"

#include "core/common/error.h"
#include "core/storage/item_store.h"
#include "core/storage/workspace.h"
#include "core/training/run_lists.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"
#include "ui/workers/run_model_cache.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

using ModelPtr = RunModelCache::ModelPtr;

ModelPtr modelOf(reco::storage::Workspace& workspace, const reco::storage::RunInfo& run,
                 RunModelCache* cache) {
  if (cache) return cache->get(workspace, run);
  return std::make_shared<reco::LoadedModel>(reco::loadRunModel(workspace, run.id));
}

}  // namespace

ItemLoader::ItemLoader(JobTracker* jobs, std::shared_ptr<RunModelCache> models, QObject* parent)
    : QObject(parent),
      jobs_(jobs),
      cache_(models ? std::move(models) : std::make_shared<RunModelCache>()) {
  qRegisterMetaType<reco::ui::UsersChoicesPtr>();
  qRegisterMetaType<reco::ui::ItemSummariesPtr>();
  qRegisterMetaType<reco::ui::ItemProfilePtr>();
  qRegisterMetaType<reco::ui::NearestItemsPtr>();
  qRegisterMetaType<reco::ui::ItemAudiencePtr>();
}

// Tasks hold only values and the shared cache, so they may outlive this object.
ItemLoader::~ItemLoader() {
  summariesStop_.request_stop();
  profileStop_.request_stop();
  audienceStop_.request_stop();
}

QString ItemLoader::describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const reco::Error& e) {
    if (e.kind() == reco::ErrorKind::Config) return toQString(e.what());
  } catch (...) {  // NOLINT(bugprone-empty-catch): described below, with its kind
  }
  return WorkspaceLoader::describeError(error);
}

ItemSummariesPtr ItemLoader::readSummaries(const std::string& path, reco::DatasetId dataset,
                                           std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  auto summaries = std::make_shared<reco::storage::ItemSummaries>(
      reco::storage::summarizeItems(workspace, dataset, nullptr, std::move(stop)));
  if (summaries->outcome == reco::Outcome::Stopped) return nullptr;
  return summaries;
}

ItemProfilePtr ItemLoader::readProfile(const std::string& path, reco::DatasetId dataset,
                                       std::int32_t item,
                                       const std::optional<reco::storage::SplitInfo>& split,
                                       std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  // A split of another dataset has nothing to say about this item.
  const std::optional<reco::storage::SplitInfo> own =
      split && split->datasetId == dataset ? split : std::nullopt;
  auto profile = reco::storage::loadItemProfile(workspace, dataset, item, own, kTogetherItems,
                                                std::move(stop));
  if (!profile) return nullptr;
  return std::make_shared<const reco::storage::ItemProfile>(std::move(*profile));
}

NearestItemsPtr ItemLoader::readNearest(const std::string& path, const reco::storage::RunInfo& run,
                                        std::int32_t item, int n, RunModelCache* cache) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  const ModelPtr model = modelOf(workspace, run, cache);
  auto list = std::make_shared<NearestItemsList>();
  list->run = run;
  list->item = item;
  try {
    // The list `reco similar` prints (core/training/run_lists.h), so the two agree.
    list->items = reco::similarItemsOf(workspace, run, *model, item, std::size_t(std::max(0, n)));
  } catch (const reco::Error& e) {
    // A model without similar items, or an item outside the run's data: said in its column.
    if (e.kind() != reco::ErrorKind::Config) throw;
    list->error = e.what();
  }
  return list;
}

ItemAudiencePtr ItemLoader::readAudience(const std::string& path, const reco::storage::RunInfo& run,
                                         std::int32_t item, std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  auto audience = reco::storage::runItemAudience(workspace, run.id, item, stop);
  if (!audience) return nullptr;
  auto list = std::make_shared<ItemAudienceList>();
  list->run = run;
  list->item = item;
  list->listedUsers = audience->listedUsers;
  list->members = std::move(audience->members);
  if (list->members.empty()) return list;
  // The users' ids as `reco shown` names them (its model file's id map is the dataset's),
  // looked up for the members only: loading a million-user model for them took seconds.
  std::vector<std::int32_t> users;
  users.reserve(list->members.size());
  for (const auto& member : list->members) users.push_back(member.user);
  list->userIds = reco::storage::userExternalIdsOf(workspace, run.datasetId, users);
  return list;
}

std::shared_ptr<const reco::SimilarityMatrix> ItemLoader::readMatrix(
    const std::string& path, const reco::storage::RunInfo& run,
    const reco::storage::SplitInfo& split, const reco::SimilarityMatrixOptions& options,
    RunModelCache* cache, reco::JobObserver* observer, std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  const ModelPtr model = modelOf(workspace, run, cache);
  auto matrix = reco::computeSimilarityMatrix(workspace, run, *model, split, options, observer,
                                              std::move(stop));
  if (!matrix) return nullptr;
  return std::make_shared<const reco::SimilarityMatrix>(std::move(*matrix));
}

std::shared_ptr<const reco::ItemMap> ItemLoader::readMap(
    const std::string& path, const reco::storage::RunInfo& run,
    const reco::storage::SplitInfo& split, const reco::ItemMapOptions& options,
    RunModelCache* cache, reco::JobObserver* observer, std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  const ModelPtr model = modelOf(workspace, run, cache);
  auto map =
      reco::computeItemMap(workspace, run, *model, split, options, observer, std::move(stop));
  if (!map) return nullptr;
  return std::make_shared<const reco::ItemMap>(std::move(*map));
}

template <class Result, class Work, class Deliver>
void ItemLoader::start(Kind kind, const QString& label, Work work, Deliver deliver) {
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

void ItemLoader::cancel(Kind kind) {
  const bool wasBusy = isBusy();
  std::erase_if(wanted_, [kind](const auto& entry) { return entry.second == kind; });
  if (kind == Kind::Summaries) summariesStop_.request_stop();
  if (kind == Kind::Profile) profileStop_.request_stop();
  if (kind == Kind::Audience) audienceStop_.request_stop();
  if (wasBusy && !isBusy()) emit busyChanged(false);
}

void ItemLoader::loadChoices(const QString& path) {
  cancel(Kind::Choices);
  const std::string file = toStdString(path);
  start<UsersChoices>(
      Kind::Choices, QStringLiteral("Reading runs for the Items panel"),
      [file] { return UserLoader::readChoices(file); },
      [this, path](const UsersChoicesPtr& value, const std::exception_ptr& error) {
        if (error)
          emit choicesFailed(path, WorkspaceLoader::describeError(error));
        else
          emit choicesLoaded(path, value);
      });
}

void ItemLoader::loadSummaries(const QString& path, reco::DatasetId dataset,
                               const QString& datasetName) {
  cancel(Kind::Summaries);
  summariesStop_ = std::stop_source();
  const std::string file = toStdString(path);
  start<reco::storage::ItemSummaries>(
      Kind::Summaries, QStringLiteral("Summarising the items of %1").arg(datasetName),
      [file, dataset, stop = summariesStop_.get_token()] {
        return readSummaries(file, dataset, stop);
      },
      [this, dataset](const ItemSummariesPtr& value, const std::exception_ptr& error) {
        if (error)
          emit summariesFailed(dataset, WorkspaceLoader::describeError(error));
        else if (value)
          emit summariesLoaded(dataset, value);
      });
}

void ItemLoader::loadProfile(const QString& path, reco::DatasetId dataset, std::int32_t item,
                             std::optional<reco::storage::SplitInfo> split) {
  cancel(Kind::Profile);
  profileStop_ = std::stop_source();
  const std::string file = toStdString(path);
  start<reco::storage::ItemProfile>(
      Kind::Profile, QStringLiteral("Reading an item's profile"),
      [file, dataset, item, split = std::move(split), stop = profileStop_.get_token()] {
        return readProfile(file, dataset, item, split, stop);
      },
      [this, item](const ItemProfilePtr& value, const std::exception_ptr& error) {
        if (error)
          emit profileFailed(item, WorkspaceLoader::describeError(error));
        else if (value)
          emit profileLoaded(item, value);
      });
}

void ItemLoader::loadNearest(const QString& path, std::int32_t item,
                             const std::vector<reco::storage::RunInfo>& runs, int n) {
  cancel(Kind::Nearest);
  const std::string file = toStdString(path);
  for (std::size_t slot = 0; slot < runs.size(); ++slot) {
    const reco::storage::RunInfo& run = runs[slot];
    const int at = int(slot);
    start<NearestItemsList>(
        Kind::Nearest, QStringLiteral("Finding items like it with %1").arg(toQString(run.name)),
        [file, run, item, n, cache = cache_] {
          return readNearest(file, run, item, n, cache.get());
        },
        [this, at, run, item](const NearestItemsPtr& value, const std::exception_ptr& error) {
          if (!error) {
            emit nearestLoaded(at, value);
            return;
          }
          auto failed = std::make_shared<NearestItemsList>();
          failed->run = run;
          failed->item = item;
          failed->error = toStdString(describe(error));
          emit nearestLoaded(at, failed);
        });
  }
}

void ItemLoader::loadAudience(const QString& path, std::int32_t item,
                              const std::vector<reco::storage::RunInfo>& runs) {
  cancel(Kind::Audience);
  audienceStop_ = std::stop_source();
  const std::string file = toStdString(path);
  for (std::size_t slot = 0; slot < runs.size(); ++slot) {
    const reco::storage::RunInfo& run = runs[slot];
    const int at = int(slot);
    start<ItemAudienceList>(
        Kind::Audience, QStringLiteral("Finding who %1 shows it to").arg(toQString(run.name)),
        [file, run, item, stop = audienceStop_.get_token()] {
          return readAudience(file, run, item, stop);
        },
        [this, at, run, item](const ItemAudiencePtr& value, const std::exception_ptr& error) {
          if (!error && !value) return;  // stopped
          if (!error) {
            emit audienceLoaded(at, value);
            return;
          }
          auto failed = std::make_shared<ItemAudienceList>();
          failed->run = run;
          failed->item = item;
          failed->error = toStdString(describe(error));
          emit audienceLoaded(at, failed);
        });
  }
}

void ItemLoader::cancelNearest() {
  cancel(Kind::Nearest);
}

void ItemLoader::cancelAudience() {
  cancel(Kind::Audience);
}

void ItemLoader::cancelProfile() {
  cancel(Kind::Profile);
}

void ItemLoader::cancelItem() {
  cancelProfile();
  cancelNearest();
  cancelAudience();
}

void ItemLoader::cancelAll() {
  for (const Kind kind :
       {Kind::Choices, Kind::Summaries, Kind::Profile, Kind::Nearest, Kind::Audience})
    cancel(kind);
}

ItemLoader::Pending ItemLoader::pending() const {
  Pending pending;
  for (const auto& [task, kind] : wanted_) {
    pending.choices |= kind == Kind::Choices;
    pending.summaries |= kind == Kind::Summaries;
    pending.profile |= kind == Kind::Profile;
    pending.nearest |= kind == Kind::Nearest;
    pending.audience |= kind == Kind::Audience;
  }
  return pending;
}

void ItemLoader::clearModelCache() {
  cache_->clear();
}

}  // namespace reco::ui
