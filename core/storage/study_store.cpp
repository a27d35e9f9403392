#include "core/storage/study_store.h"

#include "core/common/clock.h"
#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/delete_shown.h"

namespace reco::storage {
namespace {

const char* const kInfoColumns =
    "s.id, s.name, s.dataset_id, s.split_id, s.search, s.budget_trials, s.budget_seconds, "
    "s.metric, s.seed, s.options, s.created_at, s.seconds, "
    "(SELECT COUNT(*) FROM study_trials t WHERE t.study_id = s.id)";

StudyInfo readInfo(const Statement& row) {
  StudyInfo info;
  info.id = row.columnInt(0);
  info.name = row.columnText(1);
  info.datasetId = row.columnInt(2);
  info.splitId = row.columnInt(3);
  info.search = row.columnText(4);
  if (const auto trials = row.columnOptionalInt(5)) info.budgetTrials = int(*trials);
  info.budgetSeconds = row.columnOptionalDouble(6);
  info.metric = row.columnText(7);
  info.seed = std::uint64_t(row.columnInt(8));
  info.optionsJson = row.columnText(9);
  info.createdAt = row.columnInt(10);
  info.seconds = row.columnDouble(11);
  info.trialCount = std::size_t(row.columnInt(12));
  return info;
}

// A stored index that must point into a list of `size`: a damaged workspace is a Workspace
// error naming the study, never an index past the end.
std::size_t checkedIndex(std::int64_t value, std::size_t size, const StudyInfo& info,
                         const char* what) {
  RECO_CHECK(value >= 0 && std::uint64_t(value) < size, ErrorKind::Workspace,
             "study '" + info.name + "' is damaged: " + what + " " + std::to_string(value) +
                 " is outside 0.." + std::to_string(size));
  return std::size_t(value);
}

StudyRecord loadWhole(Workspace& workspace, StudyInfo info) {
  Database& db = workspace.db();
  StudyRecord record;
  {
    Statement select(db,
                     "SELECT position, model, space, best_trial, run_id FROM study_models "
                     "WHERE study_id = ? ORDER BY position");
    select.bind(1, info.id);
    while (select.step()) {
      RECO_CHECK(select.columnInt(0) == std::int64_t(record.models.size()), ErrorKind::Workspace,
                 "study '" + info.name + "' is damaged: its models are not numbered 0, 1, ...");
      StudyModel model;
      model.model = select.columnText(1);
      model.spaceJson = select.columnText(2);
      if (const auto best = select.columnOptionalInt(3)) model.best = std::size_t(*best);
      model.run = select.columnOptionalInt(4);
      record.models.push_back(std::move(model));
    }
  }
  {
    Statement select(db,
                     "SELECT trial, position, idx, validation, fit_seconds, seconds, error "
                     "FROM study_trials WHERE study_id = ? ORDER BY trial");
    Statement options(db,
                      "SELECT option, value FROM study_trial_options "
                      "WHERE study_id = ? AND trial = ? ORDER BY option");
    select.bind(1, info.id);
    while (select.step()) {
      RECO_CHECK(select.columnInt(0) == std::int64_t(record.trials.size()), ErrorKind::Workspace,
                 "study '" + info.name + "' is damaged: its trials are not numbered 0, 1, ...");
      StudyTrial trial;
      trial.model = checkedIndex(select.columnInt(1), record.models.size(), info, "model");
      trial.index = int(select.columnInt(2));
      trial.validation = select.columnOptionalDouble(3);
      trial.fitSeconds = select.columnDouble(4);
      trial.seconds = select.columnDouble(5);
      trial.error = select.columnText(6);
      options.reset();
      options.bind(1, info.id).bind(2, std::int64_t(record.trials.size()));
      while (options.step()) trial.options[options.columnText(0)] = options.columnText(1);
      record.trials.push_back(std::move(trial));
    }
  }
  for (auto& model : record.models)
    if (model.best)
      model.best =
          checkedIndex(std::int64_t(*model.best), record.trials.size(), info, "best trial");
  record.info = std::move(info);
  return record;
}

}  // namespace

StudyId saveStudy(Workspace& workspace, StudyRecord& record) {
  StudyInfo& info = record.info;
  RECO_CHECK(!info.name.empty(), ErrorKind::Config, "a study needs a name");
  RECO_CHECK(info.budgetTrials.has_value() != info.budgetSeconds.has_value(), ErrorKind::Config,
             "a study has one budget: trials or seconds");
  for (const auto& trial : record.trials)
    RECO_CHECK(trial.model < record.models.size(), ErrorKind::Config,
               "study '" + info.name + "': a trial of model " + std::to_string(trial.model) +
                   ", which the study does not have");
  for (const auto& model : record.models)
    RECO_CHECK(!model.best || *model.best < record.trials.size(), ErrorKind::Config,
               "study '" + info.name + "': model '" + model.model + "' names a best trial " +
                   std::to_string(*model.best) + " it does not have");
  Database& db = workspace.db();
  Transaction tx(db);
  {
    Statement exists(db, "SELECT 1 FROM studies WHERE name = ?");
    exists.bind(1, info.name);
    RECO_CHECK(!exists.step(), ErrorKind::Config,
               "study '" + info.name + "' exists already: choose another --study name");
  }
  const auto split = findSplit(workspace, info.splitId);
  RECO_CHECK(split && split->datasetId == info.datasetId, ErrorKind::Config,
             "study '" + info.name + "': its split is not in the workspace any more");
  if (info.createdAt == 0) info.createdAt = unixNow();
  Statement(db,
            "INSERT INTO studies (name, dataset_id, split_id, search, budget_trials, "
            "budget_seconds, metric, seed, options, created_at, seconds) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, info.name)
      .bind(2, info.datasetId)
      .bind(3, info.splitId)
      .bind(4, info.search)
      .bind(5, info.budgetTrials ? std::optional<std::int64_t>(*info.budgetTrials) : std::nullopt)
      .bind(6, info.budgetSeconds)
      .bind(7, info.metric)
      .bind(8, std::int64_t(info.seed))
      .bind(9, info.optionsJson)
      .bind(10, info.createdAt)
      .bind(11, info.seconds)
      .run();
  info.id = db.lastInsertRowId();
  Statement model(db,
                  "INSERT INTO study_models (study_id, position, model, space, best_trial, "
                  "run_id) VALUES (?, ?, ?, ?, ?, ?)");
  for (std::size_t m = 0; m < record.models.size(); ++m) {
    const StudyModel& entry = record.models[m];
    const auto best = entry.best ? std::optional<std::int64_t>(*entry.best) : std::nullopt;
    model.bind(1, info.id)
        .bind(2, std::int64_t(m))
        .bind(3, entry.model)
        .bind(4, entry.spaceJson)
        .bind(5, best)
        .bind(6, entry.run)
        .run();
  }
  Statement trial(db,
                  "INSERT INTO study_trials (study_id, trial, position, idx, validation, "
                  "fit_seconds, seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  Statement option(db,
                   "INSERT INTO study_trial_options (study_id, trial, option, value) "
                   "VALUES (?, ?, ?, ?)");
  for (std::size_t t = 0; t < record.trials.size(); ++t) {
    const StudyTrial& entry = record.trials[t];
    trial.bind(1, info.id)
        .bind(2, std::int64_t(t))
        .bind(3, std::int64_t(entry.model))
        .bind(4, entry.index)
        .bind(5, entry.validation)
        .bind(6, entry.fitSeconds)
        .bind(7, entry.seconds)
        .bind(8, entry.error)
        .run();
    for (const auto& [key, value] : entry.options)
      option.bind(1, info.id).bind(2, std::int64_t(t)).bind(3, key).bind(4, value).run();
  }
  tx.commit();
  info.trialCount = record.trials.size();
  return info.id;
}

std::vector<StudyInfo> listStudies(Workspace& workspace, std::optional<DatasetId> dataset) {
  Statement select(workspace.db(), std::string("SELECT ") + kInfoColumns +
                                       " FROM studies s WHERE ? IS NULL OR s.dataset_id = ? "
                                       "ORDER BY s.name");
  select.bind(1, dataset).bind(2, dataset);
  std::vector<StudyInfo> out;
  while (select.step()) out.push_back(readInfo(select));
  return out;
}

std::optional<StudyRecord> findStudy(Workspace& workspace, const std::string& name) {
  std::optional<StudyInfo> info;
  {
    Statement select(workspace.db(),
                     std::string("SELECT ") + kInfoColumns + " FROM studies s WHERE s.name = ?");
    select.bind(1, name);
    if (select.step()) info = readInfo(select);
  }
  if (!info) return std::nullopt;
  return loadWhole(workspace, std::move(*info));
}

StudyRecord requireStudy(Workspace& workspace, const std::string& name) {
  if (auto found = findStudy(workspace, name)) return std::move(*found);
  std::string names;
  for (const auto& study : listStudies(workspace))
    names += (names.empty() ? "" : ", ") + study.name;
  throw Error(ErrorKind::Config,
              "no study named '" + name + "'" +
                  (names.empty() ? " (there are none: reco tune --budget makes one)"
                                 : " (studies: " + names + ")"));
}

void deleteStudy(Workspace& workspace, const StudyInfo& shown) {
  // The schema cascades to the study's models, trials and their options.
  deleteShownRow(workspace,
                 {"studies", "created_at", "study", shown.id, shown.name, shown.createdAt});
}

}  // namespace reco::storage
