// Format readers against golden files (tests/data/*/expected*.txt, written by hand from
// the input files), plus the options parsers, dates, the text reader and bad input.

#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/io/format_reader.h"
#include "core/io/text_reader.h"
#include "recording_sink.h"

using namespace reco;
using namespace reco::io;
using reco::test::RecordingSink;

namespace {

std::string data(const std::string& relative) { return std::string(RECO_TEST_DATA) + "/" + relative; }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// Compares line by line so that a failure names the first differing line.
void compareWithExpected(const std::string& actual, const std::string& expectedPath) {
  const std::string expected = readFile(expectedPath);
  QVERIFY2(!expected.empty(), ("missing expected file " + expectedPath).c_str());
  QStringList a = QString::fromStdString(actual).split('\n');
  QStringList e = QString::fromStdString(expected).split('\n');
  for (int i = 0; i < std::min(a.size(), e.size()); ++i) {
    if (a[i] != e[i]) qWarning().noquote() << "line" << i + 1 << "of" << expectedPath.c_str();
    QCOMPARE(a[i], e[i]);
  }
  QCOMPARE(a.size(), e.size());
}

std::string import(const std::string& path, ImportOptions options = {}) {
  RecordingSink sink;
  Outcome outcome = readSource(path, options, sink, nullptr, {});
  if (outcome != Outcome::Completed) throw std::runtime_error("not completed");
  return sink.text;
}

/// Runs readSource and returns the error (kind, message); fails the test if none is thrown.
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

}  // namespace

class TestReaders : public QObject {
  Q_OBJECT

 private slots:
  void formatsAndPolicies() {
    for (Format f : {Format::Auto, Format::MovieLens, Format::OnlineRetail, Format::Events,
                     Format::RatingsCsv, Format::Csv})
      QCOMPARE(parseFormat(formatName(f)), f);
    QCOMPARE(std::string(formatName(Format::OnlineRetail)), std::string("online-retail"));
    try {
      parseFormat("xls");
      QFAIL("no error");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Config);
      QVERIFY(std::string(e.what()).find("ratings-csv") != std::string::npos);
    }
    QCOMPARE(parseDuplicatePolicy("sum"), DuplicatePolicy::Sum);
    QCOMPARE(std::string(duplicatePolicyName(DuplicatePolicy::Last)), std::string("last"));
    QVERIFY_THROWS_EXCEPTION(Error, parseDuplicatePolicy("avg"));
    QCOMPARE(std::string(feedbackName(Feedback::Quantity)), std::string("quantity"));
  }

  void columnMapsAndWeights() {
    static const char* const roles[] = {"user", "item", "time", nullptr};
    ColumnMap map = parseColumnMap("user=customer, item=3", roles);
    QCOMPARE(map.size(), std::size_t(2));
    QCOMPARE(map.at("user"), std::string("customer"));
    QCOMPARE(map.at("item"), std::string("3"));
    QVERIFY(parseColumnMap("", roles).empty());
    try {
      parseColumnMap("user=a,price=b", roles);
      QFAIL("no error");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Config);
      QVERIFY(std::string(e.what()).find("unknown role 'price'") != std::string::npos);
      QVERIFY(std::string(e.what()).find("user, item, time") != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(Error, parseColumnMap("user", roles));
    QVERIFY_THROWS_EXCEPTION(Error, parseColumnMap("user=a,user=b", roles));

    EventWeights d = defaultEventWeights();
    QCOMPARE(d.at("view"), 1.0);
    QCOMPARE(d.at("cart"), 3.0);
    QCOMPARE(d.at("addtocart"), 3.0);
    QCOMPARE(d.at("purchase"), 5.0);
    QCOMPARE(d.at("transaction"), 5.0);
    EventWeights w = parseEventWeights("view=1,cart=2.5,purchase=5");
    QCOMPARE(w.size(), std::size_t(3));
    QCOMPARE(w.at("cart"), 2.5);
    QVERIFY_THROWS_EXCEPTION(Error, parseEventWeights("view=x"));
    QVERIFY_THROWS_EXCEPTION(Error, parseEventWeights("view=-1"));
  }

  void validateOptions() {
    ImportOptions ok;
    ok.validate();
    ImportOptions o;
    o.minUserInteractions = -1;
    QVERIFY_THROWS_EXCEPTION(Error, o.validate());
    o = {};
    o.since = 100;
    o.until = 100;
    QVERIFY_THROWS_EXCEPTION(Error, o.validate());
    o = {};
    o.itemsMap = {{"id", "sku"}};
    QVERIFY_THROWS_EXCEPTION(Error, o.validate());  // no items file
    o = {};
    o.format = Format::Csv;
    o.map = {{"user", "0"}};
    QVERIFY_THROWS_EXCEPTION(Error, o.validate());  // no item column
  }

  void dates() {
    QCOMPARE(parseDateTime("1970-01-01").value(), std::int64_t(0));
    QCOMPARE(parseDateTime("2010-12-01 08:26:00").value(), std::int64_t(1291191960));
    QCOMPARE(parseDateTime("2010-12-01 08:26").value(), std::int64_t(1291191960));
    QCOMPARE(parseDateTime("2010-12-01T08:26:00").value(), std::int64_t(1291191960));
    QCOMPARE(parseDateTime("2010-12-01T08:26:00Z").value(), std::int64_t(1291191960));
    QCOMPARE(parseDateTime("2010-12-01T09:26:00+01:00").value(), std::int64_t(1291191960));
    QCOMPARE(parseDateTime("2019-10-01 00:00:00 UTC").value(), std::int64_t(1569888000));
    QCOMPARE(parseDateTime("2011-12-09 12:50:00").value(), std::int64_t(1323435000));
    QCOMPARE(parseDateTime("2000-02-29").value(), std::int64_t(951782400));
    QCOMPARE(parseDateTime("1291191960").value(), std::int64_t(1291191960));
    QCOMPARE(parseDateTime("1969-12-31 23:59:59").value(), std::int64_t(-1));
    QVERIFY(!parseDateTime("2001-02-29"));
    QVERIFY(!parseDateTime("2010-13-01"));
    QVERIFY(!parseDateTime("2010-12-01 24:00:00"));
    QVERIFY(!parseDateTime("2010-12-01 08:26:00 CET"));
    QVERIFY(!parseDateTime("12/1/2010 8:26"));
    QVERIFY(!parseDateTime(""));
    QVERIFY(!parseDateTime("abc"));
    QCOMPARE(formatDateTime(1291191960), std::string("2010-12-01 08:26:00"));
    QCOMPARE(formatDateTime(0), std::string("1970-01-01 00:00:00"));
    QCOMPARE(formatDateTime(-1), std::string("1969-12-31 23:59:59"));
    QCOMPARE(formatDateTime(951782400), std::string("2000-02-29 00:00:00"));
    for (std::int64_t t = -400LL * 86400 * 366; t < 200LL * 86400 * 366; t += 86400 * 7 + 3671)
      QCOMPARE(parseDateTime(formatDateTime(t)).value(), t);
  }

  void textReaderLineEndings() {
    QTemporaryDir dir;
    const std::string cr = dir.filePath("cr.txt").toStdString();
    writeFile(cr, "a\rb\r\rc");
    TextReader reader(cr, "text");
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.nextLine(line)) lines.emplace_back(line);
    QCOMPARE(lines, (std::vector<std::string>{"a", "b", "", "c"}));
    QCOMPARE(reader.line(), std::size_t(4));
    QCOMPARE(reader.bytesDone(), std::uint64_t(6));

    const std::string crlf = dir.filePath("crlf.txt").toStdString();
    writeFile(crlf, "\xEF\xBB\xBFx,y\r\n\"q\r\nr\",s\r\nlast");
    TextReader r2(crlf, "text");
    std::string_view rec;
    QVERIFY(r2.nextRecord(rec, ','));
    QCOMPARE(std::string(rec), std::string("x,y"));
    QVERIFY(r2.nextRecord(rec, ','));
    QCOMPARE(std::string(rec), std::string("\"q\nr\",s"));
    QCOMPARE(r2.line(), std::size_t(2));
    QVERIFY(r2.nextRecord(rec, ','));
    QCOMPARE(std::string(rec), std::string("last"));
    QCOMPARE(r2.line(), std::size_t(4));
    QVERIFY(!r2.nextRecord(rec, ','));
  }

  void textReaderLongLines() {
    // Lines longer than the 1 MiB block make the buffer grow; lines across blocks join.
    QTemporaryDir dir;
    const std::string path = dir.filePath("long.txt").toStdString();
    std::string big(3 << 20, 'x');
    std::string text;
    for (int i = 0; i < 200000; ++i) text += std::to_string(i) + "\n";
    text += big + "\nend";
    writeFile(path, text);
    TextReader reader(path, "text");
    std::string_view line;
    for (int i = 0; i < 200000; ++i) {
      QVERIFY(reader.nextLine(line));
      if (line != std::to_string(i)) QFAIL(("line " + std::to_string(i)).c_str());
    }
    QVERIFY(reader.nextLine(line));
    QCOMPARE(line.size(), big.size());
    QVERIFY(reader.nextLine(line));
    QCOMPARE(std::string(line), std::string("end"));
    QVERIFY(!reader.nextLine(line));
    QCOMPARE(reader.bytesDone(), reader.bytesTotal());
  }

  void fieldSplitting() {
    FieldSplitter f;
    QCOMPARE(f.split("a,b,,c,", ','), std::size_t(5));
    QCOMPARE(std::string(f[3]), std::string("c"));
    QCOMPARE(std::string(f[4]), std::string(""));
    QCOMPARE(f.column(3), std::size_t(6));
    QCOMPARE(f.split("1,\"x, \"\"y\"\"\",3,\"\"", ','), std::size_t(4));
    QCOMPARE(std::string(f[1]), std::string("x, \"y\""));
    QCOMPARE(std::string(f[2]), std::string("3"));
    QCOMPARE(f.column(2), std::size_t(14));
    QCOMPARE(std::string(f[3]), std::string(""));
    QCOMPARE(f.split("5\" screen,2", ','), std::size_t(2));  // a quote inside is literal
    QCOMPARE(std::string(f[0]), std::string("5\" screen"));
    QCOMPARE(f.split("1::Title: x::A|B", std::string_view("::")), std::size_t(3));
    QCOMPARE(std::string(f[1]), std::string("Title: x"));
  }

  void utf8() {
    QVERIFY(isValidUtf8("plain ascii text, longer than eight bytes"));
    QVERIFY(isValidUtf8("Mis\xC3\xA9rables"));
    QVERIFY(!isValidUtf8("Mis\xE9rables"));
    QVERIFY(!isValidUtf8("\xC3"));
    QVERIFY(!isValidUtf8("\xED\xA0\x80"));  // a surrogate
    std::string storage;
    QCOMPARE(std::string(ensureUtf8("Mis\xE9rables \xA3" "40", storage)),
             std::string("Mis\xC3\xA9rables \xC2\xA3" "40"));
    QCOMPARE(std::string(ensureUtf8("\xC2\xA3" "40", storage)), std::string("\xC2\xA3" "40"));
  }

  void detect() {
    QCOMPARE(detectFormat(data("ml100k")), Format::MovieLens);
    QCOMPARE(detectFormat(data("ml100k/u.data")), Format::MovieLens);
    QCOMPARE(detectFormat(data("ml1m")), Format::MovieLens);
    QCOMPARE(detectFormat(data("ml1m/ratings.dat")), Format::MovieLens);
    QCOMPARE(detectFormat(data("retail/online_retail.csv")), Format::OnlineRetail);
    QCOMPARE(detectFormat(data("events/events.csv")), Format::Events);
    QCOMPARE(detectFormat(data("ratings/ratings.csv")), Format::RatingsCsv);
    QCOMPARE(detectFormat(data("ratings/noheader.csv")), Format::RatingsCsv);
    QCOMPARE(detectFormat(data("csv/shop.tsv")), Format::Csv);
    QCOMPARE(detectFormat(data("csv/pipe.txt")), Format::Csv);
    auto files = sourceFiles(data("ml100k"), Format::Auto);
    QCOMPARE(files.size(), std::size_t(3));
    QVERIFY(QString::fromStdString(files[0]).endsWith("u.data"));
    QVERIFY(QString::fromStdString(files[1]).endsWith("u.item"));
    QVERIFY(QString::fromStdString(files[2]).endsWith("u.user"));
  }

  void movieLens100k() {
    compareWithExpected(import(data("ml100k")), data("ml100k/expected.txt"));
    compareWithExpected(import(data("ml100k/u.data")), data("ml100k/expected.txt"));
  }
  void movieLens1m() { compareWithExpected(import(data("ml1m")), data("ml1m/expected.txt")); }
  void onlineRetail() {
    compareWithExpected(import(data("retail/online_retail.csv")), data("retail/expected.txt"));
  }
  void eventLog() { compareWithExpected(import(data("events/events.csv")), data("events/expected.txt")); }
  void ratingsCsv() {
    compareWithExpected(import(data("ratings/ratings.csv")), data("ratings/expected.txt"));
    compareWithExpected(import(data("ratings/noheader.csv")), data("ratings/noheader_expected.txt"));
  }
  void mappedCsvWithItems() {
    ImportOptions o;
    o.format = Format::Csv;
    o.map = {{"user", "customer"}, {"item", "product"}, {"time", "when"}, {"event", "kind"}, {"quantity", "qty"}};
    o.itemsPath = data("csv/items.csv");
    compareWithExpected(import(data("csv/shop.tsv"), o), data("csv/shop_expected.txt"));
    ImportOptions p;
    p.format = Format::Csv;
    p.map = {{"user", "1"}, {"item", "0"}};
    compareWithExpected(import(data("csv/pipe.txt"), p), data("csv/pipe_expected.txt"));
  }
  void mapOverridesDetectedColumns() {
    // The ratings file read with user and item swapped through the map.
    ImportOptions o;
    o.format = Format::RatingsCsv;
    o.map = {{"user", "movieId"}, {"item", "userId"}};
    std::string text = import(data("ratings/ratings.csv"), o);
    QVERIFY(text.find("interaction line=2 user=31 item=1 time=1260759144") != std::string::npos);
  }

  void missingFile() {
    auto [kind, message] = importError(data("nothing/here.csv"));
    QCOMPARE(kind, ErrorKind::Io);
    QCOMPARE(message, "cannot open " + data("nothing/here.csv") + ": No such file or directory");
  }
  void emptyFile() {
    auto [kind, message] = importError(data("broken/empty.csv"));
    QCOMPARE(kind, ErrorKind::Data);
    QVERIFY2(message.rfind(data("broken/empty.csv") + " is empty: expected ", 0) == 0, message.c_str());
  }
  void binaryFile() {
    auto [kind, message] = importError(data("broken/binary.csv"));
    QCOMPARE(kind, ErrorKind::Data);
    QVERIFY2(message.rfind(data("broken/binary.csv") + ":2:4: binary data: byte 0x00", 0) == 0,
             message.c_str());
  }
  void raggedFile() {
    auto [kind, message] = importError(data("broken/ragged.csv"));
    QCOMPARE(kind, ErrorKind::Data);
    QCOMPARE(message, data("broken/ragged.csv") +
                          ":2: expected 3 fields separated by ',', found 2 (no row in the first 3 "
                          "rows has 3 fields)");
    // The same throughout a long file: stops after the first 1000 rows.
    QTemporaryDir dir;
    const std::string path = dir.filePath("long_ragged.tsv").toStdString();
    std::string text = "user\titem\trating\n";
    for (int i = 0; i < 5000; ++i) text += "1\t2\t3\t4\n";
    writeFile(path, text);
    RecordingSink sink(false);
    try {
      readSource(path, {}, sink, nullptr, {});
      QFAIL("no error");
    } catch (const Error& e) {
      QCOMPARE(std::string(e.what()), path + ":2: expected 3 fields separated by tab, found 4 (no "
                                             "row in the first 1000 rows has 3 fields)");
    }
    // The 1000th bad row raises the error instead of a reject.
    QCOMPARE(sink.rejects["wrong number of fields"], std::size_t(999));
  }
  void missingMappedColumn() {
    ImportOptions o;
    o.format = Format::Csv;
    o.map = {{"user", "customer"}, {"item", "product"}, {"rating", "stars"}};
    auto [kind, message] = importError(data("csv/shop.tsv"), o);
    QCOMPARE(kind, ErrorKind::Data);
    QCOMPARE(message, data("csv/shop.tsv") +
                          ":1: column 'stars' (mapped to rating) is not in the header; the columns "
                          "are: when, customer, product, kind, qty");
    o.map = {{"user", "1"}, {"item", "7"}};
    std::tie(kind, message) = importError(data("csv/pipe.txt"), o);
    QCOMPARE(kind, ErrorKind::Data);
    QVERIFY2(message.find("pipe.txt:1: column 7 (mapped to item) does not exist") != std::string::npos,
             message.c_str());
    // A generic CSV without a map and without recognisable names.
    ImportOptions none;
    none.format = Format::Csv;
    std::tie(kind, message) = importError(data("csv/pipe.txt"), none);
    QCOMPARE(kind, ErrorKind::Data);
    QVERIFY2(message.find("no user column") != std::string::npos, message.c_str());
  }
  // A number too large for a double rejects its row with a reason, as "abc" does; it no
  // longer aborts the whole import (issue 11, point 24).
  void numberOutOfRange() {
    RecordingSink sink(false);
    QCOMPARE(readSource(data("broken/out_of_range.csv"), {}, sink, nullptr, {}), Outcome::Completed);
    QCOMPARE(sink.rejects["rating out of range"], std::size_t(1));
  }

  // A quote that is never closed is a located error, not a field that swallows the file.
  void unterminatedQuoteAtTheEnd() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("open_quote.csv").toStdString();
    writeFile(path, "user,item,rating,title\nu1,i1,5,ok\nu4,i4,1,\"x\nu5,i5,1,after\nu6,i6,2,later\n");
    ImportOptions o;
    o.format = Format::Csv;
    o.map = {{"user", "user"}, {"item", "item"}, {"rating", "rating"}};
    auto [kind, message] = importError(path, o);
    QCOMPARE(kind, ErrorKind::Data);
    QVERIFY2(message.find("open_quote.csv:3: a quoted field opened on this line is never closed") != std::string::npos,
             message.c_str());
  }

  void stopAndProgress() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("many.csv").toStdString();
    std::string text = "user,item,rating\n";
    for (int i = 0; i < 200000; ++i) text += std::to_string(i % 97) + "," + std::to_string(i) + ",4\n";
    writeFile(path, text);
    RecordingSink sink(false);
    CountingObserver observer;
    QCOMPARE(readSource(path, {}, sink, &observer, {}), Outcome::Completed);
    QCOMPARE(sink.interactions, std::size_t(200000));
    QVERIFY(observer.calls >= 3);
    QCOMPARE(observer.last.done, std::uint64_t(text.size()));
    QCOMPARE(observer.last.total, std::uint64_t(text.size()));

    std::stop_source stop;
    stop.request_stop();
    RecordingSink stopped(false);
    QCOMPARE(readSource(path, {}, stopped, nullptr, stop.get_token()), Outcome::Stopped);
    QVERIFY(stopped.interactions < 5000);
  }
};

QTEST_GUILESS_MAIN(TestReaders)
#include "test_readers.moc"
