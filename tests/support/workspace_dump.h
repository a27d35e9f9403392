#pragma once
// Test support: the whole content of a workspace as text (every table, rows sorted), and
// a file's bytes, to prove that a failed or cancelled job changed nothing.

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/storage/database.h"

namespace reco::testing {

/// The names of the database's tables, sorted.
inline std::vector<std::string> tableNames(storage::Database& db) {
  std::vector<std::string> tables;
  storage::Statement st(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  while (st.step()) tables.push_back(st.columnText(0));
  return tables;
}

inline std::string dumpContent(const std::string& path) {
  storage::Database db(path, storage::Database::Mode::ReadOnly);
  std::string out;
  for (const auto& table : tableNames(db)) {
    out += "== " + table + "\n";
    storage::Statement rows(db, "SELECT * FROM \"" + table + "\"");
    std::vector<std::string> lines;
    while (rows.step()) {
      std::string line;
      for (int c = 0; c < rows.columnCount(); ++c)
        line += (c ? "|" : "") + (rows.isNull(c) ? std::string("NULL") : rows.columnText(c));
      lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    for (const auto& line : lines) out += line + "\n";
  }
  return out;
}

inline std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace reco::testing
