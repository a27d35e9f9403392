#include "ui/workers/workspace_loader.h"

#include "core/common/error.h"
#include "core/storage/distributions.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"

namespace reco::ui {

WorkspaceLoader::WorkspaceLoader(JobTracker* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {
  qRegisterMetaType<reco::ui::DatasetList>();
  qRegisterMetaType<reco::ui::DatasetDetailsPtr>();
  qRegisterMetaType<reco::ui::DistributionsPtr>();
}

// Running tasks keep only values (paths, ids, stop tokens), so they may outlive this
// object; their watchers are children and go with it.
WorkspaceLoader::~WorkspaceLoader() {
  distributionsStop_.request_stop();
}

DatasetList WorkspaceLoader::readDatasets(const std::string& path) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  return std::make_shared<const std::vector<reco::DatasetInfo>>(workspace.datasets());
}

DatasetDetailsPtr WorkspaceLoader::readDetails(const std::string& path, reco::DatasetId id) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  auto details = std::make_shared<DatasetDetails>();
  details->stats = workspace.stats(id);
  details->report = workspace.importReport(id);
  for (const auto& split : storage::listSplits(workspace, id))
    details->splits.push_back({split.id, split.name, split.createdAt, 0});
  for (const auto& run : storage::listRuns(workspace)) {
    if (run.datasetId != id) continue;
    ++details->runs;
    for (SplitSummary& split : details->splits) split.runs += split.id == run.splitId ? 1 : 0;
  }
  return details;
}

void WorkspaceLoader::deleteDataset(const std::string& path, const reco::DatasetInfo& shown) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  workspace.prepareForWriting();
  workspace.deleteDataset(shown);
}

void WorkspaceLoader::deleteSplit(const std::string& path, const SplitSummary& shown) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  workspace.prepareForWriting();
  storage::SplitInfo split;
  split.id = shown.id;
  split.name = shown.name;
  split.createdAt = shown.createdAt;
  storage::deleteSplit(workspace, split);
}

DistributionsPtr WorkspaceLoader::readDistributions(const std::string& path, reco::DatasetId id,
                                                    std::stop_token stop) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  return std::make_shared<const reco::DatasetDistributions>(
      reco::computeDistributions(workspace, id, std::move(stop)));
}

QString WorkspaceLoader::describeError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const reco::Error& e) {
    QString kind = QString::fromLatin1(reco::errorKindName(e.kind()));
    if (!kind.isEmpty()) kind[0] = kind[0].toUpper();
    return QStringLiteral("%1: %2").arg(kind, toQString(e.what()));
  } catch (const std::exception& e) {
    return QStringLiteral("Unexpected error: %1").arg(toQString(e.what()));
  } catch (...) {
    return QStringLiteral("Unexpected error of an unknown kind");
  }
}

template <class Result, class Work, class Deliver>
void WorkspaceLoader::start(const QString& label, int& wanted, Work work, Deliver deliver) {
  runLatestTask<Result>(this, jobs_, label, generation_, wanted, std::move(work),
                        std::move(deliver));
}

void WorkspaceLoader::loadDatasets(const QString& path) {
  const std::string file = toStdString(path);
  start<std::vector<reco::DatasetInfo>>(
      QStringLiteral("Reading datasets"), wantedDatasets_, [file] { return readDatasets(file); },
      [this, path](const DatasetList& value, const std::exception_ptr& error) {
        if (error) {
          emit datasetsFailed(path, describeError(error));
        } else {
          emit datasetsLoaded(path, value);
        }
      });
}

void WorkspaceLoader::loadDetails(const QString& path, reco::DatasetId id, const QString& name) {
  const std::string file = toStdString(path);
  start<DatasetDetails>(
      QStringLiteral("Loading statistics of %1").arg(name), wantedDetails_,
      [file, id] { return readDetails(file, id); },
      [this, id](const DatasetDetailsPtr& value, const std::exception_ptr& error) {
        if (error) {
          emit detailsFailed(id, describeError(error));
        } else {
          emit detailsLoaded(id, value);
        }
      });
}

void WorkspaceLoader::loadDistributions(const QString& path, reco::DatasetId id,
                                        const QString& name) {
  const std::string file = toStdString(path);
  distributionsStop_.request_stop();
  distributionsStop_ = std::stop_source();
  start<reco::DatasetDistributions>(
      QStringLiteral("Computing distributions of %1").arg(name), wantedDistributions_,
      [file, id, stop = distributionsStop_.get_token()] {
        return readDistributions(file, id, stop);
      },
      [this, id](const DistributionsPtr& value, const std::exception_ptr& error) {
        if (error) {
          emit distributionsFailed(id, describeError(error));
        } else {
          emit distributionsLoaded(id, value);
        }
      });
}

void WorkspaceLoader::cancelAll() {
  const bool wasBusy = isBusy();
  wantedDatasets_ = 0;
  wantedDetails_ = 0;
  wantedDistributions_ = 0;
  distributionsStop_.request_stop();
  if (wasBusy) emit busyChanged(false);
}

}  // namespace reco::ui
