#include "core/report/csv_tables.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>

#include "core/common/csv_text.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/output_file.h"

namespace reco::report {
namespace {

// Numbers are written as shown ("0.450", "-0.012 ▼"): they are the workbench's own text, so
// no formula guard (which would put an apostrophe before a negative number); every other
// cell is guarded as in every export (csv_text.h).
std::string cellField(const TableCell& cell) {
  std::string text = cell.text;
  if (!cell.detail.empty()) text += " · " + cell.detail;
  return csvField(text, cell.numeric ? CsvFormulas::Raw : CsvFormulas::Escape);
}

}  // namespace

std::string tableCsv(const Table& table) {
  std::string out;
  if (!table.csvHeader.empty()) {
    // The table's own CSV form: a number is written as is, any other text guarded.
    for (std::size_t c = 0; c < table.csvHeader.size(); ++c) {
      if (c > 0) out += ',';
      out += csvField(table.csvHeader[c]);
    }
    out += '\n';
    for (const auto& row : table.csvRows) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (c > 0) out += ',';
        out += csvField(row[c], parseNumber(row[c]) ? CsvFormulas::Raw : CsvFormulas::Escape);
      }
      out += '\n';
    }
    return out;
  }
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (c > 0) out += ',';
    out += csvField(table.header[c]);
  }
  out += '\n';
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += cellField(row[c]);
    }
    out += '\n';
  }
  return out;
}

std::vector<std::filesystem::path> writeTableCsvs(const Document& document,
                                                  const std::filesystem::path& reportPath) {
  const std::filesystem::path folder = reportPath.parent_path();
  const std::string stem = reportPath.stem().string();
  // Parts of a wide table join the table they continue: its columns after the key columns,
  // row by row (the parts are laid out from the same rows).
  std::vector<Table> joined;
  std::map<std::string, std::size_t> joinedIndex;
  for (const Table* table : document.tables()) {
    if (table->continues.empty()) {
      joinedIndex[table->id] = joined.size();
      joined.push_back(*table);
      continue;
    }
    const auto base = joinedIndex.find(table->continues);
    Table* into = base == joinedIndex.end() ? nullptr : &joined[base->second];
    if (into == nullptr || into->rows.size() != table->rows.size() ||
        table->keyColumns > table->header.size()) {
      throw Error(ErrorKind::Internal, "the report table \"" + table->id + "\" continues \"" +
                                           table->continues +
                                           "\", which comes before it with as many rows");
    }
    if (!into->csvHeader.empty()) continue;  // the base's own CSV has every column
    const auto key = std::ptrdiff_t(table->keyColumns);
    into->header.insert(into->header.end(), table->header.begin() + key, table->header.end());
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
      const auto& row = table->rows[r];
      if (row.size() < table->keyColumns) continue;  // a malformed row adds nothing
      into->rows[r].insert(into->rows[r].end(), row.begin() + key, row.end());
    }
  }
  std::vector<std::filesystem::path> written;
  std::set<std::string> ids;
  // A failure part way takes back the files already written: all of them or none.
  struct TakeBack {
    std::vector<std::filesystem::path>* files;
    ~TakeBack() {
      if (files == nullptr) return;
      for (const auto& path : *files) {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
      }
    }
  } takeBack{&written};
  for (const Table& whole : joined) {
    const Table* table = &whole;
    // Two tables with one id would silently overwrite each other's file.
    if (!ids.insert(table->id).second) {
      throw Error(ErrorKind::Internal, "the report has two tables with the id \"" + table->id +
                                           "\"; each table's CSV file is named by its id");
    }
    if (table->id.empty() || table->id.find_first_of("/\\") != std::string::npos) {
      throw Error(ErrorKind::Internal, "a report table's id \"" + table->id +
                                           "\" cannot name a file (caption \"" + table->caption +
                                           "\")");
    }
    const std::filesystem::path path = folder / (stem + "." + table->id + ".csv");
    AtomicOutputFile file(path.string(), {reportPath.string()});
    file.write(tableCsv(*table));
    file.commit();
    written.push_back(path);
  }
  takeBack.files = nullptr;
  return written;
}

}  // namespace reco::report
