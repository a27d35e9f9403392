// Format detection and the readSource() dispatch; the readers live in one file per family.

#include "core/io/format_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/common/error.h"
#include "core/io/readers.h"

namespace reco::io {

namespace fs = std::filesystem;
using namespace detail;

namespace {

void requireExists(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw Error(ErrorKind::Io, "cannot open " + path + ": " + errnoText(ENOENT));
  }
}

bool isRetailHeader(const std::vector<std::string>& header) {
  return findColumn(header, {"InvoiceNo", "Invoice"}) >= 0 &&
         findColumn(header, {"StockCode"}) >= 0 && findColumn(header, {"Quantity"}) >= 0 &&
         findColumn(header, {"InvoiceDate"}) >= 0;
}

/// user,item,rating[,timestamp] without a header: ids, a number, an optional integer time.
bool looksLikeRatingRow(const std::vector<std::string>& fields) {
  if (fields.size() != 3 && fields.size() != 4) return false;
  if (fields[0].empty() || fields[1].empty()) return false;
  double rating;
  if (parseReal(fields[2], rating) != NumberStatus::Ok) return false;
  std::int64_t time;
  return fields.size() == 3 || parseTime(fields[3], time) == NumberStatus::Ok;
}

std::uint64_t fileSize(const std::string& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

}  // namespace

Format detectFormat(const std::string& path) {
  requireExists(path);
  if (!locateMovieLens(path).ratings.empty()) return Format::MovieLens;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw Error(ErrorKind::Data, path +
                                     " is a folder but not a MovieLens one: expected u.data or "
                                     "ratings.dat in it, or a path to one file");
  }
  auto lines = headRecords(path, 50, "a delimited text file (CSV, TSV) of interactions");
  if (lines.empty()) {
    throw Error(ErrorKind::Data,
                path + " is empty: expected a delimited text file (CSV, TSV) of interactions");
  }
  if (isRetailHeader(splitToStrings(lines[0], ','))) return Format::OnlineRetail;
  char delimiter = detectDelimiter(lines);
  auto first = splitToStrings(lines[0], delimiter);
  if (looksLikeHeader(lines, delimiter)) {
    bool user = findColumn(first, kUserNames) >= 0, item = findColumn(first, kItemNames) >= 0;
    if (user && item && findColumn(first, kEventNames) >= 0) return Format::Events;
    if (user && item && findColumn(first, kRatingNames) >= 0) return Format::RatingsCsv;
    return Format::Csv;
  }
  if (looksLikeRatingRow(first)) return Format::RatingsCsv;
  return Format::Csv;
}

std::vector<std::string> sourceFiles(const std::string& path, Format format) {
  if (format == Format::Auto) format = detectFormat(path);
  if (format == Format::MovieLens) {
    MovieLensFiles files = locateMovieLens(path);
    std::vector<std::string> out;
    for (const std::string* f : {&files.ratings, &files.items, &files.users}) {
      if (!f->empty()) out.push_back(*f);
    }
    if (!out.empty()) return out;
  }
  return {path};
}

Outcome readSource(const std::string& path, const ImportOptions& options, RecordSink& sink,
                   JobObserver* observer, std::stop_token stop) {
  options.validate();
  requireExists(path);
  if (!options.itemsPath.empty()) requireExists(options.itemsPath);
  Format format = options.format == Format::Auto ? detectFormat(path) : options.format;

  MovieLensFiles movieLens;
  TableLayout layout;
  Feedback feedback = Feedback::Binary;
  std::vector<std::string> files;
  switch (format) {
    case Format::MovieLens:
      movieLens = locateMovieLens(path);
      if (movieLens.ratings.empty()) {
        throw Error(ErrorKind::Data, path +
                                         " is not a MovieLens source: expected a folder with "
                                         "u.data or ratings.dat, or one of those files");
      }
      feedback = Feedback::Rating;
      files = sourceFiles(path, format);
      break;
    case Format::OnlineRetail:
      feedback = Feedback::Quantity;
      files = {path};
      break;
    case Format::Events:
    case Format::RatingsCsv:
    case Format::Csv:
    case Format::Auto: {
      TableKind kind = format == Format::Events       ? TableKind::Events
                       : format == Format::RatingsCsv ? TableKind::Ratings
                                                      : TableKind::Mapped;
      layout = layoutTable(path, kind, options);
      feedback = layout.feedback;
      files = {path};
      break;
    }
  }
  std::uint64_t total = 0;
  for (const auto& f : files) total += fileSize(f);
  if (!options.itemsPath.empty()) total += fileSize(options.itemsPath);

  ReadContext ctx(options, sink, observer, std::move(stop), total);
  sink.begin(feedback);
  if (!options.itemsPath.empty() && readItemsFile(options.itemsPath, ctx) == Outcome::Stopped)
    return Outcome::Stopped;
  switch (format) {
    case Format::MovieLens: return readMovieLens(movieLens, ctx);
    case Format::OnlineRetail: return readOnlineRetail(path, ctx);
    default: return readTable(path, layout, ctx);
  }
}

}  // namespace reco::io
