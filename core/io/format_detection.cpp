// Format detection with reasons and the wizard's previews. The decision itself is
// detectFormat()'s (format_reader.cpp); this file only explains it, so the two cannot
// disagree.

#include "core/io/format_detection.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/common/error.h"
#include "core/io/format_reader.h"
#include "core/io/readers.h"

namespace reco::io {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr std::size_t kSniffRows = 50;
constexpr const char* kExpectedTable = "a delimited text file (CSV, TSV) of interactions";

std::string fileName(const std::string& path) {
  return fs::path(path).filename().string();
}

/// "'visitorid'" for the header field at index, or "" when there is none.
std::string quotedColumn(const std::vector<std::string>& header, int index) {
  return index >= 0 ? "'" + header[std::size_t(index)] + "'" : std::string();
}

std::string movieLensReason(const std::string& path) {
  const MovieLensFiles files = locateMovieLens(path);
  std::string reason;
  if (files.dat) {
    reason = fileName(files.ratings) +
             " has '::'-separated rows user::item::rating::timestamp: MovieLens 1M/10M";
    if (!files.items.empty()) reason += "; titles and genres come from movies.dat";
  } else {
    reason = fileName(files.ratings) +
             " has tab-separated rows user, item, rating, timestamp: MovieLens 100K";
    if (!files.items.empty()) reason += "; titles and genres come from u.item";
    if (!files.users.empty()) reason += ", user attributes from u.user";
  }
  return reason + ".";
}

std::string tableReason(const std::string& path, Format format) {
  const auto lines = headRecords(path, kSniffRows, kExpectedTable);
  if (format == Format::OnlineRetail) {
    return "The header names InvoiceNo, StockCode, Quantity and InvoiceDate: the UCI Online Retail "
           "export. Guest rows, cancellations, returns and non-product codes are rejected by its "
           "rules; "
           "the value is the quantity bought.";
  }
  const char delimiter = detectDelimiter(lines);
  const auto first = splitToStrings(lines.front(), delimiter);
  const bool header = looksLikeHeader(lines, delimiter);
  const std::string shape =
      std::to_string(first.size()) + " columns separated by " + describeDelimiter(delimiter);
  if (format == Format::Events) {
    return "The header (" + shape + ") names a user column " +
           quotedColumn(first, findColumn(first, kUserNames)) + ", an item column " +
           quotedColumn(first, findColumn(first, kItemNames)) + " and an event column " +
           quotedColumn(first, findColumn(first, kEventNames)) +
           ": an event log. Each row's value is its event's weight (view=1, cart=3, purchase=5 "
           "unless changed).";
  }
  if (format == Format::RatingsCsv) {
    if (header) {
      return "The header (" + shape + ") names a user column " +
             quotedColumn(first, findColumn(first, kUserNames)) + ", an item column " +
             quotedColumn(first, findColumn(first, kItemNames)) + " and a rating column " +
             quotedColumn(first, findColumn(first, kRatingNames)) + ": explicit ratings.";
    }
    return "There is no header line and the first row has " + shape +
           " shaped like user, item, rating[, timestamp] (ids, then a number): explicit ratings.";
  }
  if (header) {
    std::string names;
    for (std::size_t i = 0; i < first.size() && i < 8; ++i) names += (i ? ", " : "") + first[i];
    if (first.size() > 8) names += ", ...";
    return "A table with a header (" + shape + ": " + names +
           "), but the columns do not say which is the user and the item, or what the value is: "
           "choose them on the next page.";
  }
  return "A table of " + shape +
         " without a header line: choose the user and item columns (and the others) "
         "by number on the next page.";
}

/// The pipeline's filters (DatasetWriter::interaction) for one parsed row; "" when kept.
/// The reasons are the pipeline's own phrases, so the preview and the report agree.
std::string filterReason(const InteractionRecord& r, Feedback feedback,
                         const ImportOptions& options, double& value) {
  if (r.user.empty()) return "empty user id";
  if (r.item.empty()) return "empty item id";
  if (!std::isfinite(r.value)) return "value is not a finite number";
  value = r.value;
  if (!r.event.empty()) {
    const auto weight = options.eventWeights.find(std::string(r.event));
    if (weight == options.eventWeights.end()) {
      if (feedback == Feedback::Event) return "unknown event type (not in --event-weights)";
    } else if (feedback == Feedback::Event) {
      value = weight->second;
    }
  }
  if (options.ratingThreshold && value < *options.ratingThreshold)
    return "below the rating threshold";
  if (options.since || options.until) {
    if (r.time == kNoTime) return "no time, but a date range was given";
    if (options.since && r.time < *options.since) return "before --since";
    if (options.until && r.time >= *options.until) return "on or after --until";
  }
  return {};
}

/// Thrown by the preview's sink once it has its rows: the reader stops at once, so
/// that nothing past them (a bad value further down) can fail the preview.
struct PreviewFull {};

/// Keeps the first rows a reader sends, then ends the reading (PreviewFull).
class PreviewSink final : public RecordSink {
 public:
  PreviewSink(const ImportOptions& options, std::size_t maxRows)
      : options_(options), maxRows_(maxRows) {}

  void begin(Feedback feedback) override { preview.feedback = feedback; }
  void interaction(const InteractionRecord& r) override {
    PreviewRecord record;
    record.line = r.line;
    record.user = r.user;
    record.item = r.item;
    record.event = r.event;
    record.time = r.time;
    record.value = r.value;
    record.status = filterReason(r, preview.feedback, options_, record.value);
    keep(std::move(record));
  }
  void item(const ItemRecord&) override {}
  void user(const UserRecord&) override {}
  void reject(std::string_view reason, std::size_t line, std::string_view text) override {
    PreviewRecord record;
    record.line = line;
    record.status = reason;
    record.text = text;
    keep(std::move(record));
  }

  RecordPreview preview;

 private:
  void keep(PreviewRecord record) {
    preview.records.push_back(std::move(record));
    if (preview.records.size() >= maxRows_) throw PreviewFull{};
  }

  const ImportOptions& options_;
  std::size_t maxRows_;
};

}  // namespace

FormatGuess guessFormat(const std::string& path) {
  FormatGuess guess;
  guess.format = detectFormat(path);
  guess.reason =
      guess.format == Format::MovieLens ? movieLensReason(path) : tableReason(path, guess.format);
  return guess;
}

TablePreview previewTable(const std::string& path, char delimiter, std::optional<bool> header,
                          std::size_t maxRows) {
  TablePreview preview;
  const MovieLensFiles movieLens = locateMovieLens(path);
  preview.file = movieLens.ratings.empty() ? path : movieLens.ratings;
  if (movieLens.dat) preview.separator = "::";

  const auto lines = headRecords(preview.file, kSniffRows, kExpectedTable);
  if (lines.empty())
    throw Error(ErrorKind::Data, preview.file + " is empty: expected " + kExpectedTable);
  if (preview.separator.empty()) {
    preview.delimiter = delimiter ? delimiter : detectDelimiter(lines);
    preview.header = header ? *header : looksLikeHeader(lines, preview.delimiter);
  } else {
    preview.delimiter = ':';
    preview.header = header.value_or(false);
  }

  TextReader reader(preview.file, kExpectedTable);
  FieldSplitter splitter;
  std::string_view record;
  std::string utf8;
  bool skipHeader = preview.header;
  std::size_t widest = 0;
  while (preview.rows.size() < maxRows && reader.nextRecord(record, preview.delimiter)) {
    if (trim(record).empty()) continue;
    // Previews are shown, so Latin-1 text (MovieLens, old exports) is made UTF-8.
    const std::string_view text = ensureUtf8(record, utf8);
    const std::size_t count = preview.separator.empty()
                                  ? splitter.split(text, preview.delimiter)
                                  : splitter.split(text, std::string_view(preview.separator));
    std::vector<std::string> fields;
    fields.reserve(count);
    for (std::size_t i = 0; i < count; ++i) fields.emplace_back(trim(splitter[i]));
    if (skipHeader) {
      skipHeader = false;
      preview.columns = std::move(fields);
      continue;
    }
    widest = std::max(widest, fields.size());
    preview.lines.push_back(reader.line());
    preview.rows.push_back(std::move(fields));
  }
  // Columns without a header name (or past it, in a ragged file) are called by number.
  const std::size_t columns = std::max(widest, preview.columns.size());
  for (std::size_t i = preview.columns.size(); i < columns; ++i)
    preview.columns.push_back("column " + std::to_string(i));
  return preview;
}

std::map<std::string, int> columnRolesByName(const TablePreview& table, Format format) {
  std::map<std::string, int> roles;
  const bool events = format == Format::Events, ratings = format == Format::RatingsCsv;
  if (!events && !ratings && format != Format::Csv) return roles;
  auto put = [&roles](const char* role, int column) {
    if (column >= 0) roles[role] = column;
  };
  if (table.header) {
    put("user", findColumn(table.columns, kUserNames));
    put("item", findColumn(table.columns, kItemNames));
    put("time", findColumn(table.columns, kTimeNames));
    if (!ratings) put("event", findColumn(table.columns, kEventNames));
    if (!events) put("rating", findColumn(table.columns, kRatingNames));
    if (!events && !ratings) put("quantity", findColumn(table.columns, kQuantityNames));
  } else if (ratings && table.columns.size() >= 3) {
    roles = {{"user", 0}, {"item", 1}, {"rating", 2}};
    if (table.columns.size() >= 4) roles["time"] = 3;
  }
  return roles;
}

RecordPreview previewRecords(const std::string& path, const ImportOptions& options,
                             std::size_t maxRows) {
  ImportOptions resolved = options;
  // The catalogue is read before the interactions and may be large; the preview is about
  // the interactions only.
  resolved.itemsPath.clear();
  resolved.itemsMap.clear();
  resolved.validate();
  if (resolved.format == Format::Auto) resolved.format = detectFormat(path);

  PreviewSink sink(resolved, maxRows);
  try {
    readSource(path, resolved, sink, nullptr, {});
  } catch (const PreviewFull&) {
    // The rows are there; the rest of the file is not the preview's business.
  }
  sink.preview.format = resolved.format;
  return std::move(sink.preview);
}

namespace {

// Keeps only the range of the interactions' times.
class TimeRangeSink final : public RecordSink {
 public:
  void begin(Feedback) override {}
  void interaction(const InteractionRecord& record) override {
    if (record.time == kNoTime) return;
    if (!range) range = TimeRange{record.time, record.time};
    range->first = std::min(range->first, record.time);
    range->last = std::max(range->last, record.time);
  }
  void item(const ItemRecord&) override {}
  void user(const UserRecord&) override {}
  void reject(std::string_view, std::size_t, std::string_view) override {}
  std::optional<TimeRange> range;
};

}  // namespace

std::optional<TimeRange> scanTimeRange(const std::string& path, const ImportOptions& options,
                                       std::stop_token stop) {
  ImportOptions resolved = options;
  resolved.itemsPath.clear();
  resolved.itemsMap.clear();
  resolved.validate();
  if (resolved.format == Format::Auto) resolved.format = detectFormat(path);
  TimeRangeSink sink;
  if (readSource(path, resolved, sink, nullptr, stop) == Outcome::Stopped) return std::nullopt;
  return sink.range;
}

}  // namespace reco::io
