#pragma once
/// Every table of a report as CSV files beside it: REPORT.comparison.csv, REPORT.segments.csv,
/// ... (one per Table, named by its id), RFC 4180 quoting, UTF-8, numbers as shown. Each file
/// is written beside its target and renamed into place (output_file.h).

#include <filesystem>
#include <vector>

#include "core/report/document.h"

namespace reco::report {

/// `reportPath` is the HTML or PDF file; the CSVs go beside it with its stem. A table that
/// continues another (Table::continues) adds its columns to that table's file instead of a
/// file of its own, so a wide comparison is one CSV. Returns the files written, in table
/// order. Throws Io when a file cannot be written, after removing the ones it wrote.
std::vector<std::filesystem::path> writeTableCsvs(const Document& document,
                                                  const std::filesystem::path& reportPath);

/// One table as CSV text (header line, then rows; a cell's detail, when present, is appended
/// after " · ").
std::string tableCsv(const Table& table);

}  // namespace reco::report
