#pragma once
/// Tuning studies in the workspace (schema 7; training/tuning_study.h runs them). A study is
/// written whole, in one transaction, once every model's search and final run are done: a
/// cancelled or failed study leaves no study behind. Its final runs are ordinary runs; a
/// study names them, and deleting such a run leaves the study with no run for that model.
/// Deleting the dataset or the split deletes its studies.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/models/model_options.h"
#include "core/storage/run_store.h"
#include "core/storage/workspace.h"

namespace reco::storage {

using StudyId = std::int64_t;

/// One finished trial: one model's options fitted on the training part and scored on the
/// validation part.
struct StudyTrial {
  std::size_t model = 0;  ///< index into StudyRecord::models (the study's order of models)
  int index = 0;          ///< 0-based trial number within its model, in the order they ran
  OptionValues options;   ///< the options the model was built with (fixed and searched)
  std::optional<double> validation;  ///< the metric on the validation part; nullopt: failed
  double fitSeconds = 0;             ///< the fit alone
  double seconds = 0;                ///< fit and validation scoring
  std::string error;                 ///< why a failed trial failed
};

struct StudyModel {
  std::string model;                ///< registry name
  std::string spaceJson = "[]";     ///< the search space (searchSpaceJson), for the reader
  std::optional<std::size_t> best;  ///< index into StudyRecord::trials; nullopt: none completed
  std::optional<RunId> run;         ///< the final run; nullopt when none (or deleted since)
};

struct StudyInfo {
  StudyId id = 0;
  std::string name;  ///< unique in the workspace
  DatasetId datasetId = 0;
  SplitId splitId = 0;
  std::string search;               ///< "grid", "random", "smbo"
  std::optional<int> budgetTrials;  ///< exactly one of the two budgets is set
  std::optional<double> budgetSeconds;
  std::string metric;  ///< what was maximised on the validation part
  std::uint64_t seed = 42;
  std::string optionsJson = "{}";  ///< the study's other settings, as a JSON object
  std::int64_t createdAt = 0;      ///< Unix seconds; 0 on save means now
  double seconds = 0;              ///< wall time of the whole study
  std::size_t trialCount = 0;      ///< filled by listStudies and loadStudy
};

struct StudyRecord {
  StudyInfo info;
  std::vector<StudyModel> models;
  std::vector<StudyTrial> trials;  ///< in the order they finished across the study
};

/// Stores the study in one transaction and sets info.id. Throws Config when the name is
/// empty or taken ("study 'NAME' exists already"), when the split is not in the workspace,
/// or when a trial names a model or a best trial that is not in the record. The caller has
/// called Workspace::prepareForWriting.
StudyId saveStudy(Workspace& workspace, StudyRecord& record);
/// Every study of the workspace (of `dataset` when given), by name (byte order), without
/// models and trials.
std::vector<StudyInfo> listStudies(Workspace& workspace,
                                   std::optional<DatasetId> dataset = std::nullopt);
/// The whole study, or nullopt when there is none of that name.
std::optional<StudyRecord> findStudy(Workspace& workspace, const std::string& name);
/// The study called `name`; throws Config listing the studies there are.
StudyRecord requireStudy(Workspace& workspace, const std::string& name);
/// Deletes the study as `shown` (its id, name and creation time; delete_shown.h) with its
/// trials, in one transaction; its final runs stay. Error(Workspace) when it is not there so.
void deleteStudy(Workspace& workspace, const StudyInfo& shown);

}  // namespace reco::storage
