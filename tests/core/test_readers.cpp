// Format readers against golden files (tests/data/*/expected*.txt, written by hand from
// the input files), plus the options parsers, dates, the text reader and bad input.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/io/format_reader.h"
#include "core/io/text_reader.h"
#include "tests/support/gtest_support.h"

#include "recording_sink.h"

using namespace reco;
using namespace reco::io;
using reco::test::RecordingSink;

namespace {

std::string data(const std::string& relative) {
  return std::string(RECO_TEST_DATA) + "/" + relative;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  lines.push_back(text.substr(start));
  return lines;
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// Compares line by line so that a failure names the first differing line (and stops there).
void compareWithExpected(const std::string& actual, const std::string& expectedPath) {
  const std::string expected = readFile(expectedPath);
  ASSERT_FALSE(expected.empty()) << "missing expected file " << expectedPath;
  const std::vector<std::string> a = splitLines(actual), e = splitLines(expected);
  for (std::size_t i = 0; i < std::min(a.size(), e.size()); ++i)
    ASSERT_EQ(a[i], e[i]) << "line " << i + 1 << " of " << expectedPath;
  EXPECT_EQ(a.size(), e.size()) << expectedPath;
}

std::string import(const std::string& path, ImportOptions options = {}) {
  RecordingSink sink;
  Outcome outcome = readSource(path, options, sink, nullptr, {});
  if (outcome != Outcome::Completed) throw std::runtime_error("not completed");
  return sink.text;
}

/// Runs readSource and returns the error (kind, message); (Internal, "no error thrown") when
/// none is thrown, which no test expects.
std::pair<ErrorKind, std::string> importError(const std::string& path, ImportOptions options = {}) {
  RecordingSink sink;
  try {
    readSource(path, options, sink, nullptr, {});
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  return {ErrorKind::Internal, "no error thrown"};
}

class CountingObserver : public JobObserver {
 public:
  void onProgress(const Progress& p) override {
    ++calls;
    last = p;
  }
  int calls = 0;
  Progress last;
};

TEST(Readers, FormatsAndPolicies) {
  for (Format f : {Format::Auto, Format::MovieLens, Format::OnlineRetail, Format::Events,
                   Format::RatingsCsv, Format::Csv})
    EXPECT_EQ(parseFormat(formatName(f)), f);
  EXPECT_EQ(std::string(formatName(Format::OnlineRetail)), std::string("online-retail"));
  try {
    parseFormat("xls");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_TRUE(std::string(e.what()).find("ratings-csv") != std::string::npos) << e.what();
  }
  EXPECT_EQ(parseDuplicatePolicy("sum"), DuplicatePolicy::Sum);
  EXPECT_EQ(std::string(duplicatePolicyName(DuplicatePolicy::Last)), std::string("last"));
  EXPECT_THROW(parseDuplicatePolicy("avg"), Error);
  EXPECT_EQ(std::string(feedbackName(Feedback::Quantity)), std::string("quantity"));
}

TEST(Readers, ColumnMapsAndWeights) {
  static const char* const roles[] = {"user", "item", "time", nullptr};
  ColumnMap map = parseColumnMap("user=customer, item=3", roles);
  EXPECT_EQ(map.size(), std::size_t(2));
  EXPECT_EQ(map.at("user"), std::string("customer"));
  EXPECT_EQ(map.at("item"), std::string("3"));
  EXPECT_TRUE(parseColumnMap("", roles).empty());
  try {
    parseColumnMap("user=a,price=b", roles);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_TRUE(std::string(e.what()).find("unknown role 'price'") != std::string::npos)
        << e.what();
    EXPECT_TRUE(std::string(e.what()).find("user, item, time") != std::string::npos) << e.what();
  }
  EXPECT_THROW(parseColumnMap("user", roles), Error);
  EXPECT_THROW(parseColumnMap("user=a,user=b", roles), Error);

  EventWeights d = defaultEventWeights();
  EXPECT_CLOSE(d.at("view"), 1.0, 1e-12);
  EXPECT_CLOSE(d.at("cart"), 3.0, 1e-12);
  EXPECT_CLOSE(d.at("addtocart"), 3.0, 1e-12);
  EXPECT_CLOSE(d.at("purchase"), 5.0, 1e-12);
  EXPECT_CLOSE(d.at("transaction"), 5.0, 1e-12);
  EventWeights w = parseEventWeights("view=1,cart=2.5,purchase=5");
  EXPECT_EQ(w.size(), std::size_t(3));
  EXPECT_CLOSE(w.at("cart"), 2.5, 1e-12);
  EXPECT_THROW(parseEventWeights("view=x"), Error);
  EXPECT_THROW(parseEventWeights("view=-1"), Error);
}

TEST(Readers, ValidateOptions) {
  ImportOptions ok;
  ok.validate();
  ImportOptions o;
  o.minUserInteractions = -1;
  EXPECT_THROW(o.validate(), Error);
  o = {};
  o.since = 100;
  o.until = 100;
  EXPECT_THROW(o.validate(), Error);
  o = {};
  o.itemsMap = {{"id", "sku"}};
  EXPECT_THROW(o.validate(), Error);  // no items file
  o = {};
  o.format = Format::Csv;
  o.map = {{"user", "0"}};
  EXPECT_THROW(o.validate(), Error);  // no item column
}

TEST(Readers, Dates) {
  EXPECT_EQ(parseDateTime("1970-01-01").value(), std::int64_t(0));
  EXPECT_EQ(parseDateTime("2010-12-01 08:26:00").value(), std::int64_t(1291191960));
  EXPECT_EQ(parseDateTime("2010-12-01 08:26").value(), std::int64_t(1291191960));
  EXPECT_EQ(parseDateTime("2010-12-01T08:26:00").value(), std::int64_t(1291191960));
  EXPECT_EQ(parseDateTime("2010-12-01T08:26:00Z").value(), std::int64_t(1291191960));
  EXPECT_EQ(parseDateTime("2010-12-01T09:26:00+01:00").value(), std::int64_t(1291191960));
  EXPECT_EQ(parseDateTime("2019-10-01 00:00:00 UTC").value(), std::int64_t(1569888000));
  EXPECT_EQ(parseDateTime("2011-12-09 12:50:00").value(), std::int64_t(1323435000));
  EXPECT_EQ(parseDateTime("2000-02-29").value(), std::int64_t(951782400));
  EXPECT_EQ(parseDateTime("1291191960").value(), std::int64_t(1291191960));
  EXPECT_EQ(parseDateTime("1969-12-31 23:59:59").value(), std::int64_t(-1));
  EXPECT_FALSE(parseDateTime("2001-02-29"));
  EXPECT_FALSE(parseDateTime("2010-13-01"));
  EXPECT_FALSE(parseDateTime("2010-12-01 24:00:00"));
  EXPECT_FALSE(parseDateTime("2010-12-01 08:26:00 CET"));
  EXPECT_FALSE(parseDateTime("12/1/2010 8:26"));
  EXPECT_FALSE(parseDateTime(""));
  EXPECT_FALSE(parseDateTime("abc"));
  EXPECT_EQ(formatDateTime(1291191960), std::string("2010-12-01 08:26:00"));
  EXPECT_EQ(formatDateTime(0), std::string("1970-01-01 00:00:00"));
  EXPECT_EQ(formatDateTime(-1), std::string("1969-12-31 23:59:59"));
  EXPECT_EQ(formatDateTime(951782400), std::string("2000-02-29 00:00:00"));
  for (std::int64_t t = -400LL * 86400 * 366; t < 200LL * 86400 * 366; t += 86400 * 7 + 3671)
    EXPECT_EQ(parseDateTime(formatDateTime(t)).value(), t) << formatDateTime(t);
}

TEST(Readers, TextReaderLineEndings) {
  reco::testing::TempDir dir;
  const std::string cr = dir.file("cr.txt");
  writeFile(cr, "a\rb\r\rc");
  TextReader reader(cr, "text");
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.nextLine(line)) lines.emplace_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(reader.line(), std::size_t(4));
  EXPECT_EQ(reader.bytesDone(), std::uint64_t(6));

  const std::string crlf = dir.file("crlf.txt");
  writeFile(crlf, "\xEF\xBB\xBFx,y\r\n\"q\r\nr\",s\r\nlast");
  TextReader r2(crlf, "text");
  std::string_view rec;
  ASSERT_TRUE(r2.nextRecord(rec, ','));
  EXPECT_EQ(std::string(rec), std::string("x,y"));
  ASSERT_TRUE(r2.nextRecord(rec, ','));
  EXPECT_EQ(std::string(rec), std::string("\"q\nr\",s"));
  EXPECT_EQ(r2.line(), std::size_t(2));
  ASSERT_TRUE(r2.nextRecord(rec, ','));
  EXPECT_EQ(std::string(rec), std::string("last"));
  EXPECT_EQ(r2.line(), std::size_t(4));
  EXPECT_FALSE(r2.nextRecord(rec, ','));
}

// A file the reader refuses in its constructor (empty, binary) closes its stream: the
// destructor never runs for an object whose constructor threw (found by the asan lane).
TEST(Readers, RefusedFilesLeaveNoOpenDescriptor) {
  reco::testing::TempDir dir;
  const std::string empty = dir.file("empty.csv");
  const std::string binary = dir.file("binary.csv");
  writeFile(empty, "");
  writeFile(binary, std::string("a,b\n\x01\x02\x03", 7));
  const auto openDescriptors = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                         std::filesystem::directory_iterator{});
  };
  const auto before = openDescriptors();
  for (int i = 0; i < 50; ++i) {
    EXPECT_THROW(TextReader(empty, "text"), reco::Error);
    EXPECT_THROW(TextReader(binary, "text"), reco::Error);
  }
  EXPECT_EQ(openDescriptors(), before);
}

TEST(Readers, TextReaderLongLines) {
  // Lines longer than the 1 MiB block make the buffer grow; lines across blocks join.
  reco::testing::TempDir dir;
  const std::string path = dir.file("long.txt");
  std::string big(3 << 20, 'x');
  std::string text;
  for (int i = 0; i < 200000; ++i) text += std::to_string(i) + "\n";
  text += big + "\nend";
  writeFile(path, text);
  TextReader reader(path, "text");
  std::string_view line;
  for (int i = 0; i < 200000; ++i) {
    ASSERT_TRUE(reader.nextLine(line)) << "line " << i;
    ASSERT_EQ(line, std::to_string(i)) << "line " << i;
  }
  ASSERT_TRUE(reader.nextLine(line));
  EXPECT_EQ(line.size(), big.size());
  ASSERT_TRUE(reader.nextLine(line));
  EXPECT_EQ(std::string(line), std::string("end"));
  EXPECT_FALSE(reader.nextLine(line));
  EXPECT_EQ(reader.bytesDone(), reader.bytesTotal());
}

TEST(Readers, FieldSplitting) {
  FieldSplitter f;
  EXPECT_EQ(f.split("a,b,,c,", ','), std::size_t(5));
  EXPECT_EQ(std::string(f[3]), std::string("c"));
  EXPECT_EQ(std::string(f[4]), std::string(""));
  EXPECT_EQ(f.column(3), std::size_t(6));
  EXPECT_EQ(f.split("1,\"x, \"\"y\"\"\",3,\"\"", ','), std::size_t(4));
  EXPECT_EQ(std::string(f[1]), std::string("x, \"y\""));
  EXPECT_EQ(std::string(f[2]), std::string("3"));
  EXPECT_EQ(f.column(2), std::size_t(14));
  EXPECT_EQ(std::string(f[3]), std::string(""));
  EXPECT_EQ(f.split("5\" screen,2", ','), std::size_t(2));  // a quote inside is literal
  EXPECT_EQ(std::string(f[0]), std::string("5\" screen"));
  EXPECT_EQ(f.split("1::Title: x::A|B", std::string_view("::")), std::size_t(3));
  EXPECT_EQ(std::string(f[1]), std::string("Title: x"));
}

TEST(Readers, Utf8) {
  EXPECT_TRUE(isValidUtf8("plain ascii text, longer than eight bytes"));
  EXPECT_TRUE(isValidUtf8("Mis\xC3\xA9rables"));
  EXPECT_FALSE(isValidUtf8("Mis\xE9rables"));
  EXPECT_FALSE(isValidUtf8("\xC3"));
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));  // a surrogate
  std::string storage;
  EXPECT_EQ(std::string(ensureUtf8("Mis\xE9rables \xA3"
                                   "40",
                                   storage)),
            std::string("Mis\xC3\xA9rables \xC2\xA3"
                        "40"));
  EXPECT_EQ(std::string(ensureUtf8("\xC2\xA3"
                                   "40",
                                   storage)),
            std::string("\xC2\xA3"
                        "40"));
}

TEST(Readers, Detect) {
  EXPECT_EQ(detectFormat(data("ml100k")), Format::MovieLens);
  EXPECT_EQ(detectFormat(data("ml100k/u.data")), Format::MovieLens);
  EXPECT_EQ(detectFormat(data("ml1m")), Format::MovieLens);
  EXPECT_EQ(detectFormat(data("ml1m/ratings.dat")), Format::MovieLens);
  EXPECT_EQ(detectFormat(data("retail/online_retail.csv")), Format::OnlineRetail);
  EXPECT_EQ(detectFormat(data("events/events.csv")), Format::Events);
  EXPECT_EQ(detectFormat(data("ratings/ratings.csv")), Format::RatingsCsv);
  EXPECT_EQ(detectFormat(data("ratings/noheader.csv")), Format::RatingsCsv);
  EXPECT_EQ(detectFormat(data("csv/shop.tsv")), Format::Csv);
  EXPECT_EQ(detectFormat(data("csv/pipe.txt")), Format::Csv);
  auto files = sourceFiles(data("ml100k"), Format::Auto);
  ASSERT_EQ(files.size(), std::size_t(3));
  EXPECT_TRUE(files[0].ends_with("u.data")) << files[0];
  EXPECT_TRUE(files[1].ends_with("u.item")) << files[1];
  EXPECT_TRUE(files[2].ends_with("u.user")) << files[2];
}

TEST(Readers, MovieLens100k) {
  compareWithExpected(import(data("ml100k")), data("ml100k/expected.txt"));
  compareWithExpected(import(data("ml100k/u.data")), data("ml100k/expected.txt"));
}
TEST(Readers, MovieLens1m) {
  compareWithExpected(import(data("ml1m")), data("ml1m/expected.txt"));
}
TEST(Readers, OnlineRetail) {
  compareWithExpected(import(data("retail/online_retail.csv")), data("retail/expected.txt"));
}
TEST(Readers, EventLog) {
  compareWithExpected(import(data("events/events.csv")), data("events/expected.txt"));
}
TEST(Readers, RatingsCsv) {
  compareWithExpected(import(data("ratings/ratings.csv")), data("ratings/expected.txt"));
  compareWithExpected(import(data("ratings/noheader.csv")), data("ratings/noheader_expected.txt"));
}
TEST(Readers, MappedCsvWithItems) {
  ImportOptions o;
  o.format = Format::Csv;
  o.map = {{"user", "customer"},
           {"item", "product"},
           {"time", "when"},
           {"event", "kind"},
           {"quantity", "qty"}};
  o.itemsPath = data("csv/items.csv");
  compareWithExpected(import(data("csv/shop.tsv"), o), data("csv/shop_expected.txt"));
  ImportOptions p;
  p.format = Format::Csv;
  p.map = {{"user", "1"}, {"item", "0"}};
  compareWithExpected(import(data("csv/pipe.txt"), p), data("csv/pipe_expected.txt"));
}
TEST(Readers, MapOverridesDetectedColumns) {
  // The ratings file read with user and item swapped through the map.
  ImportOptions o;
  o.format = Format::RatingsCsv;
  o.map = {{"user", "movieId"}, {"item", "userId"}};
  std::string text = import(data("ratings/ratings.csv"), o);
  EXPECT_TRUE(text.find("interaction line=2 user=31 item=1 time=1260759144") != std::string::npos);
}

TEST(Readers, MissingFile) {
  auto [kind, message] = importError(data("nothing/here.csv"));
  EXPECT_EQ(kind, ErrorKind::Io);
  EXPECT_EQ(message, "cannot open " + data("nothing/here.csv") + ": No such file or directory");
}
TEST(Readers, EmptyFile) {
  auto [kind, message] = importError(data("broken/empty.csv"));
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_TRUE(message.rfind(data("broken/empty.csv") + " is empty: expected ", 0) == 0) << message;
}
TEST(Readers, BinaryFile) {
  auto [kind, message] = importError(data("broken/binary.csv"));
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_TRUE(message.rfind(data("broken/binary.csv") + ":2:4: binary data: byte 0x00", 0) == 0)
      << message;
}
TEST(Readers, RaggedFile) {
  auto [kind, message] = importError(data("broken/ragged.csv"));
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_EQ(message, data("broken/ragged.csv") +
                         ":2: expected 3 fields separated by ',', found 2 (no row in the first 3 "
                         "rows has 3 fields)");
  // The same throughout a long file: stops after the first 1000 rows.
  reco::testing::TempDir dir;
  const std::string path = dir.file("long_ragged.tsv");
  std::string text = "user\titem\trating\n";
  for (int i = 0; i < 5000; ++i) text += "1\t2\t3\t4\n";
  writeFile(path, text);
  RecordingSink sink(false);
  try {
    readSource(path, {}, sink, nullptr, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path +
                                         ":2: expected 3 fields separated by tab, found 4 (no "
                                         "row in the first 1000 rows has 3 fields)");
  }
  // The 1000th bad row raises the error instead of a reject.
  EXPECT_EQ(sink.rejects["wrong number of fields"], std::size_t(999));
}
TEST(Readers, MissingMappedColumn) {
  ImportOptions o;
  o.format = Format::Csv;
  o.map = {{"user", "customer"}, {"item", "product"}, {"rating", "stars"}};
  auto [kind, message] = importError(data("csv/shop.tsv"), o);
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_EQ(message, data("csv/shop.tsv") +
                         ":1: column 'stars' (mapped to rating) is not in the header; the columns "
                         "are: when, customer, product, kind, qty");
  o.map = {{"user", "1"}, {"item", "7"}};
  std::tie(kind, message) = importError(data("csv/pipe.txt"), o);
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_TRUE(message.find("pipe.txt:1: column 7 (mapped to item) does not exist") !=
              std::string::npos)
      << message;
  // A generic CSV without a map and without recognisable names.
  ImportOptions none;
  none.format = Format::Csv;
  std::tie(kind, message) = importError(data("csv/pipe.txt"), none);
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_TRUE(message.find("no user column") != std::string::npos) << message;
}
// A number too large for a double rejects its row with a reason, as "abc" does; it no
// longer aborts the whole import (issue 11, point 24).
TEST(Readers, NumberOutOfRange) {
  RecordingSink sink(false);
  EXPECT_EQ(readSource(data("broken/out_of_range.csv"), {}, sink, nullptr, {}), Outcome::Completed);
  EXPECT_EQ(sink.rejects["rating out of range"], std::size_t(1));
}

// A quote that is never closed is a located error, not a field that swallows the file.
TEST(Readers, UnterminatedQuoteAtTheEnd) {
  reco::testing::TempDir dir;
  const std::string path = dir.file("open_quote.csv");
  writeFile(path,
            "user,item,rating,title\nu1,i1,5,ok\nu4,i4,1,\"x\nu5,i5,1,after\nu6,i6,2,later\n");
  ImportOptions o;
  o.format = Format::Csv;
  o.map = {{"user", "user"}, {"item", "item"}, {"rating", "rating"}};
  auto [kind, message] = importError(path, o);
  EXPECT_EQ(kind, ErrorKind::Data);
  EXPECT_TRUE(
      message.find("open_quote.csv:3: a quoted field opened on this line is never closed") !=
      std::string::npos)
      << message;
}

TEST(Readers, StopAndProgress) {
  reco::testing::TempDir dir;
  const std::string path = dir.file("many.csv");
  std::string text = "user,item,rating\n";
  for (int i = 0; i < 200000; ++i)
    text += std::to_string(i % 97) + "," + std::to_string(i) + ",4\n";
  writeFile(path, text);
  RecordingSink sink(false);
  CountingObserver observer;
  EXPECT_EQ(readSource(path, {}, sink, &observer, {}), Outcome::Completed);
  EXPECT_EQ(sink.interactions, std::size_t(200000));
  EXPECT_GE(observer.calls, 3);
  EXPECT_EQ(observer.last.done, std::uint64_t(text.size()));
  EXPECT_EQ(observer.last.total, std::uint64_t(text.size()));

  std::stop_source stop;
  stop.request_stop();
  RecordingSink stopped(false);
  EXPECT_EQ(readSource(path, {}, stopped, nullptr, stop.get_token()), Outcome::Stopped);
  EXPECT_LT(stopped.interactions, 5000u);
}
}  // namespace
