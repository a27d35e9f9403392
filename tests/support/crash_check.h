#pragma once
// Test support for the crash tests (issue 16): workspace_fingerprint.h's fingerprint and
// integrity check for a QString path, one stored object's digest by name, fresh copies of a
// workspace, and `reco` started in the background so that it can be killed or raced.

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <string>

#include "core/storage/database.h"
#include "tests/support/cli_runner.h"
#include "tests/support/workspace_fingerprint.h"

namespace reco::testing {

/// fingerprint (workspace_fingerprint.h) of the workspace at `path`.
inline std::string fingerprint(const QString& path, bool ignoreClocks) {
  return fingerprint(path.toStdString(), ignoreClocks);
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
         digest(db, "SELECT t.bytes, t.data FROM run_models t" + byName, run) +
         digest(db, "SELECT t.part, t.data FROM run_model_parts t" + byName + " ORDER BY t.part",
                run);
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

inline std::string integrityCheck(const QString& path) {
  return integrityCheck(path.toStdString());
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
