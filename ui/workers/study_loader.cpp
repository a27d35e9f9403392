#include "ui/workers/study_loader.h"

#include <map>

#include "core/storage/split_store.h"
#include "core/storage/study_store.h"
#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

StudyLoader::StudyLoader(JobTracker* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {
  qRegisterMetaType<reco::ui::StoredStudyList>();
}

StoredStudyList StudyLoader::readStudies(const std::string& path) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  std::map<storage::RunId, storage::RunInfo> runs;
  for (auto& run : storage::listRuns(workspace)) runs.emplace(run.id, std::move(run));
  auto studies = std::make_shared<std::vector<StoredStudy>>();
  for (const auto& info : storage::listStudies(workspace)) {
    // Deleted by another process since it was listed: left out, as if listed a moment later.
    std::optional<storage::StudyRecord> record = storage::findStudy(workspace, info.name);
    if (!record) continue;
    auto result = std::make_shared<reco::StudyResult>();
    result->finals.resize(record->models.size());
    for (std::size_t m = 0; m < record->models.size(); ++m) {
      const auto& run = record->models[m].run;
      const auto found = run ? runs.find(*run) : runs.end();
      if (found == runs.end()) continue;  // none, or deleted since: run.id stays 0
      result->finals[m].run = found->second;
      // The full-ranking values only: a sampled metric of the same name is another number.
      for (auto& metric : storage::runMetrics(workspace, *run))
        if (!metric.sampled) result->finals[m].metrics.push_back(std::move(metric));
    }
    StoredStudy study;
    if (const auto dataset = workspace.findDataset(info.datasetId))
      study.datasetName = dataset->name;
    if (const auto split = storage::findSplit(workspace, info.splitId))
      study.splitName = split->name;
    result->record = std::move(*record);
    study.result = std::move(result);
    studies->push_back(std::move(study));
  }
  return studies;
}

void StudyLoader::load(const QString& path) {
  const std::string file = toStdString(path);
  const int generation = ++generation_;
  wanted_ = generation;
  runBackgroundTask<std::vector<StoredStudy>>(
      this, jobs_, QStringLiteral("Reading studies"), [file] { return readStudies(file); },
      [this, generation, path](const TaskResult<std::vector<StoredStudy>>& result) {
        if (wanted_ != generation) return;  // superseded or cancelled
        wanted_ = 0;
        if (result.error) {
          emit loadFailed(path, WorkspaceLoader::describeError(result.error));
        } else {
          emit loaded(path, result.value);
        }
      });
}

}  // namespace reco::ui
