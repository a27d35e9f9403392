// Helpers shared by the format readers (readers.h).

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/common/error.h"
#include "core/io/readers.h"

namespace reco::io::detail {

void ReadContext::beginFile(const TextReader& reader) {
  sink.beginFile(reader.path());
  report(observer_, Progress{"reading " + reader.path(), base_, total_});
}

void ReadContext::endFile(const TextReader& reader) {
  base_ += reader.bytesTotal();
  if (base_ > total_) total_ = base_;
  report(observer_, Progress{"reading " + reader.path(), base_, total_});
}

bool ReadContext::slowTick(const TextReader& reader) {
  if ((rows_ & 65535) == 0) {
    report(observer_, Progress{"reading " + reader.path(), base_ + reader.bytesDone(), total_});
  }
  return !stop_.stop_requested();
}

NumberStatus parseInteger(std::string_view text, std::int64_t& out) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return NumberStatus::Bad;
  const char* e = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), e, out);
  if (ec == std::errc::result_out_of_range) return NumberStatus::OutOfRange;
  if (ec != std::errc() || p != e) return NumberStatus::Bad;
  return NumberStatus::Ok;
}

NumberStatus parseReal(std::string_view text, double& out) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return NumberStatus::Bad;
  // from_chars also reads "inf" and "nan", which no data column means.
  char c = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if (c != '.' && (c < '0' || c > '9')) return NumberStatus::Bad;
  const char* e = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), e, out, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    // Underflow ("1e-400") is not worth an error; overflow is.
    bool tiny =
        text.find("e-") != std::string_view::npos || text.find("E-") != std::string_view::npos;
    if (!tiny) return NumberStatus::OutOfRange;
    out = 0;
    return NumberStatus::Ok;
  }
  if (ec != std::errc() || p != e || !std::isfinite(out)) return NumberStatus::Bad;
  return NumberStatus::Ok;
}

NumberStatus parseTime(std::string_view text, std::int64_t& out) {
  text = trim(text);
  if (text.empty()) return NumberStatus::Bad;
  std::size_t dot = text.find('.');
  std::string_view whole = dot == std::string_view::npos ? text : text.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty() ||
        !std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return NumberStatus::Bad;
  }
  std::int64_t v = 0;
  NumberStatus s = parseInteger(whole, v);
  if (s == NumberStatus::OutOfRange) return s;
  if (s == NumberStatus::Ok) {
    // Milliseconds: anything past 1e11 s (year 5138) is taken as ms.
    if (v > 100000000000LL || v < -100000000000LL) {
      v = v >= 0 ? v / 1000 : -((-v + 999) / 1000);
    }
    out = v;
    return NumberStatus::Ok;
  }
  if (dot != std::string_view::npos && whole.size() < 10) return NumberStatus::Bad;
  auto t = parseDateTime(text);
  if (!t) return NumberStatus::Bad;
  out = *t;
  return NumberStatus::Ok;
}

std::string_view normaliseId(std::string_view id) {
  std::size_t n = id.size();
  if (n > 2 && id[n - 2] == '.' && id[n - 1] == '0') {
    for (std::size_t i = 0; i + 2 < n; ++i) {
      if (id[i] < '0' || id[i] > '9') return id;
    }
    return id.substr(0, n - 2);
  }
  return id;
}

void FieldCountGuard::note(std::size_t count, std::size_t line) {
  if (bad_++ == 0) {
    firstLine_ = line;
    firstCount_ = count;
  }
  if (good_ == 0 && bad_ >= kRaggedProbeRows) fail();
}

void FieldCountGuard::finish() const {
  if (good_ == 0 && bad_ > 0) fail();
}

void FieldCountGuard::fail() const {
  std::size_t rows = std::min(bad_, kRaggedProbeRows);
  throw Error(ErrorKind::Data, describeLocation(file_, firstLine_) + ": expected " +
                                   std::to_string(expected_) + " fields separated by " +
                                   delimiter_ + ", found " + std::to_string(firstCount_) +
                                   " (no row in the first " + std::to_string(rows) + " rows has " +
                                   std::to_string(expected_) + " fields)");
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int findColumn(const std::vector<std::string>& header, Names names) {
  for (std::string_view name : names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (equalsIgnoreCase(trim(header[i]), name)) return static_cast<int>(i);
    }
  }
  return -1;
}

std::string listColumns(const std::vector<std::string>& header) {
  std::string out;
  for (std::size_t i = 0; i < header.size() && i < 20; ++i) {
    if (i) out += ", ";
    out += header[i];
  }
  if (header.size() > 20) out += ", ... (" + std::to_string(header.size()) + " in all)";
  return out;
}

int resolveColumn(const std::string& file, const std::string& role, const std::string& column,
                  const std::vector<std::string>* header, std::size_t fieldCount) {
  bool numeric = !column.empty() && std::all_of(column.begin(), column.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
  if (header) {
    for (std::size_t i = 0; i < header->size(); ++i) {
      if (trim((*header)[i]) == trim(column)) return static_cast<int>(i);
    }
    for (std::size_t i = 0; i < header->size(); ++i) {
      if (equalsIgnoreCase(trim((*header)[i]), trim(column))) return static_cast<int>(i);
    }
  }
  if (numeric) {
    std::size_t index = 0;
    auto [p, ec] = std::from_chars(column.data(), column.data() + column.size(), index);
    if (ec == std::errc() && index < fieldCount) return static_cast<int>(index);
    throw Error(ErrorKind::Data, describeLocation(file, 1) + ": column " + column + " (mapped to " +
                                     role + ") does not exist: expected a 0-based number below " +
                                     std::to_string(fieldCount) + ", the number of columns");
  }
  if (!header) {
    throw Error(ErrorKind::Data, describeLocation(file, 1) + ": column '" + column +
                                     "' (mapped to " + role +
                                     ") is a name but the file has no header line; "
                                     "expected a 0-based column number");
  }
  throw Error(ErrorKind::Data,
              describeLocation(file, 1) + ": column '" + column + "' (mapped to " + role +
                  ") is not in the header; the columns are: " + listColumns(*header));
}

std::vector<std::string> headRecords(const std::string& path, std::size_t count,
                                     std::string_view expected) {
  TextReader reader(path, expected);
  std::vector<std::string> lines;
  std::string_view line;
  // Quotes are followed with ',' as the delimiter guess; good enough for sniffing.
  while (lines.size() < count && reader.nextRecord(line, ',')) {
    if (trim(line).empty()) continue;
    lines.emplace_back(line);
  }
  return lines;
}

std::vector<std::string> splitToStrings(std::string_view line, char delimiter) {
  FieldSplitter splitter;
  splitter.split(line, delimiter);
  std::vector<std::string> out;
  out.reserve(splitter.size());
  for (std::size_t i = 0; i < splitter.size(); ++i) out.emplace_back(trim(splitter[i]));
  return out;
}

char detectDelimiter(const std::vector<std::string>& lines) {
  char best = ',';
  double bestScore = 0;
  for (char d : {',', '\t', ';', '|'}) {
    std::size_t first = 0, agree = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::size_t n = splitToStrings(lines[i], d).size();
      if (i == 0) first = n;
      if (n == first) ++agree;
    }
    if (first < 2) continue;
    // Consistency first, then more columns.
    double score = double(agree) / double(lines.size()) * 1000.0 + double(first);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

bool looksLikeHeader(const std::vector<std::string>& lines, char delimiter) {
  if (lines.empty()) return false;
  auto first = splitToStrings(lines[0], delimiter);
  for (const auto& f : first) {
    for (Names names : {Names(kUserNames), Names(kItemNames), Names(kEventNames), Names(kTimeNames),
                        Names(kRatingNames), Names(kQuantityNames)}) {
      for (std::string_view name : names)
        if (equalsIgnoreCase(f, name)) return true;
    }
  }
  if (lines.size() < 2) return false;
  for (std::size_t c = 0; c < first.size(); ++c) {
    double v;
    if (parseReal(first[c], v) == NumberStatus::Ok) continue;
    std::size_t numeric = 0, rows = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      auto fields = splitToStrings(lines[i], delimiter);
      if (c >= fields.size()) continue;
      ++rows;
      if (parseReal(fields[c], v) == NumberStatus::Ok) ++numeric;
    }
    if (rows > 0 && numeric * 2 > rows) return true;
  }
  return false;
}

}  // namespace reco::io::detail
