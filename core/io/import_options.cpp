#include "core/io/import_options.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/io/record_sink.h"

namespace reco::io {

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string joinRoles(const char* const* roles) {
  std::string out;
  for (; roles && *roles; ++roles) {
    if (!out.empty()) out += ", ";
    out += *roles;
  }
  return out;
}

bool roleAllowed(const std::string& role, const char* const* roles) {
  if (!roles) return true;
  for (; *roles; ++roles)
    if (role == *roles) return true;
  return false;
}

/// Splits "a=b,c=d" into trimmed pairs; throws Error(Config) naming `what` on a bad pair.
std::vector<std::pair<std::string, std::string>> splitPairs(const std::string& text,
                                                            const char* what, const char* shape) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view pair = trimmed(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || trimmed(pair.substr(0, eq)).empty() ||
        trimmed(pair.substr(eq + 1)).empty()) {
      throw Error(ErrorKind::Config, std::string("bad ") + what + " '" + text + "': expected " +
                                         shape + ", found '" + std::string(pair) + "'");
    }
    pairs.emplace_back(std::string(trimmed(pair.substr(0, eq))),
                       std::string(trimmed(pair.substr(eq + 1))));
  }
  return pairs;
}

constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil: proleptic Gregorian, 1970-01-01 is day 0.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr unsigned daysInMonth(std::int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

/// Reads exactly n digits at p; false when any is not a digit.
inline bool digits(const char* p, int n, unsigned& out) {
  unsigned v = 0;
  for (int i = 0; i < n; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

}  // namespace

const char* feedbackName(Feedback feedback) {
  switch (feedback) {
    case Feedback::Rating: return "rating";
    case Feedback::Quantity: return "quantity";
    case Feedback::Event: return "event";
    case Feedback::Binary: return "binary";
  }
  return "binary";
}

const char* formatName(Format format) {
  switch (format) {
    case Format::Auto: return "auto";
    case Format::MovieLens: return "movielens";
    case Format::OnlineRetail: return "online-retail";
    case Format::Events: return "events";
    case Format::RatingsCsv: return "ratings-csv";
    case Format::Csv: return "csv";
  }
  return "auto";
}

Format parseFormat(const std::string& text) {
  for (Format f : {Format::Auto, Format::MovieLens, Format::OnlineRetail, Format::Events,
                   Format::RatingsCsv, Format::Csv}) {
    if (text == formatName(f)) return f;
  }
  throw Error(ErrorKind::Config,
              "unknown format '" + text +
                  "': expected one of auto, movielens, online-retail, events, ratings-csv, csv");
}

ColumnMap parseColumnMap(const std::string& text, const char* const* allowedRoles) {
  ColumnMap map;
  for (auto& [role, column] :
       splitPairs(text, "column map", "ROLE=COL pairs separated by commas")) {
    if (!roleAllowed(role, allowedRoles)) {
      throw Error(ErrorKind::Config, "bad column map '" + text + "': unknown role '" + role +
                                         "' (expected one of " + joinRoles(allowedRoles) + ")");
    }
    if (map.count(role)) {
      throw Error(ErrorKind::Config,
                  "bad column map '" + text + "': role '" + role + "' is given twice");
    }
    map.emplace(role, column);
  }
  return map;
}

const char* duplicatePolicyName(DuplicatePolicy policy) {
  switch (policy) {
    case DuplicatePolicy::Keep: return "keep";
    case DuplicatePolicy::Sum: return "sum";
    case DuplicatePolicy::Max: return "max";
    case DuplicatePolicy::Last: return "last";
  }
  return "keep";
}

DuplicatePolicy parseDuplicatePolicy(const std::string& text) {
  for (DuplicatePolicy p :
       {DuplicatePolicy::Keep, DuplicatePolicy::Sum, DuplicatePolicy::Max, DuplicatePolicy::Last}) {
    if (text == duplicatePolicyName(p)) return p;
  }
  throw Error(ErrorKind::Config,
              "unknown duplicate policy '" + text + "': expected one of keep, sum, max, last");
}

EventWeights defaultEventWeights() {
  return {
      {"view", 1.0}, {"cart", 3.0}, {"addtocart", 3.0}, {"purchase", 5.0}, {"transaction", 5.0}};
}

EventWeights parseEventWeights(const std::string& text) {
  EventWeights weights;
  for (auto& [name, number] :
       splitPairs(text, "event weights", "NAME=WEIGHT pairs such as view=1,cart=3,purchase=5")) {
    double w = 0;
    const char* b = number.data();
    const char* e = b + number.size();
    auto [p, ec] = std::from_chars(b, e, w);
    if (ec != std::errc() || p != e || !std::isfinite(w) || w < 0) {
      throw Error(ErrorKind::Config, "bad event weights '" + text + "': weight of '" + name +
                                         "' must be a number >= 0, found '" + number + "'");
    }
    if (weights.count(name)) {
      throw Error(ErrorKind::Config,
                  "bad event weights '" + text + "': event '" + name + "' is given twice");
    }
    weights.emplace(name, w);
  }
  if (weights.empty()) {
    throw Error(ErrorKind::Config,
                "bad event weights '" + text + "': expected at least one NAME=WEIGHT pair");
  }
  return weights;
}

void ImportOptions::validate() const {
  static const char* const kRoles[] = {"user",  "item",     "time", "rating",
                                       "event", "quantity", nullptr};
  static const char* const kItemRoles[] = {"id", "title", "category", "price", nullptr};
  if (minUserInteractions < 0 || minItemInteractions < 0) {
    throw Error(ErrorKind::Config,
                "minimum interactions per user and per item must be >= 0, found " +
                    std::to_string(minUserInteractions) + " and " +
                    std::to_string(minItemInteractions));
  }
  if (since && until && *since >= *until) {
    throw Error(ErrorKind::Config, "the date range is empty: --since " + formatDateTime(*since) +
                                       " is not before --until " + formatDateTime(*until));
  }
  if (ratingThreshold && !std::isfinite(*ratingThreshold)) {
    throw Error(ErrorKind::Config, "the rating threshold must be a finite number");
  }
  for (const auto& [role, column] : map) {
    if (!roleAllowed(role, kRoles)) {
      throw Error(ErrorKind::Config, "unknown role '" + role +
                                         "' in the column map (expected one of " +
                                         joinRoles(kRoles) + ")");
    }
    if (column.empty())
      throw Error(ErrorKind::Config, "role '" + role + "' is mapped to no column");
  }
  for (const auto& [role, column] : itemsMap) {
    if (!roleAllowed(role, kItemRoles)) {
      throw Error(ErrorKind::Config, "unknown role '" + role +
                                         "' in the items column map (expected one of " +
                                         joinRoles(kItemRoles) + ")");
    }
    if (column.empty())
      throw Error(ErrorKind::Config, "role '" + role + "' is mapped to no column");
  }
  if (!itemsMap.empty() && itemsPath.empty()) {
    throw Error(ErrorKind::Config,
                "an items column map was given without an items file (--items PATH)");
  }
  if (format == Format::Csv && !map.empty() && (!map.count("user") || !map.count("item"))) {
    throw Error(
        ErrorKind::Config,
        "the csv format needs both user and item in the column map (--map user=COL,item=COL)");
  }
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
    throw Error(ErrorKind::Config, "a quote or a line break cannot be the delimiter");
  }
  for (const auto& [name, weight] : eventWeights) {
    if (!std::isfinite(weight) || weight < 0) {
      throw Error(ErrorKind::Config, "the weight of event '" + name + "' must be a number >= 0");
    }
  }
}

std::optional<std::int64_t> parseDateTime(std::string_view text) {
  const char* p = text.data();
  std::size_t n = text.size();
  if (n == 0) return std::nullopt;
  if (n < 10 || p[4] != '-') {
    // A plain integer of Unix seconds (possibly negative).
    std::int64_t v = 0;
    const char* b = p;
    if (*b == '+') ++b;
    auto [end, ec] = std::from_chars(b, p + n, v);
    if (ec != std::errc() || end != p + n) return std::nullopt;
    return v;
  }
  unsigned y, mo, d;
  if (!digits(p, 4, y) || p[4] != '-' || !digits(p + 5, 2, mo) || p[7] != '-' ||
      !digits(p + 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return std::nullopt;
  std::int64_t seconds = daysFromCivil(y, mo, d) * 86400;
  std::size_t i = 10;
  if (i == n) return seconds;
  if (p[i] != ' ' && p[i] != 'T') return std::nullopt;
  ++i;
  unsigned hh, mm, ss = 0;
  if (n < i + 5 || !digits(p + i, 2, hh) || p[i + 2] != ':' || !digits(p + i + 3, 2, mm))
    return std::nullopt;
  i += 5;
  if (i < n && p[i] == ':') {
    if (n < i + 3 || !digits(p + i + 1, 2, ss)) return std::nullopt;
    i += 3;
    if (i < n && p[i] == '.') {  // fractional seconds are dropped
      ++i;
      std::size_t start = i;
      while (i < n && p[i] >= '0' && p[i] <= '9') ++i;
      if (i == start) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  seconds += hh * 3600 + mm * 60 + ss;
  // An optional zone: "Z", " UTC", "+HH:MM", "-HHMM" (local times without one are UTC).
  if (i < n && p[i] == ' ' && text.substr(i) == " UTC") return seconds;
  if (i < n && p[i] == 'Z' && i + 1 == n) return seconds;
  if (i < n && (p[i] == '+' || p[i] == '-')) {
    int sign = p[i] == '+' ? 1 : -1;
    unsigned oh, om;
    std::size_t rest = n - i - 1;
    if (rest == 5 && digits(p + i + 1, 2, oh) && p[i + 3] == ':' && digits(p + i + 4, 2, om)) {
    } else if (rest == 4 && digits(p + i + 1, 2, oh) && digits(p + i + 3, 2, om)) {
    } else if (rest == 2 && digits(p + i + 1, 2, oh)) {
      om = 0;
    } else {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    return seconds - sign * static_cast<std::int64_t>(oh * 3600 + om * 60);
  }
  if (i != n) return std::nullopt;
  return seconds;
}

std::string formatDateTime(std::int64_t unixSeconds) {
  std::int64_t days = unixSeconds >= 0 ? unixSeconds / 86400 : -((-unixSeconds + 86399) / 86400);
  std::int64_t secs = unixSeconds - days * 86400;
  // Howard Hinnant's civil_from_days.
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02d:%02d:%02d", static_cast<long long>(y), m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

}  // namespace reco::io
