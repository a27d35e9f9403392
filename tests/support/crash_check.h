#pragma once
// Test support for the crash tests (issue 16): a workspace's content as a fingerprint that is
// cheap for a few hundred thousand rows, PRAGMA integrity_check, fresh copies of a workspace,
// and `reco` started in the background so that it can be killed or raced.

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/storage/database.h"
#include "tests/support/cli_runner.h"

namespace reco::testing {

/// Columns whose value is a clock reading, different in every run of the same command.
inline bool isClockColumn(const std::string& column) {
  static const std::set<std::string> kClocks{"created_at", "started_at",    "finished_at",
                                             "seconds",    "train_seconds", "eval_seconds",
                                             "peak_memory"};
  return kClocks.count(column) > 0;
}

/// JSON text with the values of its clock keys ("fit_seconds": 0.31, a tuning candidate's
/// time) blanked.
inline std::string withoutClocks(const std::string& json) {
  static const std::regex kClock(R"re(("[A-Za-z_]*seconds"\s*:\s*)[-+0-9.eE]+)re");
  return std::regex_replace(json, kClock, "$1_");
}

/// Every table as "name: rows, hash of its rows" (the hash a sum over rows, so independent of
/// their order). With `ignoreClocks`, the clock columns above are left out, so that two runs
/// of the same deterministic command give the same fingerprint (in JSON text too).
inline std::string fingerprint(const QString& path, bool ignoreClocks) {
  storage::Database db(path.toStdString(), storage::Database::Mode::ReadOnly);
  std::vector<std::string> tables;
  {
    storage::Statement st(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    while (st.step()) tables.push_back(st.columnText(0));
  }
  std::string out;
  for (const auto& table : tables) {
    std::string columns;
    storage::Statement info(db, "SELECT name FROM pragma_table_info(?1)");
    info.bind(1, table);
    while (info.step()) {
      const std::string column = info.columnText(0);
      if (ignoreClocks && isClockColumn(column)) continue;
      columns += (columns.empty() ? "\"" : ", \"") + column + "\"";
    }
    storage::Statement rows(db, "SELECT " + columns + " FROM \"" + table + "\"");
    std::uint64_t sum = 0, count = 0;
    while (rows.step()) {
      std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over the row's fields
      for (int c = 0; c < rows.columnCount(); ++c) {
        std::string field = rows.isNull(c) ? std::string("\x01NULL") : rows.columnText(c);
        if (ignoreClocks && field.starts_with('{')) field = withoutClocks(field);
        for (const unsigned char ch : field + '\x1f') h = (h ^ ch) * 1099511628211ULL;
      }
      sum += h;
      ++count;
    }
    out += table + ": " + std::to_string(count) + " rows, " + std::to_string(sum) + "\n";
  }
  return out;
}

/// The rows of `sql` (with ?1 bound to `name`) as "rows, hash", independent of their order;
/// JSON text has its clock values blanked (withoutClocks).
inline std::string digest(storage::Database& db, const std::string& sql, const std::string& name) {
  storage::Statement rows(db, sql);
  if (sql.find("?1") != std::string::npos) rows.bind(1, name);
  std::uint64_t sum = 0, count = 0;
  while (rows.step()) {
    std::uint64_t h = 1469598103934665603ULL;
    for (int c = 0; c < rows.columnCount(); ++c) {
      std::string field = rows.isNull(c) ? std::string("\x01NULL") : rows.columnText(c);
      if (field.starts_with('{')) field = withoutClocks(field);
      for (const unsigned char ch : field + '\x1f') h = (h ^ ch) * 1099511628211ULL;
    }
    sum += h;
    ++count;
  }
  return std::to_string(count) + " rows, " + std::to_string(sum) + "\n";
}

/// One stored object by name, without ids or clocks, so that the same command gives the same
/// text whatever else the workspace holds or the order things were stored in.
inline std::string runSummary(const QString& path, const std::string& run) {
  storage::Database db(path.toStdString(), storage::Database::Mode::ReadOnly);
  const std::string byName = " JOIN runs r ON r.id = t.run_id WHERE r.name = ?1";
  return digest(db,
                "SELECT model, options, seed, status, error, protocol, eval_users FROM runs "
                "WHERE name = ?1",
                run) +
         digest(db, "SELECT t.metric, t.mean, t.ci_low, t.ci_high, t.n FROM run_metrics t" + byName,
                run) +
         digest(db, "SELECT t.epoch, t.loss FROM run_epochs t" + byName, run) +
         digest(db, "SELECT t.metric, t.vals FROM run_user_values t" + byName, run) +
         digest(db, "SELECT t.user_idx, t.items, t.scores FROM run_recommendations t" + byName,
                run) +
         digest(db, "SELECT t.bytes, t.data FROM run_models t" + byName, run);
}

inline std::string datasetSummary(const QString& path, const std::string& dataset) {
  storage::Database db(path.toStdString(), storage::Database::Mode::ReadOnly);
  return digest(db,
                "SELECT name, feedback, n_users, n_items, n_interactions, first_time, last_time "
                "FROM datasets WHERE name = ?1",
                dataset) +
         digest(db,
                "SELECT t.user_idx, t.seq, t.item_idx, t.time, t.event, t.value FROM interactions "
                "t JOIN datasets d ON d.id = t.dataset_id WHERE d.name = ?1",
                dataset) +
         digest(db,
                "SELECT t.idx, t.external_id FROM users t JOIN datasets d ON d.id = t.dataset_id "
                "WHERE d.name = ?1",
                dataset) +
         digest(db,
                "SELECT t.idx, t.external_id, t.title FROM items t JOIN datasets d ON d.id = "
                "t.dataset_id WHERE d.name = ?1",
                dataset);
}

inline std::string splitSummary(const QString& path, const std::string& split) {
  storage::Database db(path.toStdString(), storage::Database::Mode::ReadOnly);
  return digest(
             db,
             "SELECT name, protocol, options, n_train, n_valid, n_test FROM splits WHERE name = ?1",
             split) +
         digest(db,
                "SELECT t.user_idx, t.item_idx, t.part FROM split_pairs t JOIN splits s ON s.id = "
                "t.split_id WHERE s.name = ?1",
                split);
}

/// PRAGMA integrity_check's answer, "ok" for a sound file (opened as `reco` opens it, so a
/// WAL left by a killed process is recovered first).
inline std::string integrityCheck(const QString& path) {
  storage::Database db(path.toStdString(), storage::Database::Mode::ReadWrite);
  storage::Statement st(db, "PRAGMA integrity_check");
  std::string result;
  while (st.step()) result += (result.empty() ? "" : "; ") + st.columnText(0);
  return result;
}

/// A fresh copy of the workspace `from` at `to` (its -wal and -shm gone first).
inline bool copyWorkspace(const QString& from, const QString& to) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) QFile::remove(to + suffix);
  return QFile::copy(from, to);
}

/// `reco` with these arguments, started now, its output in files beside `outputBase`
/// (no pipe that could fill and stall it).
inline void startCli(QProcess& process, const QStringList& args, const QString& outputBase) {
  process.setStandardOutputFile(outputBase + ".out");
  process.setStandardErrorFile(outputBase + ".err");
  process.start(cliPath(), args);
}

inline QByteArray fileText(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace reco::testing
