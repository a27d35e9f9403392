#pragma once
/// Private to core/io: the per-format readers behind readSource() and what they share
/// (progress and stop, number parsing, column lookup, the ragged-file guard, sniffing).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/io/format_reader.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/io/text_reader.h"

namespace reco::io::detail {

/// What every reader gets: options, sink, and progress over all files of the source.
class ReadContext {
 public:
  ReadContext(const ImportOptions& options, RecordSink& sink, JobObserver* observer,
              std::stop_token stop, std::uint64_t bytesTotal)
      : options(options),
        sink(sink),
        observer_(observer),
        stop_(std::move(stop)),
        total_(bytesTotal) {}

  const ImportOptions& options;
  RecordSink& sink;

  /// Call once per row. False when a stop was requested (checked every 4096 rows);
  /// reports progress every 65536 rows.
  bool tick(const TextReader& reader) {
    if ((++rows_ & 4095) != 0) return true;
    return slowTick(reader);
  }
  void beginFile(const TextReader& reader);
  void endFile(const TextReader& reader);
  bool stopRequested() const { return stop_.stop_requested(); }

 private:
  bool slowTick(const TextReader& reader);

  JobObserver* observer_;
  std::stop_token stop_;
  std::uint64_t total_ = 0;
  std::uint64_t base_ = 0;  ///< bytes of the files already read
  std::uint64_t rows_ = 0;
};

enum class NumberStatus { Ok, Bad, OutOfRange };
/// An optionally signed decimal integer, spaces around allowed.
NumberStatus parseInteger(std::string_view text, std::int64_t& out);
/// A finite decimal number ("3", "-2.5", "1e3"), spaces around allowed.
NumberStatus parseReal(std::string_view text, double& out);
/// A time: Unix seconds, milliseconds when above 1e11 (fractions dropped), or a date text
/// parseDateTime accepts.
NumberStatus parseTime(std::string_view text, std::int64_t& out);
/// Integer ids written as floats by spreadsheet exports: "17850.0" -> "17850".
std::string_view normaliseId(std::string_view id);

/// Rows with the wrong number of fields are rejected one by one; a file where none of the
/// first 1000 data rows (or of all, when fewer) has the right number is an error.
class FieldCountGuard {
 public:
  FieldCountGuard(std::string file, std::size_t expected, std::string delimiter)
      : file_(std::move(file)), expected_(expected), delimiter_(std::move(delimiter)) {}
  /// True when count is right; throws Error(Data) when the file is ragged throughout.
  bool check(std::size_t count, std::size_t line) {
    if (count == expected_) {
      ++good_;
      return true;
    }
    note(count, line);
    return false;
  }
  /// Call at the end of the file.
  void finish() const;

 private:
  void note(std::size_t count, std::size_t line);
  [[noreturn]] void fail() const;

  std::string file_;
  std::size_t expected_;
  std::string delimiter_;
  std::size_t good_ = 0;
  std::size_t bad_ = 0;
  std::size_t firstLine_ = 0;
  std::size_t firstCount_ = 0;
};

inline constexpr std::size_t kRaggedProbeRows = 1000;

/// Case-insensitive ASCII equality.
bool equalsIgnoreCase(std::string_view a, std::string_view b);
/// A list of column-name aliases.
using Names = std::span<const std::string_view>;
/// Index of the first header field equal (ignoring case and spaces) to one of names; -1.
int findColumn(const std::vector<std::string>& header, Names names);
inline int findColumn(const std::vector<std::string>& header,
                      std::initializer_list<std::string_view> names) {
  return findColumn(header, Names(names.begin(), names.size()));
}
/// Resolves a mapped column, a header name or a 0-based number. Throws Error(Data) naming
/// FILE:1, the role, the missing column and the columns that are there.
int resolveColumn(const std::string& file, const std::string& role, const std::string& column,
                  const std::vector<std::string>* header, std::size_t fieldCount);
/// "a, b, c" (at most 20 names).
std::string listColumns(const std::vector<std::string>& header);

/// The first records of a file (after the byte-order mark), for sniffing.
std::vector<std::string> headRecords(const std::string& path, std::size_t count,
                                     std::string_view expected);
/// The fields of a line as strings (RFC-4180 quotes), trimmed.
std::vector<std::string> splitToStrings(std::string_view line, char delimiter);
/// The delimiter among , TAB ; | that splits the sample lines most consistently; ','
/// when none occurs.
char detectDelimiter(const std::vector<std::string>& lines);
/// True when the first line looks like a header: a column that is not a number there but is
/// one in most later lines, or a field that is a known column name.
bool looksLikeHeader(const std::vector<std::string>& lines, char delimiter);

/// Column-name aliases, shared by detection and the readers.
inline constexpr std::string_view kUserNames[] = {
    "visitorid", "visitor_id", "user", "user_id", "userid", "customer_id", "customerid"};
inline constexpr std::string_view kItemNames[] = {"itemid",    "item", "item_id", "product_id",
                                                  "productid", "sku",  "movieid", "movie_id"};
inline constexpr std::string_view kEventNames[] = {"event", "event_type", "action", "type"};
inline constexpr std::string_view kTimeNames[] = {"timestamp", "time", "date", "datetime",
                                                  "event_time"};
inline constexpr std::string_view kRatingNames[] = {"rating", "score", "stars"};
inline constexpr std::string_view kQuantityNames[] = {"quantity", "qty"};

/// What a ratings/event/mapped table means: which roles to look for by header name.
enum class TableKind { Events, Ratings, Mapped };

/// Where the roles of a delimited table are, from header names and options.map.
struct TableLayout {
  TableKind kind = TableKind::Mapped;
  char delimiter = ',';
  bool header = false;
  std::vector<std::string> names;  ///< header fields (empty without a header)
  std::size_t fieldCount = 0;      ///< fields every row must have
  int user = -1, item = -1, time = -1, rating = -1, event = -1, quantity = -1;
  Feedback feedback = Feedback::Binary;
};
/// Sniffs path and resolves every role; throws Error(Data) naming FILE:1 for a mapped or
/// required column that is not there, Error(Io/Data) for a missing, empty or binary file.
TableLayout layoutTable(const std::string& path, TableKind kind, const ImportOptions& options);

// MovieLens (100K folder or u.data; 1M/10M folder or ratings.dat).
struct MovieLensFiles {
  std::string ratings, items, users, genres;
  bool dat = false;  ///< "::"-separated 1M/10M layout
};
/// The files of a MovieLens source; empty ratings when path is not one.
MovieLensFiles locateMovieLens(const std::string& path);

Outcome readMovieLens(const MovieLensFiles& files, ReadContext& ctx);
Outcome readOnlineRetail(const std::string& path, ReadContext& ctx);
Outcome readTable(const std::string& path, const TableLayout& layout, ReadContext& ctx);
Outcome readItemsFile(const std::string& path, ReadContext& ctx);

}  // namespace reco::io::detail
