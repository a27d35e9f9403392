#pragma once
/// Options of an import, as the CLI flags and the GUI's import wizard set them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace reco::io {

enum class Format { Auto, MovieLens, OnlineRetail, Events, RatingsCsv, Csv };
const char* formatName(Format format);
/// Parses "auto", "movielens", "online-retail", "events", "ratings-csv", "csv";
/// throws Error(Config) naming the accepted values otherwise.
Format parseFormat(const std::string& text);

/// A column map: role ("user", "item", "time", "rating", "event", "quantity" for
/// interactions; "id", "title", "category", "price" for items) -> column, given as a
/// header name or a 0-based column number (written as digits).
using ColumnMap = std::map<std::string, std::string>;
/// Parses "user=COL,item=COL"; throws Error(Config) on a malformed pair or unknown role.
ColumnMap parseColumnMap(const std::string& text, const char* const* allowedRoles);

enum class DuplicatePolicy { Keep, Sum, Max, Last };
const char* duplicatePolicyName(DuplicatePolicy policy);
DuplicatePolicy parseDuplicatePolicy(const std::string& text);

/// Event name -> weight; the default maps view=1, cart/addtocart=3, purchase/transaction=5.
using EventWeights = std::map<std::string, double>;
EventWeights defaultEventWeights();
/// Parses "view=1,cart=3,purchase=5".
EventWeights parseEventWeights(const std::string& text);

struct ImportOptions {
  Format format = Format::Auto;
  std::string name;            ///< dataset name; empty: derived from the file name
  ColumnMap map;               ///< for Format::Csv (and overrides for others)
  std::optional<bool> header;  ///< nullopt: detect
  char delimiter = 0;          ///< 0: detect (comma, tab, semicolon, pipe)
  std::string itemsPath;       ///< optional item catalogue
  ColumnMap itemsMap;
  EventWeights eventWeights = defaultEventWeights();
  std::optional<double> ratingThreshold;  ///< keep rows with value >= threshold
  std::optional<std::int64_t> since;      ///< keep rows with time >= since (Unix s)
  std::optional<std::int64_t> until;      ///< keep rows with time < until
  int minUserInteractions = 0;            ///< k-core, iterated until stable
  int minItemInteractions = 0;
  DuplicatePolicy duplicates = DuplicatePolicy::Keep;
  std::size_t maxExamplesPerReason = 5;

  /// Throws Error(Config) for inconsistent options (negative k-core, since >= until, ...).
  void validate() const;
};

/// Parses "2011-01-31", "2011-01-31 08:26[:00]" or "2011-01-31T08:26:00" (taken as UTC)
/// or a plain integer of Unix seconds; nullopt when the text is none of those.
std::optional<std::int64_t> parseDateTime(std::string_view text);
/// "2011-01-31 08:26:00" (UTC).
std::string formatDateTime(std::int64_t unixSeconds);

}  // namespace reco::io
