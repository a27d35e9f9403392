#include "ui/workers/user_loader.h"

#include <algorithm>
#include <unordered_set>

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "core/training/stored_run.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"
#include "ui/workers/run_model_cache.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

std::unordered_set<std::int32_t> testItemsOf(const reco::storage::UserSplitParts& parts) {
  return {parts.test.begin(), parts.test.end()};
}

}  // namespace

UserLoader::UserLoader(JobTracker* jobs, std::shared_ptr<RunModelCache> models, QObject* parent)
    : QObject(parent),
      jobs_(jobs),
      cache_(models ? std::move(models) : std::make_shared<RunModelCache>()) {
  qRegisterMetaType<reco::ui::UsersChoicesPtr>();
  qRegisterMetaType<reco::ui::UserSummariesPtr>();
  qRegisterMetaType<reco::ui::UserProfilePtr>();
  qRegisterMetaType<reco::ui::RecommendationListPtr>();
}

// Tasks hold only values and the shared cache, so they may outlive this object.
UserLoader::~UserLoader() {
  summariesStop_.request_stop();
}

UsersChoicesPtr UserLoader::readChoices(const std::string& path) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  auto choices = std::make_shared<UsersChoices>();
  choices->datasets = workspace.datasets();
  for (const auto& dataset : choices->datasets) {
    auto splits = reco::storage::listSplits(workspace, dataset.id);
    choices->splits.insert(choices->splits.end(), splits.begin(), splits.end());
  }
  for (auto& run : reco::storage::listRuns(workspace))
    if (run.status == "done") choices->runs.push_back(std::move(run));
  std::sort(choices->runs.begin(), choices->runs.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return choices;
}

UserSummariesPtr UserLoader::readSummaries(const std::string& path, reco::DatasetId dataset,
                                           std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  auto summaries = std::make_shared<reco::storage::UserSummaries>(
      reco::storage::summarizeUsers(workspace, dataset, nullptr, std::move(stop)));
  if (summaries->outcome == reco::Outcome::Stopped) return nullptr;
  return summaries;
}

UserSummariesPtr UserLoader::readUserCounts(const std::string& path, reco::DatasetId dataset) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  return std::make_shared<reco::storage::UserSummaries>(
      reco::storage::readUserCounts(workspace, dataset));
}

UserProfilePtr UserLoader::readProfile(const std::string& path, reco::DatasetId dataset,
                                       std::int32_t user,
                                       const std::optional<reco::storage::SplitInfo>& split) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  auto data = std::make_shared<UserProfileData>();
  data->history = reco::storage::loadUserHistory(workspace, dataset, user);
  data->profile = reco::storage::summarizeHistory(data->history);
  if (split && split->datasetId == dataset) {
    data->splitName = split->name;
    const auto parts = reco::storage::loadUserSplitParts(workspace, *split, user);
    for (const auto item : parts.train) data->parts[item.value] = 0;
    for (const auto item : parts.valid) data->parts[item] = 1;
    for (const auto item : parts.test) data->parts[item] = 2;
  }
  return data;
}

RecommendationListPtr UserLoader::readStoredList(const std::string& path,
                                                 const reco::storage::RunInfo& run,
                                                 const reco::storage::SplitInfo& split,
                                                 std::int32_t user, int n) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  const auto stored = reco::storage::runRecommendations(workspace, run.id, user);
  if (!stored || stored->items.size() < std::size_t(n)) return nullptr;
  const auto parts = reco::storage::loadUserSplitParts(workspace, split, user);
  const auto test = testItemsOf(parts);
  auto list = std::make_shared<RecommendationList>();
  list->run = run;
  list->user = user;
  list->trainingItems = parts.train.size();
  const std::vector<std::int32_t> items(stored->items.begin(), stored->items.begin() + n);
  const auto meta = reco::storage::loadItemMeta(workspace, run.datasetId, items);
  for (std::size_t r = 0; r < items.size(); ++r)
    list->items.push_back({meta[r], stored->scores[r], test.count(items[r]) > 0, {}});
  return list;
}

RecommendationListPtr UserLoader::makeList(const std::string& path,
                                           const reco::storage::RunInfo& run,
                                           const reco::storage::SplitInfo& split, std::int32_t user,
                                           int n, RunModelCache* cache) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  const RunModelCache::ModelPtr model =
      cache ? cache->get(workspace, run)
            : std::make_shared<reco::LoadedModel>(reco::loadRunModel(workspace, run.id));
  // The list `reco recommend` prints (core/training/run_lists.h), so the two agree.
  reco::RunList made =
      reco::runListForUser(workspace, run, *model, split, user, std::size_t(std::max(0, n)));
  auto list = std::make_shared<RecommendationList>();
  list->run = run;
  list->user = user;
  list->userId = std::move(made.userId);
  list->trainingItems = made.trainingItems;
  list->final = true;
  list->items = std::move(made.items);
  return list;
}

template <class Result, class Work, class Deliver>
void UserLoader::start(Kind kind, const QString& label, Work work, Deliver deliver) {
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

void UserLoader::cancel(Kind kind) {
  const bool wasBusy = isBusy();
  std::erase_if(wanted_, [kind](const auto& entry) { return entry.second == kind; });
  if (kind == Kind::Summaries) summariesStop_.request_stop();
  if (wasBusy && !isBusy()) emit busyChanged(false);
}

void UserLoader::loadChoices(const QString& path) {
  cancel(Kind::Choices);
  const std::string file = toStdString(path);
  start<UsersChoices>(
      Kind::Choices, QStringLiteral("Reading runs for the Users panel"),
      [file] { return readChoices(file); },
      [this, path](const UsersChoicesPtr& value, const std::exception_ptr& error) {
        if (error)
          emit choicesFailed(path, WorkspaceLoader::describeError(error));
        else
          emit choicesLoaded(path, value);
      });
}

void UserLoader::loadSummaries(const QString& path, reco::DatasetId dataset,
                               const QString& datasetName) {
  cancel(Kind::Summaries);
  summariesStop_ = std::stop_source();
  const std::string file = toStdString(path);
  // The ids and counts first: a million users are listed in a fraction of the full pass.
  start<reco::storage::UserSummaries>(
      Kind::Summaries, QStringLiteral("Listing the users of %1").arg(datasetName),
      [file, dataset] { return readUserCounts(file, dataset); },
      [this, dataset](const UserSummariesPtr& value, const std::exception_ptr& error) {
        if (!error && value) emit summariesLoaded(dataset, value);
      });
  start<reco::storage::UserSummaries>(
      Kind::Summaries, QStringLiteral("Summarising the users of %1").arg(datasetName),
      [file, dataset, stop = summariesStop_.get_token()] {
        return readSummaries(file, dataset, stop);
      },
      [this, dataset](const UserSummariesPtr& value, const std::exception_ptr& error) {
        if (error)
          emit summariesFailed(dataset, WorkspaceLoader::describeError(error));
        else if (value)
          emit summariesLoaded(dataset, value);
      });
}

void UserLoader::loadProfile(const QString& path, reco::DatasetId dataset, std::int32_t user,
                             std::optional<reco::storage::SplitInfo> split) {
  cancel(Kind::Profile);
  const std::string file = toStdString(path);
  start<UserProfileData>(
      Kind::Profile, QStringLiteral("Reading a user's history"),
      [file, dataset, user, split = std::move(split)] {
        return readProfile(file, dataset, user, split);
      },
      [this, user](const UserProfilePtr& value, const std::exception_ptr& error) {
        if (error)
          emit profileFailed(user, WorkspaceLoader::describeError(error));
        else
          emit profileLoaded(user, value);
      });
}

void UserLoader::loadLists(const QString& path, std::int32_t user,
                           const std::vector<reco::storage::RunInfo>& runs,
                           const reco::storage::SplitInfo& split, int n) {
  cancel(Kind::Lists);
  const std::string file = toStdString(path);
  for (std::size_t slot = 0; slot < runs.size(); ++slot) {
    const reco::storage::RunInfo run = runs[slot];
    const int at = int(slot);
    // The final list must replace the stored one even when the stored one arrives later.
    auto finalShown = std::make_shared<bool>(false);
    start<RecommendationList>(
        Kind::Lists, QStringLiteral("Reading the stored list of %1").arg(toQString(run.name)),
        [file, run, split, user, n] { return readStoredList(file, run, split, user, n); },
        [this, at, finalShown](const RecommendationListPtr& value, const std::exception_ptr&) {
          // A stored list is only a preview: its failure shows nothing, the final one will.
          if (value && !*finalShown) emit listLoaded(at, value);
        });
    start<RecommendationList>(
        Kind::Lists, QStringLiteral("Recommending with %1").arg(toQString(run.name)),
        [file, run, split, user, n, cache = cache_] {
          return makeList(file, run, split, user, n, cache.get());
        },
        [this, at, run, user, finalShown](const RecommendationListPtr& value,
                                          const std::exception_ptr& error) {
          *finalShown = true;
          if (!error) {
            emit listLoaded(at, value);
            return;
          }
          auto failed = std::make_shared<RecommendationList>();
          failed->run = run;
          failed->user = user;
          failed->final = true;
          failed->error = toStdString(WorkspaceLoader::describeError(error));
          emit listLoaded(at, failed);
        });
  }
}

void UserLoader::cancelLists() {
  cancel(Kind::Lists);
}

void UserLoader::cancelAll() {
  for (const Kind kind : {Kind::Choices, Kind::Summaries, Kind::Profile, Kind::Lists}) cancel(kind);
}

UserLoader::Pending UserLoader::pending() const {
  Pending pending;
  for (const auto& [task, kind] : wanted_) {
    pending.choices |= kind == Kind::Choices;
    pending.summaries |= kind == Kind::Summaries;
    pending.profile |= kind == Kind::Profile;
    pending.lists |= kind == Kind::Lists;
  }
  return pending;
}

void UserLoader::clearModelCache() {
  cache_->clear();
}

}  // namespace reco::ui
