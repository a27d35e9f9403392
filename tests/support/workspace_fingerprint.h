#pragma once
// Test support, no Qt (so the GoogleTest suites use it too): a workspace's content as a
// fingerprint that is cheap for a few hundred thousand rows, the digest of one query's rows,
// and PRAGMA integrity_check. The crash tests (crash_check.h) and the full-disk test compare
// a workspace before and after a failed command with these.

#include <cstdint>
#include <regex>
#include <set>
#include <string>

#include "core/storage/database.h"
#include "tests/support/workspace_dump.h"

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

/// The rows `rows` steps through as "N rows, hash": the hash a sum over rows of FNV-1a over
/// each row's fields, so independent of their order. With `ignoreClocks`, JSON text has its
/// clock values blanked (withoutClocks).
inline std::string rowsDigest(storage::Statement& rows, bool ignoreClocks) {
  std::uint64_t sum = 0, count = 0;
  while (rows.step()) {
    std::uint64_t h = 1469598103934665603ULL;
    for (int c = 0; c < rows.columnCount(); ++c) {
      std::string field = rows.isNull(c) ? std::string("\x01NULL") : rows.columnText(c);
      if (ignoreClocks && field.starts_with('{')) field = withoutClocks(field);
      for (const unsigned char ch : field + '\x1f') h = (h ^ ch) * 1099511628211ULL;
    }
    sum += h;
    ++count;
  }
  return std::to_string(count) + " rows, " + std::to_string(sum) + "\n";
}

/// Every table as "name: rows, hash of its rows". With `ignoreClocks`, the clock columns
/// above are left out, so that two runs of the same deterministic command give the same
/// fingerprint (in JSON text too).
inline std::string fingerprint(const std::string& path, bool ignoreClocks) {
  storage::Database db(path, storage::Database::Mode::ReadOnly);
  std::string out;
  for (const auto& table : tableNames(db)) {
    std::string columns;
    storage::Statement info(db, "SELECT name FROM pragma_table_info(?1)");
    info.bind(1, table);
    while (info.step()) {
      const std::string column = info.columnText(0);
      if (ignoreClocks && isClockColumn(column)) continue;
      columns += (columns.empty() ? "\"" : ", \"") + column + "\"";
    }
    storage::Statement rows(db, "SELECT " + columns + " FROM \"" + table + "\"");
    out += table + ": " + rowsDigest(rows, ignoreClocks);
  }
  return out;
}

/// The rows of `sql` (with ?1 bound to `name`) as "rows, hash", independent of their order;
/// JSON text has its clock values blanked (withoutClocks).
inline std::string digest(storage::Database& db, const std::string& sql, const std::string& name) {
  storage::Statement rows(db, sql);
  if (sql.find("?1") != std::string::npos) rows.bind(1, name);
  return rowsDigest(rows, true);
}

/// PRAGMA integrity_check's answer, "ok" for a sound file (opened as `reco` opens it, so a
/// WAL left by a killed process is recovered first).
inline std::string integrityCheck(const std::string& path) {
  storage::Database db(path, storage::Database::Mode::ReadWrite);
  storage::Statement st(db, "PRAGMA integrity_check");
  std::string result;
  while (st.step()) result += (result.empty() ? "" : "; ") + st.columnText(0);
  return result;
}

}  // namespace reco::testing
