#include "ui/workers/experiments_loader.h"

#include <map>

#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

ExperimentsLoader::ExperimentsLoader(JobTracker* jobs, QObject* parent)
    : QObject(parent), jobs_(jobs) {
  qRegisterMetaType<reco::ui::ExperimentsSnapshotPtr>();
  qRegisterMetaType<reco::ui::EpochList>();
}

ExperimentsSnapshotPtr ExperimentsLoader::readSnapshot(const std::string& path,
                                                       const std::string& keyMetric) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  auto snapshot = std::make_shared<ExperimentsSnapshot>();
  snapshot->datasets = workspace.datasets();
  std::map<reco::DatasetId, std::string> datasetNames;
  for (const auto& dataset : snapshot->datasets) {
    datasetNames[dataset.id] = dataset.name;
    for (auto& split : storage::listSplits(workspace, dataset.id))
      snapshot->splits.push_back(std::move(split));
  }
  std::map<storage::SplitId, std::string> splitNames;
  for (const auto& split : snapshot->splits) splitNames[split.id] = split.name;
  auto runs = std::make_shared<std::vector<StoredRun>>();
  for (auto& info : storage::listRuns(workspace)) {
    StoredRun run;
    run.datasetName =
        datasetNames.count(info.datasetId) ? datasetNames[info.datasetId] : std::string();
    run.splitName = splitNames.count(info.splitId) ? splitNames[info.splitId] : std::string();
    if (info.status == "done") {
      for (const auto& metric : storage::runMetrics(workspace, info.id))
        if (metric.metric == keyMetric) run.keyMetric = metric.mean;
    }
    run.info = std::move(info);
    runs->push_back(std::move(run));
  }
  snapshot->runs = std::move(runs);
  return snapshot;
}

template <class Result, class Work, class Deliver>
void ExperimentsLoader::start(const QString& label, int* wanted, Work work, Deliver deliver) {
  const int generation = ++generation_;
  if (wanted) *wanted = generation;
  runBackgroundTask<Result>(this, jobs_, label, std::move(work),
                            [generation, wanted, deliver](const TaskResult<Result>& result) {
                              if (wanted) {
                                if (*wanted != generation) return;  // superseded
                                *wanted = 0;
                              }
                              deliver(result.value, result.error);
                            });
}

void ExperimentsLoader::load(const QString& path) {
  const std::string file = toStdString(path);
  start<ExperimentsSnapshot>(
      QStringLiteral("Reading runs"), &wantedSnapshot_,
      [file] { return readSnapshot(file, "ndcg@10"); },
      [this, path](const ExperimentsSnapshotPtr& value, const std::exception_ptr& error) {
        if (error) {
          emit loadFailed(path, WorkspaceLoader::describeError(error));
        } else {
          emit loaded(path, value);
        }
      });
}

void ExperimentsLoader::loadEpochs(const QString& path, reco::storage::RunId run) {
  const std::string file = toStdString(path);
  start<std::vector<reco::EpochReport>>(
      QStringLiteral("Reading epochs"), &wantedEpochs_,
      [file, run] {
        storage::Workspace workspace(file, storage::Workspace::OpenMode::OpenExisting);
        return std::make_shared<const std::vector<reco::EpochReport>>(
            storage::runEpochs(workspace, run));
      },
      [this, run](const EpochList& value, const std::exception_ptr& error) {
        if (error) {
          emit epochsFailed(run, WorkspaceLoader::describeError(error));
        } else {
          emit epochsLoaded(run, value);
        }
      });
}

void ExperimentsLoader::deleteRun(const QString& path, const reco::storage::RunInfo& shown) {
  const std::string file = toStdString(path);
  const reco::storage::RunId run = shown.id;
  // Deletions are never superseded: each one reports.
  start<bool>(
      QStringLiteral("Deleting run %1").arg(toQString(shown.name)), nullptr,
      [file, shown] {
        storage::Workspace workspace(file, storage::Workspace::OpenMode::OpenExisting);
        workspace.prepareForWriting();
        storage::deleteRun(workspace, shown);
        return std::make_shared<const bool>(true);
      },
      [this, run](const std::shared_ptr<const bool>&, const std::exception_ptr& error) {
        if (error) {
          emit deleteFailed(run, WorkspaceLoader::describeError(error));
        } else {
          emit runDeleted(run);
        }
      });
}

void ExperimentsLoader::cancelAll() {
  wantedSnapshot_ = 0;
  wantedEpochs_ = 0;
}

}  // namespace reco::ui
