#include "core/storage/run_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/common/error.h"
#include "core/storage/delete_shown.h"

namespace reco::storage {

namespace {

template <class T>
std::string pack(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <class T>
std::vector<T> unpack(const std::string& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

constexpr const char* kRunColumns =
    "SELECT id, name, dataset_id, split_id, model, options, seed, dataset_hash, device, threads, "
    "status, error, "
    "started_at, finished_at, train_seconds, eval_seconds, peak_memory, protocol FROM runs ";

RunInfo readRunRow(Statement& st) {
  RunInfo r;
  r.id = st.columnInt(0);
  r.name = st.columnText(1);
  r.datasetId = st.columnInt(2);
  r.splitId = st.columnInt(3);
  r.model = st.columnText(4);
  r.optionsJson = st.columnText(5);
  r.seed = std::uint64_t(st.columnInt(6));
  r.datasetHash = st.columnText(7);
  r.device = st.columnText(8);
  r.threads = int(st.columnInt(9));
  r.status = st.columnText(10);
  r.error = st.columnText(11);
  r.startedAt = st.columnInt(12);
  r.finishedAt = st.columnOptionalInt(13);
  r.trainSeconds = st.columnOptionalDouble(14);
  r.evalSeconds = st.columnOptionalDouble(15);
  r.peakMemory = st.columnOptionalInt(16);
  r.protocolJson = st.columnText(17);
  return r;
}

void writeEvaluation(Database& db, RunId run, const RunRecord& record) {
  Statement users(db, "UPDATE runs SET eval_users = ?1, eval_seconds = ?2 WHERE id = ?3");
  users.bindBlob(1, pack(record.evalUsers)).bind(2, record.info.evalSeconds).bind(3, run).run();
  Statement metric(db,
                   "INSERT INTO run_metrics(run_id, metric, mean, ci_low, ci_high, n, sampled) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const auto& m : record.metrics) {
    // A metric that no user defines (n = 0: AUC when every item is a test item, the
    // long-tail recall of a split without tail items) has no mean; it is left out, and
    // the comparison shows it as missing, instead of failing the whole run's store.
    if (!std::isfinite(m.mean)) continue;
    metric.bind(1, run)
        .bind(2, m.metric)
        .bind(3, m.mean)
        .bind(4, m.ciLow)
        .bind(5, m.ciHigh)
        .bind(6, m.n)
        .bind(7, std::int64_t(m.sampled))
        .run();
  }
  Statement values(db, "INSERT INTO run_user_values(run_id, metric, vals) VALUES (?1, ?2, ?3)");
  for (const auto& [name, v] : record.userValues) {
    RECO_CHECK(v.size() == record.evalUsers.size(), ErrorKind::Internal,
               "per-user values of " + name + " misaligned");
    values.bind(1, run).bind(2, name).bindBlob(3, pack(v)).run();
  }
  Statement top(
      db,
      "INSERT INTO run_recommendations(run_id, user_idx, items, scores) VALUES (?1, ?2, ?3, ?4)");
  for (const auto& list : record.recommendations)
    top.bind(1, run)
        .bind(2, std::int64_t(list.user))
        .bindBlob(3, pack(list.items))
        .bindBlob(4, pack(list.scores))
        .run();
}

// One run_models row; a model over partBytes has its bytes in run_model_parts instead (data
// empty), each part bound on its own, so no value reaches SQLite's limit.
void writeModel(Database& db, RunId run, const std::string& model, std::size_t partBytes) {
  RECO_CHECK(partBytes > 0, ErrorKind::Internal, "a model part size of 0 bytes");
  const bool inParts = model.size() > partBytes;
  Statement row(db, "INSERT INTO run_models(run_id, bytes, data) VALUES (?1, ?2, ?3)");
  row.bind(1, run)
      .bind(2, std::int64_t(model.size()))
      // Not a null pointer for the empty value: SQLite would bind NULL.
      .bindBlob(3, std::string_view(model.data(), inParts ? 0 : model.size()), true)
      .run();
  if (!inParts) return;
  Statement part(db, "INSERT INTO run_model_parts(run_id, part, data) VALUES (?1, ?2, ?3)");
  std::int64_t index = 0;
  for (std::size_t at = 0; at < model.size(); at += partBytes, ++index)
    part.bind(1, run)
        .bind(2, index)
        .bindBlob(3, std::string_view(model).substr(at, partBytes), true)
        .run();
}

}  // namespace

RunId saveRun(Workspace& workspace, RunRecord& record, TakenName taken,
              std::size_t modelPartBytes) {
  Database& db = workspace.db();
  Transaction tx(db);
  if (findRun(workspace, record.info.name)) {
    if (taken == TakenName::Refuse)
      throw Error(ErrorKind::Config,
                  "a run named '" + record.info.name + "' exists already: choose another --name");
    record.info.name = uniqueRunName(workspace, record.info.name);
  }
  const RunInfo& r = record.info;
  Statement insert(
      db,
      "INSERT INTO runs(name, dataset_id, split_id, model, options, seed, dataset_hash, device, "
      "threads, status, "
      "error, started_at, finished_at, train_seconds, eval_seconds, peak_memory, protocol) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  insert.bind(1, r.name)
      .bind(2, r.datasetId)
      .bind(3, r.splitId)
      .bind(4, r.model)
      .bind(5, r.optionsJson)
      .bind(6, std::int64_t(r.seed))
      .bind(7, r.datasetHash)
      .bind(8, r.device)
      .bind(9, r.threads)
      .bind(10, r.status)
      .bind(11, r.error)
      .bind(12, r.startedAt)
      .bind(13, r.finishedAt)
      .bind(14, r.trainSeconds)
      .bind(15, r.evalSeconds)
      .bind(16, r.peakMemory)
      .bind(17, r.protocolJson)
      .run();
  const RunId id = db.lastInsertRowId();
  Statement epoch(db,
                  "INSERT INTO run_epochs(run_id, epoch, loss, validation, validation_metric, "
                  "seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const auto& e : record.epochs)
    epoch.bind(1, id)
        .bind(2, e.epoch)
        .bind(3, e.loss)
        .bind(4, e.validation)
        .bind(5, e.validationMetric)
        .bind(6, e.seconds)
        .run();
  writeEvaluation(db, id, record);
  if (!record.model.empty()) writeModel(db, id, record.model, modelPartBytes);
  tx.commit();
  return id;
}

void replaceEvaluation(Workspace& workspace, RunId run, const RunRecord& record) {
  Database& db = workspace.db();
  Transaction tx(db);
  for (const char* table : {"run_metrics", "run_user_values", "run_recommendations"}) {
    Statement del(db, std::string("DELETE FROM ") + table + " WHERE run_id = ?1");
    del.bind(1, run).run();
  }
  writeEvaluation(db, run, record);
  tx.commit();
}

std::vector<RunInfo> listRuns(Workspace& workspace) {
  std::vector<RunInfo> out;
  Statement st(workspace.db(), std::string(kRunColumns) + "ORDER BY id");
  while (st.step()) out.push_back(readRunRow(st));
  return out;
}

std::optional<RunInfo> findRun(Workspace& workspace, const std::string& name) {
  Statement st(workspace.db(), std::string(kRunColumns) + "WHERE name = ?1");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return readRunRow(st);
}

RunInfo requireRun(Workspace& workspace, const std::string& name) {
  if (auto run = findRun(workspace, name)) return *run;
  std::string names;
  for (const auto& r : listRuns(workspace)) names += (names.empty() ? "" : ", ") + r.name;
  throw Error(ErrorKind::Config,
              "no run named '" + name + "'" +
                  (names.empty() ? " (the workspace has no runs)" : " (runs: " + names + ")"));
}

std::string uniqueRunName(Workspace& workspace, const std::string& base) {
  if (!findRun(workspace, base)) return base;
  for (int n = 2;; ++n)
    if (!findRun(workspace, base + "-" + std::to_string(n))) return base + "-" + std::to_string(n);
}

std::vector<EpochReport> runEpochs(Workspace& workspace, RunId run) {
  std::vector<EpochReport> out;
  Statement st(workspace.db(),
               "SELECT epoch, loss, validation, validation_metric, seconds FROM run_epochs WHERE "
               "run_id = ?1 ORDER BY epoch");
  st.bind(1, run);
  while (st.step()) {
    EpochReport e;
    e.epoch = int(st.columnInt(0));
    e.loss = st.columnDouble(1);
    e.validation = st.columnOptionalDouble(2);
    e.validationMetric = st.columnText(3);
    e.seconds = st.columnDouble(4);
    out.push_back(e);
  }
  return out;
}

std::vector<MetricAggregate> runMetrics(Workspace& workspace, RunId run) {
  std::vector<MetricAggregate> out;
  Statement st(workspace.db(),
               "SELECT metric, mean, ci_low, ci_high, n, sampled FROM run_metrics WHERE run_id = "
               "?1 ORDER BY rowid");
  st.bind(1, run);
  while (st.step())
    out.push_back({st.columnText(0), st.columnDouble(1), st.columnOptionalDouble(2),
                   st.columnOptionalDouble(3), st.columnInt(4), st.columnInt(5) != 0});
  return out;
}

std::vector<std::int32_t> runEvalUsers(Workspace& workspace, RunId run) {
  Statement st(workspace.db(), "SELECT eval_users FROM runs WHERE id = ?1");
  st.bind(1, run);
  if (!st.step() || st.isNull(0)) return {};
  return unpack<std::int32_t>(st.columnText(0));
}

std::vector<double> runUserValues(Workspace& workspace, RunId run, const std::string& metric) {
  // A scan, never a seek (stored_model.cpp says why): at a million users each value is
  // several MB, and a seek read ~60 ms of other runs' values for each one.
  Statement st(workspace.db(),
               "SELECT vals FROM run_user_values WHERE +run_id = ?1 AND +metric = ?2");
  st.bind(1, run).bind(2, metric);
  if (!st.step()) return {};
  return unpack<double>(st.columnText(0));
}

namespace {
/// Readers pair a list's items[i] with scores[i]: a damaged list (one count changed) is
/// refused, never read past its scores or shown with a made-up score.
void requireScorePerItem(RunId run, std::int32_t user, std::size_t items, std::size_t scores) {
  if (items != scores)
    throw Error(ErrorKind::Workspace, "the workspace is damaged: run " + std::to_string(run) +
                                          " lists " + std::to_string(items) + " items with " +
                                          std::to_string(scores) + " scores for user index " +
                                          std::to_string(user));
}
}  // namespace

std::optional<TopNList> runRecommendations(Workspace& workspace, RunId run, std::int32_t user) {
  Statement st(workspace.db(),
               "SELECT items, scores FROM run_recommendations WHERE run_id = ?1 AND user_idx = ?2");
  st.bind(1, run).bind(2, std::int64_t(user));
  if (!st.step()) return std::nullopt;
  TopNList list{user, unpack<std::int32_t>(st.columnText(0)), unpack<float>(st.columnText(1))};
  requireScorePerItem(run, user, list.items.size(), list.scores.size());
  return list;
}

std::optional<ItemAudience> runItemAudience(Workspace& workspace, RunId run, std::int32_t item,
                                            std::stop_token stop) {
  Statement st(workspace.db(),
               "SELECT user_idx, items, scores FROM run_recommendations WHERE run_id = ?1 "
               "ORDER BY user_idx");
  st.bind(1, run);
  ItemAudience audience;
  // Each list is searched where SQLite holds it: copying every list out cost two
  // allocations per user, most of the pass at a million users.
  char wanted[sizeof item];
  std::memcpy(wanted, &item, sizeof item);
  while (st.step()) {
    if ((audience.listedUsers & 4095) == 0 && stop.stop_requested()) return std::nullopt;
    ++audience.listedUsers;
    const std::string_view items = st.columnBytes(1);
    const std::size_t count = items.size() / sizeof item;
    std::size_t rank = 0;
    while (rank < count && std::memcmp(items.data() + rank * sizeof item, wanted, sizeof item) != 0)
      ++rank;
    if (rank == count) continue;
    const auto user = std::int32_t(st.columnInt(0));
    const std::string_view scores = st.columnBytes(2);
    requireScorePerItem(run, user, count, scores.size() / sizeof(float));
    float score = 0;
    std::memcpy(&score, scores.data() + rank * sizeof score, sizeof score);
    audience.members.push_back({user, std::int32_t(rank + 1), score});
  }
  return audience;
}

void deleteRun(Workspace& workspace, const RunInfo& shown) {
  deleteShownRow(workspace, {"runs", "started_at", "run", shown.id, shown.name, shown.startedAt});
}

}  // namespace reco::storage
