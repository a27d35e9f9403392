#include "core/storage/workspace.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/storage/delete_shown.h"
#include "core/storage/schema.h"

namespace reco::storage {

namespace fs = std::filesystem;

namespace {

constexpr char kSqliteMagic[] = "SQLite format 3";  // followed by a NUL: 16 bytes

// Refuses, before SQLite touches it, any existing file that is not a SQLite database.
void checkSqliteHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::Workspace,
                "cannot read workspace " + path + ": no permission or not a regular file");
  char header[16] = {};
  in.read(header, sizeof header);
  if (in.gcount() < 16 || std::memcmp(header, kSqliteMagic, 16) != 0) {
    std::string found;
    for (std::streamsize i = 0; i < std::min<std::streamsize>(in.gcount(), 12); ++i) {
      const unsigned char c = static_cast<unsigned char>(header[i]);
      found += (c >= 32 && c < 127) ? std::string(1, char(c))
                                    : "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) +
                                          "0123456789abcdef"[c & 15];
    }
    throw Error(ErrorKind::Workspace, path +
                                          " is not a Reco workspace: expected a SQLite file "
                                          "(starting with 'SQLite format 3'), found '" +
                                          found + "'. The file was left untouched.");
  }
}

DatasetInfo readDatasetRow(Statement& st) {
  DatasetInfo info;
  info.id = st.columnInt(0);
  info.name = st.columnText(1);
  info.format = st.columnText(2);
  info.source = st.columnText(3);
  info.feedback = st.columnText(4);
  info.options = st.columnText(5);
  info.contentHash = st.columnText(6);
  info.createdAt = st.columnInt(7);
  info.users = st.columnInt(8);
  info.items = st.columnInt(9);
  info.interactions = st.columnInt(10);
  info.firstTime = st.columnOptionalInt(11);
  info.lastTime = st.columnOptionalInt(12);
  return info;
}

constexpr const char* kDatasetColumns =
    "SELECT id, name, format, source, feedback, options, content_hash, created_at, n_users, "
    "n_items, "
    "n_interactions, first_time, last_time FROM datasets ";

}  // namespace

Workspace::Workspace(const std::string& path, OpenMode mode)
    : db_([&] {
        // SQLite opens "" as a private temporary database, deleted on close: whatever a
        // command stored there would be lost without a word.
        if (path.empty())
          throw Error(ErrorKind::Workspace, "expected a workspace file name, found ''");
        std::error_code ec;
        const bool exists = fs::exists(path, ec);
        if (ec)  // a symbolic link loop, a folder that cannot be searched
          throw Error(ErrorKind::Workspace, "cannot open workspace " + path + ": " +
                                                errorCodeText(ec) + " (expected a workspace file)");
        // SQLite resets a -wal (or deletes a -journal) it finds empty or stale beside its
        // database: a workspace made under such a name would vanish on the database's next
        // write.
        if (const auto database = sqliteCompanionOf(path))
          throw Error(ErrorKind::Workspace,
                      path + " is a file SQLite keeps beside the database " + *database +
                          " (its write-ahead log, shared memory or journal): expected a "
                          "workspace file; open " +
                          *database + " instead. The file was left untouched.");
        if (!exists && mode == OpenMode::OpenExisting)
          throw Error(ErrorKind::Workspace, "workspace " + path + " does not exist");
        if (exists && fs::is_directory(path, ec))
          throw Error(ErrorKind::Workspace, path + " is a folder: expected a workspace file");
        // Reading a named pipe's header would wait for a writer, for ever.
        if (exists && !fs::is_regular_file(path, ec))
          throw Error(ErrorKind::Workspace,
                      path +
                          " is not a regular file (a pipe, a device or a socket): expected a "
                          "workspace file. The file was left untouched.");
        if (exists && fs::file_size(path, ec) > 0) checkSqliteHeader(path);
        if (exists && fs::file_size(path, ec) == 0 && mode == OpenMode::OpenExisting)
          throw Error(ErrorKind::Workspace,
                      path +
                          " is an empty file, not a workspace (reco import creates one). "
                          "The file was left untouched.");
        return Database(path, exists ? Database::Mode::ReadWrite : Database::Mode::ReadWriteCreate);
      }()) {
  // Reading the header pages also surfaces "not a database" and "locked" here, before
  // anything is written.
  const auto appId = db_.queryInt("PRAGMA application_id").value_or(0);
  const auto version = db_.queryInt("PRAGMA user_version").value_or(0);
  const auto tables = db_.queryInt("SELECT count(*) FROM sqlite_schema").value_or(0);
  if (appId != kApplicationId && (appId != 0 || tables > 0)) {
    throw Error(ErrorKind::Workspace,
                path + " is a SQLite database of another application (application_id " +
                    std::to_string(appId) + ", " + std::to_string(tables) +
                    " schema objects), not a Reco workspace. The file was left untouched.");
  }
  if (version < 0) {
    throw Error(ErrorKind::Workspace,
                path + " has schema version " + std::to_string(version) + ": expected 0 to " +
                    std::to_string(kSchemaVersion) +
                    "; the file is damaged or was changed by hand. The file was left untouched.");
  }
  if (version > kSchemaVersion) {
    throw Error(ErrorKind::Workspace,
                path + " is a workspace of schema version " + std::to_string(version) +
                    ", newer than this build understands (" + std::to_string(kSchemaVersion) +
                    "): update Reco Workbench. The file was left untouched.");
  }
  // No quick_check here: it reads the whole file (seconds for a 10M-interaction
  // workspace). Corruption met later surfaces as SQLITE_CORRUPT, which Database maps to a
  // Workspace error saying the file is corrupt; nothing is ever rewritten to "repair" it.
  std::string journalMode;
  {
    Statement journal(db_, "PRAGMA journal_mode");
    journal.step();
    journalMode = journal.columnText(0);
  }  // finalized here: an open statement would hold a read transaction
  if (journalMode != "wal") db_.exec("PRAGMA journal_mode = WAL");
  db_.exec("PRAGMA synchronous = NORMAL");

  if (version < kSchemaVersion) {
    Transaction tx(db_);
    const auto& migrations = schemaMigrations();
    for (auto v = version; v < kSchemaVersion; ++v) db_.exec(migrations[std::size_t(v)]);
    db_.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db_.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    tx.commit();
  }
}

void Workspace::prepareForWriting(std::function<void(double waitedSeconds)> waiting,
                                  std::stop_token stop) {
  static std::mutex mutex;
  static std::set<std::string> checked;
  std::error_code ec;
  const std::string key = fs::weakly_canonical(fs::absolute(path(), ec), ec).string();
  bool check = false;
  {
    std::lock_guard lock(mutex);
    check = checked.insert(key).second;
  }
  if (check) {
    try {
      Statement quick(db_, "PRAGMA quick_check(1)");
      const std::string result = quick.step() ? quick.columnText(0) : std::string("no answer");
      if (result != "ok") throw Error(ErrorKind::Workspace, "found: " + result);
    } catch (const Error& error) {
      {
        std::lock_guard lock(mutex);
        checked.erase(key);
      }
      throw Error(ErrorKind::Workspace,
                  path() + " is damaged (PRAGMA quick_check: " + error.what() +
                      "); nothing was written to it. Restore it from a copy, or "
                      "open it with the sqlite3 shell's .recover.");
    }
  }
  // Whatever the lock says, a file SQLite could only open for reading fails every write:
  // said now, before any work, not after a fit (issue 11, point 28).
  if (db_.isReadOnly())
    throw Error(ErrorKind::Workspace,
                path() +
                    " is read-only (no write permission, or a read-only or immutable file): "
                    "nothing can be stored in it; copy it somewhere writable first");
  double lastReport = 0;
  db_.setBusyWait([waiting = std::move(waiting), stop, lastReport](double waited) mutable {
    if (stop.stop_requested()) return false;
    if (waiting && waited - lastReport >= 1.0) {
      lastReport = waited;
      waiting(waited);
    }
    return true;
  });
  Transaction probe(db_);  // BEGIN IMMEDIATE: fails at once on a read-only file, waits while locked
}

void Workspace::prepareForWriting(JobObserver* observer, std::stop_token stop) {
  prepareForWriting(
      [observer](double waited) {
        report(observer, Progress{"waiting for the workspace: another process is writing to it (" +
                                      std::to_string(std::int64_t(waited)) + " s)",
                                  0, 0});
      },
      stop);
}

std::vector<DatasetInfo> Workspace::datasets() {
  std::vector<DatasetInfo> out;
  Statement st(db_, std::string(kDatasetColumns) + "ORDER BY id");
  while (st.step()) out.push_back(readDatasetRow(st));
  return out;
}

std::optional<DatasetInfo> Workspace::findDataset(const std::string& name) {
  Statement st(db_, std::string(kDatasetColumns) + "WHERE name = ?1");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return readDatasetRow(st);
}

std::optional<DatasetInfo> Workspace::findDataset(DatasetId id) {
  Statement st(db_, std::string(kDatasetColumns) + "WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readDatasetRow(st);
}

DatasetInfo Workspace::requireDataset(const std::string& name) {
  if (auto found = findDataset(name)) return *found;
  std::string names;
  for (const auto& d : datasets()) names += (names.empty() ? "" : ", ") + d.name;
  throw Error(ErrorKind::Config, "no dataset named '" + name + "' in " + path() +
                                     (names.empty() ? " (the workspace has no datasets)"
                                                    : " (datasets: " + names + ")"));
}

DatasetInfo Workspace::resolveDataset(const std::string& name) {
  if (!name.empty()) return requireDataset(name);
  auto all = datasets();
  if (all.size() == 1) return all.front();
  if (all.empty())
    throw Error(ErrorKind::Config,
                "the workspace " + path() + " has no datasets: import one first");
  std::string names;
  for (const auto& d : all) names += (names.empty() ? "" : ", ") + d.name;
  throw Error(ErrorKind::Usage,
              "the workspace has several datasets (" + names + "): choose one with --dataset NAME");
}

std::string Workspace::uniqueDatasetName(const std::string& base) {
  const std::string stem = base.empty() ? "dataset" : base;
  if (!findDataset(stem)) return stem;
  for (int n = 2;; ++n) {
    const std::string candidate = stem + "-" + std::to_string(n);
    if (!findDataset(candidate)) return candidate;
  }
}

DatasetStats Workspace::stats(DatasetId id) {
  DatasetStats stats;
  auto info = findDataset(id);
  RECO_CHECK(info.has_value(), ErrorKind::Config, "no dataset with id " + std::to_string(id));
  stats.info = *info;
  Statement st(db_, "SELECT key, value FROM dataset_stats WHERE dataset_id = ?1");
  st.bind(1, id);
  auto assign = [](CountSummary& s, const std::string& key, double v) {
    if (key == "min")
      s.min = v;
    else if (key == "q25")
      s.q25 = v;
    else if (key == "median")
      s.median = v;
    else if (key == "q75")
      s.q75 = v;
    else if (key == "q90")
      s.q90 = v;
    else if (key == "q99")
      s.q99 = v;
    else if (key == "max")
      s.max = v;
    else if (key == "mean")
      s.mean = v;
  };
  while (st.step()) {
    const std::string key = st.columnText(0);
    const double v = st.columnDouble(1);
    if (key.rfind("user.", 0) == 0)
      assign(stats.perUser, key.substr(5), v);
    else if (key.rfind("item.", 0) == 0)
      assign(stats.perItem, key.substr(5), v);
  }
  Statement cats(db_,
                 "SELECT category, count(*), sum(n_interactions) FROM items WHERE dataset_id = ?1 "
                 "AND n_interactions > 0 "
                 "GROUP BY category ORDER BY 3 DESC, 1");
  cats.bind(1, id);
  while (cats.step())
    stats.categories.push_back({cats.columnText(0), cats.columnInt(1), cats.columnInt(2)});
  Statement events(db_,
                   "SELECT name, weight, n_interactions FROM event_types WHERE dataset_id = ?1 "
                   "ORDER BY n_interactions DESC, name");
  events.bind(1, id);
  while (events.step())
    stats.events.push_back({events.columnText(0), events.columnDouble(1), events.columnInt(2)});
  return stats;
}

ImportReport Workspace::importReport(DatasetId id) {
  ImportReport report;
  Statement st(
      db_, "SELECT rows_read, rows_kept, seconds, notes FROM import_reports WHERE dataset_id = ?1");
  st.bind(1, id);
  if (!st.step()) return report;
  report.rowsRead = st.columnInt(0);
  report.rowsKept = st.columnInt(1);
  report.seconds = st.columnDouble(2);
  const std::string notes = st.columnText(3);
  for (std::size_t start = 0; start < notes.size();) {
    const auto end = std::min(notes.find('\n', start), notes.size());
    if (end > start) report.notes.push_back(notes.substr(start, end - start));
    start = end + 1;
  }
  Statement reasons(db_,
                    "SELECT reason, count FROM import_rejections WHERE dataset_id = ?1 ORDER BY "
                    "count DESC, reason");
  reasons.bind(1, id);
  while (reasons.step())
    report.rejected.push_back({reasons.columnText(0), reasons.columnInt(1), {}});
  Statement examples(
      db_,
      "SELECT reason, file, line, text FROM import_examples WHERE dataset_id = ?1 ORDER BY rowid");
  examples.bind(1, id);
  while (examples.step()) {
    const std::string reason = examples.columnText(0);
    for (auto& r : report.rejected) {
      if (r.reason == reason) {
        r.examples.push_back(
            {examples.columnText(1), std::size_t(examples.columnInt(2)), examples.columnText(3)});
        break;
      }
    }
  }
  return report;
}

void Workspace::deleteDataset(const DatasetInfo& shown) {
  deleteShownRow(*this,
                 {"datasets", "created_at", "dataset", shown.id, shown.name, shown.createdAt});
}

}  // namespace reco::storage
