#pragma once
/// What the import wizard shows before anything is imported: the detected format with the
/// reason for it, the first rows of the file as its columns, and the first rows as the
/// real reader parses them with the user's options. Reads only the start of a file
/// (bounded work, never proportional to the file's size, except that a MovieLens source
/// reads its small u.item and u.user first). No Qt; safe to call from any thread (each
/// call opens its own files).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/io/import_options.h"
#include "core/io/record_sink.h"

namespace reco::io {

/// The format detectFormat() picks for a source, and why, in one sentence a user can read.
struct FormatGuess {
  Format format = Format::Csv;  ///< never Format::Auto
  std::string reason;           ///< "the header names InvoiceNo, StockCode, ... : ..."
};

/// Same decision as detectFormat() (format_reader.h), with the reason spelled out.
/// Throws what detectFormat() throws (Error(Io) for a missing path, Error(Data) for an
/// empty, binary or unusable source).
FormatGuess guessFormat(const std::string& path);

/// The first rows of a delimited source split into fields, for choosing columns.
struct TablePreview {
  std::string file;                  ///< the file read (u.data for a MovieLens folder)
  char delimiter = ',';              ///< the delimiter used (detected when not given)
  std::string separator;             ///< the multi-character separator ("::") when there is one
  bool header = false;               ///< the first line was taken as column names
  std::vector<std::string> columns;  ///< header names, or "column 0", "column 1", ...
  std::vector<std::vector<std::string>> rows;  ///< data rows, fields trimmed; ragged rows kept
  std::vector<std::size_t> lines;              ///< the 1-based line of each row
};

/// Reads the first `maxRows` data rows of path (for a MovieLens folder: its ratings file).
/// `delimiter` 0 and `header` nullopt are detected as the CSV reader detects them.
/// Throws Error(Io/Data) for a missing, empty or binary file.
TablePreview previewTable(const std::string& path, char delimiter, std::optional<bool> header,
                          std::size_t maxRows);

/// The columns the table readers find by their header names when no column map is given
/// (role -> 0-based column), as the reader of `format` would: user, item, time, and event
/// (events, csv), rating (ratings-csv, csv), quantity (csv); for ratings-csv without a
/// header the positions 0, 1, 2[, 3]. Empty for MovieLens and Online Retail, whose
/// columns are fixed.
std::map<std::string, int> columnRolesByName(const TablePreview& table, Format format);

/// One row as the import would see it.
struct PreviewRecord {
  std::size_t line = 0;  ///< 1-based line in the source file
  std::string user, item, event;
  std::int64_t time = kNoTime;
  double value = 1.0;  ///< after event weights, as it would be stored
  std::string status;  ///< empty: kept; else the reason it would be rejected
  std::string text;    ///< the raw line, for rejected rows
};

struct RecordPreview {
  Format format = Format::Csv;  ///< the format read (Auto resolved)
  Feedback feedback = Feedback::Binary;
  std::vector<PreviewRecord> records;
};

/// Runs the real reader over the start of path with `options` (item catalogue ignored),
/// stops it right after the first `maxRows` rows (nothing past them can fail the preview)
/// and returns them, each marked with what the import pipeline would do with it: kept,
/// rejected by the reader, or filtered (unknown event type, rating threshold, date range;
/// the reasons are the pipeline's). Duplicates and k-core act on the whole file and are
/// not previewed. Throws what importFile() throws for a source or a column map that cannot
/// be read (Error(Data) naming FILE:LINE[:COLUMN]), and Error(Config) for invalid options.
RecordPreview previewRecords(const std::string& path, const ImportOptions& options,
                             std::size_t maxRows);

/// The first and last time (Unix seconds) of the interactions in a whole file.
struct TimeRange {
  std::int64_t first = 0, last = 0;
};

/// Reads all of path with the real reader and `options` (catalogue ignored) and returns the
/// range of the rows' times, or nullopt when no row has one. Costs a full read (about a
/// second for Online Retail); meant for a background thread. Returns nullopt at once when
/// `stop` is requested. Throws what previewRecords() throws.
std::optional<TimeRange> scanTimeRange(const std::string& path, const ImportOptions& options,
                                       std::stop_token stop);

}  // namespace reco::io
