// The synthetic shop generator and the events CSV writer: determinism, exact counts, a
// believable catalogue, heavy-tailed popularity, the funnel, time bounds, stopping, scale,
// and the committed demo files being exactly what their recipe makes.
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/io/csv_record_writer.h"
#include "core/io/import_options.h"
// Last: it switches off floating-point contraction for the rest of this file.
#include "core/data/synthetic_detail.h"

using reco::data::SyntheticOptions;
using reco::io::InteractionRecord;
using reco::io::ItemRecord;

namespace {

struct Event {
  std::string user, item, event;
  std::int64_t time = 0;
};

struct Item {
  std::string id, title, category, brand;
  double price = 0;
};

/// Keeps everything, and checks the order of calls as it goes.
class CollectingSink : public reco::io::RecordSink {
 public:
  void begin(reco::io::Feedback feedback) override {
    ++begins;
    this->feedback = feedback;
  }
  void interaction(const InteractionRecord& r) override {
    if (begins != 1) orderBroken = true;
    events.push_back({std::string(r.user), std::string(r.item), std::string(r.event), r.time});
    if (r.value != 1.0) orderBroken = true;
  }
  void item(const ItemRecord& r) override {
    if (begins != 1 || !events.empty()) orderBroken = true;  // items come first
    Item item{std::string(r.id), std::string(r.title), std::string(r.category), "", r.price.value_or(-1)};
    for (const auto& [key, value] : r.attributes)
      if (key == "brand") item.brand = value;
    items.push_back(item);
  }
  void user(const reco::io::UserRecord&) override {}
  void reject(std::string_view, std::size_t, std::string_view) override { ++rejects; }

  int begins = 0;
  reco::io::Feedback feedback = reco::io::Feedback::Rating;
  std::vector<Event> events;
  std::vector<Item> items;
  int rejects = 0;
  bool orderBroken = false;
};

/// Counts only; asks to stop after `stopAfter` events when set.
class CountingSink : public reco::io::RecordSink {
 public:
  void begin(reco::io::Feedback) override {}
  void interaction(const InteractionRecord&) override {
    if (++count == stopAfter) source.request_stop();
  }
  void item(const ItemRecord&) override {}
  void user(const reco::io::UserRecord&) override {}
  void reject(std::string_view, std::size_t, std::string_view) override {}
  std::uint64_t count = 0;
  std::uint64_t stopAfter = 0;
  std::stop_source source;
};

class RecordingObserver : public reco::JobObserver {
 public:
  void onProgress(const reco::Progress& p) override { progress.push_back(p); }
  std::vector<reco::Progress> progress;
};

SyntheticOptions small(std::uint64_t seed) {
  SyntheticOptions o;
  o.users = 500;
  o.items = 120;
  o.interactions = 12000;
  o.seed = seed;
  return o;
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return file.readAll();
}

QByteArray writeCsv(const SyntheticOptions& options, const QString& eventsPath) {
  reco::io::CsvRecordWriter writer(eventsPath.toStdString(), reco::io::itemsPathBeside(eventsPath.toStdString()));
  const auto outcome = reco::data::generateShop(options, writer, nullptr, {});
  writer.finish();
  if (outcome != reco::Outcome::Completed) return {};
  return readAll(eventsPath) + "\n--items--\n" +
         readAll(QString::fromStdString(reco::io::itemsPathBeside(eventsPath.toStdString())));
}

double share(std::uint64_t part, std::uint64_t whole) { return whole ? double(part) / double(whole) : 0.0; }

}  // namespace

class TestSynthetic : public QObject {
  Q_OBJECT

 private slots:
  void sameSeedGivesIdenticalBytes() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray a = writeCsv(small(7), dir.filePath("a.csv"));
    const QByteArray b = writeCsv(small(7), dir.filePath("b.csv"));
    const QByteArray c = writeCsv(small(8), dir.filePath("c.csv"));
    QVERIFY(a.size() > 100000);
    QCOMPARE(a, b);
    QVERIFY(a != c);
    QVERIFY(a.startsWith("timestamp,user_id,event,item_id\n"));
    QVERIFY(a.contains("\n--items--\nitem_id,title,category,price,brand\n"));
  }

  void exactlyTheRequestedCount_data() {
    QTest::addColumn<qint64>("users");
    QTest::addColumn<qint64>("items");
    QTest::addColumn<qint64>("interactions");
    QTest::newRow("typical") << qint64(300) << qint64(80) << qint64(7777);
    QTest::newRow("fewer events than users") << qint64(1000) << qint64(50) << qint64(333);
    QTest::newRow("fewer items than leaves") << qint64(40) << qint64(3) << qint64(999);
    QTest::newRow("one user, one item") << qint64(1) << qint64(1) << qint64(501);
    QTest::newRow("no events") << qint64(10) << qint64(10) << qint64(0);
    QTest::newRow("one event per user") << qint64(250) << qint64(30) << qint64(250);
  }
  void exactlyTheRequestedCount() {
    QFETCH(qint64, users);
    QFETCH(qint64, items);
    QFETCH(qint64, interactions);
    SyntheticOptions o;
    o.users = users;
    o.items = items;
    o.interactions = interactions;
    o.seed = 3;
    CollectingSink sink;
    QCOMPARE(reco::data::generateShop(o, sink, nullptr, {}), reco::Outcome::Completed);
    QCOMPARE(sink.begins, 1);
    QVERIFY(sink.feedback == reco::io::Feedback::Event);
    QVERIFY(!sink.orderBroken);
    QCOMPARE(qint64(sink.events.size()), interactions);
    QCOMPARE(qint64(sink.items.size()), items);
    std::set<std::string> users_;
    for (const auto& e : sink.events) users_.insert(e.user);
    QVERIFY(qint64(users_.size()) <= users);
    if (interactions >= users) QCOMPARE(qint64(users_.size()), users);  // everyone is active
  }

  void catalogueIsBelievable() {
    SyntheticOptions o = small(11);
    o.items = 600;
    CollectingSink sink;
    reco::data::generateShop(o, sink, nullptr, {});
    std::set<std::string> ids, tops, leaves;
    std::map<std::string, std::vector<double>> pricesByLeaf;
    for (const auto& item : sink.items) {
      QVERIFY2(!item.title.empty(), item.id.c_str());
      QVERIFY2(!item.brand.empty(), item.id.c_str());
      QVERIFY2(item.title.rfind(item.brand + " ", 0) == 0, item.title.c_str());  // "Brand Noun ..."
      QVERIFY2(item.price > 0, item.id.c_str());
      const auto separator = item.category.find(" > ");
      QVERIFY2(separator != std::string::npos && separator > 0, item.category.c_str());
      QVERIFY(ids.insert(item.id).second);
      tops.insert(item.category.substr(0, separator));
      leaves.insert(item.category);
      pricesByLeaf[item.category].push_back(item.price);
    }
    QCOMPARE(int(tops.size()), 8);
    QVERIFY(leaves.size() >= 30);
    QVERIFY(tops.count("Electronics") && tops.count("Grocery") && tops.count("Books"));
    // Price levels depend on the category: laptops cost more than snacks.
    auto median = [&](const std::string& leaf) {
      auto v = pricesByLeaf.at(leaf);
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    QVERIFY(median("Electronics > Laptops") > 10 * median("Grocery > Snacks"));
    // Prices vary within a leaf (log-normal), not one price per category.
    const auto& headphones = pricesByLeaf.at("Electronics > Headphones");
    QVERIFY(*std::max_element(headphones.begin(), headphones.end()) >
            1.5 * *std::min_element(headphones.begin(), headphones.end()));
    // Titles are mostly distinct.
    std::set<std::string> titles;
    for (const auto& item : sink.items) titles.insert(item.title);
    QVERIFY(titles.size() > sink.items.size() * 95 / 100);
  }

  void popularityIsHeavyTailed() {
    SyntheticOptions o;
    o.users = 2000;
    o.items = 1000;
    o.interactions = 100000;
    o.seed = 5;
    CollectingSink sink;
    reco::data::generateShop(o, sink, nullptr, {});
    std::map<std::string, std::uint64_t> perItem;
    for (const auto& e : sink.events) ++perItem[e.item];
    std::vector<std::uint64_t> counts;
    for (const auto& [item, n] : perItem) counts.push_back(n);
    counts.resize(std::size_t(o.items), 0);
    std::sort(counts.rbegin(), counts.rend());
    std::uint64_t top10 = 0, bottom50 = 0;
    for (std::size_t i = 0; i < counts.size() / 10; ++i) top10 += counts[i];
    for (std::size_t i = counts.size() / 2; i < counts.size(); ++i) bottom50 += counts[i];
    const double topShare = share(top10, sink.events.size());
    const double bottomShare = share(bottom50, sink.events.size());
    qInfo("top 10%% of items: %.1f%% of events; bottom half: %.1f%%", topShare * 100, bottomShare * 100);
    QVERIFY(topShare > 0.4);
    QVERIFY(bottomShare < 0.15);
    // Uniform popularity (exponent 0) is not heavy-tailed: the check above can fail.
    o.popularityExponent = 0;
    CollectingSink flat;
    reco::data::generateShop(o, flat, nullptr, {});
    std::map<std::string, std::uint64_t> flatPerItem;
    for (const auto& e : flat.events) ++flatPerItem[e.item];
    std::vector<std::uint64_t> flatCounts;
    for (const auto& [item, n] : flatPerItem) flatCounts.push_back(n);
    std::sort(flatCounts.rbegin(), flatCounts.rend());
    std::uint64_t flatTop = 0;
    for (std::size_t i = 0; i < flatCounts.size() / 10; ++i) flatTop += flatCounts[i];
    QVERIFY(share(flatTop, flat.events.size()) < 0.3);
  }

  void usersAreActiveUnevenlyAndPicky() {
    SyntheticOptions o;
    o.users = 2000;
    o.items = 800;
    o.interactions = 100000;
    o.seed = 9;
    CollectingSink sink;
    reco::data::generateShop(o, sink, nullptr, {});
    std::map<std::string, std::string> topOf;
    for (const auto& item : sink.items) topOf[item.id] = item.category.substr(0, item.category.find(" > "));
    std::map<std::string, std::map<std::string, int>> tastes;
    std::map<std::string, int> activity;
    for (const auto& e : sink.events) {
      ++tastes[e.user][topOf[e.item]];
      ++activity[e.user];
    }
    std::vector<int> counts;
    for (const auto& [user, n] : activity) counts.push_back(n);
    std::sort(counts.begin(), counts.end());
    const int medianActivity = counts[counts.size() / 2];
    QVERIFY2(counts.back() > 8 * medianActivity, "activity is heavy-tailed");
    // Users with enough events spend most of them in their two favourite top categories.
    std::vector<double> focus;
    for (const auto& [user, byTop] : tastes) {
      std::vector<int> v;
      int total = 0;
      for (const auto& [top, n] : byTop) v.push_back(n), total += n;
      if (total < 30) continue;
      std::sort(v.rbegin(), v.rend());
      focus.push_back(double(v[0] + (v.size() > 1 ? v[1] : 0)) / total);
    }
    std::sort(focus.begin(), focus.end());
    QVERIFY(focus.size() > 100);
    QVERIFY(focus[focus.size() / 2] > 0.7);
  }

  void funnelNarrows() {
    CollectingSink sink;
    SyntheticOptions o = small(13);
    o.interactions = 50000;
    reco::data::generateShop(o, sink, nullptr, {});
    std::map<std::string, std::uint64_t> byEvent;
    for (const auto& e : sink.events) ++byEvent[e.event];
    QCOMPARE(int(byEvent.size()), 3);
    const auto views = byEvent["view"], carts = byEvent["cart"], purchases = byEvent["purchase"];
    QCOMPARE(views + carts + purchases, std::uint64_t(sink.events.size()));
    QVERIFY(views > 5 * carts);
    QVERIFY(carts > purchases);
    QVERIFY(purchases > sink.events.size() / 100);
    // A purchase usually follows a cart of the same item by the same user, within hours.
    std::map<std::pair<std::string, std::string>, std::int64_t> lastCart;
    std::uint64_t followed = 0;
    for (const auto& e : sink.events) {
      const auto key = std::make_pair(e.user, e.item);
      if (e.event == "cart") lastCart[key] = e.time;
      if (e.event == "purchase") {
        const auto it = lastCart.find(key);
        if (it != lastCart.end() && e.time - it->second < 6 * 3600) ++followed;
      }
    }
    QVERIFY(share(followed, purchases) > 0.8);
  }

  void timesStayInsideTheMonthsAndInOrder() {
    SyntheticOptions o = small(17);
    o.start = *reco::io::parseDateTime("2024-01-31");
    o.months = 1;
    QCOMPARE(o.end(), *reco::io::parseDateTime("2024-02-29"));  // Jan 31 + 1 month, leap year
    o.months = 3;
    QCOMPARE(o.end(), *reco::io::parseDateTime("2024-04-30"));
    o.start = *reco::io::parseDateTime("2024-11-01");
    o.months = 2;
    QCOMPARE(o.end(), *reco::io::parseDateTime("2025-01-01"));
    CollectingSink sink;
    reco::data::generateShop(o, sink, nullptr, {});
    std::set<std::string> finishedUsers;
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    std::set<std::int64_t> hoursSeen;
    std::map<int, int> byHour;
    for (std::size_t i = 0; i < sink.events.size(); ++i) {
      const auto& e = sink.events[i];
      QVERIFY(e.time >= o.start);
      QVERIFY(e.time < o.end());
      first = std::min(first, e.time);
      last = std::max(last, e.time);
      ++byHour[int(e.time % 86400 / 3600)];
      if (i > 0 && sink.events[i - 1].user == e.user) {
        QVERIFY2(sink.events[i - 1].time <= e.time, "a user's events are in time order");
      } else if (i > 0) {
        QVERIFY2(finishedUsers.insert(sink.events[i - 1].user).second, "users come one after another");
        QVERIFY2(!finishedUsers.count(e.user), "a user comes back");
      }
    }
    // Spread over the period, not bunched at its start.
    QVERIFY(last - first > (o.end() - o.start) * 9 / 10);
    // A daily rhythm: evenings are busier than the small hours.
    QVERIFY(byHour[20] > 3 * byHour[4]);
  }

  void progressAndStop() {
    RecordingObserver observer;
    SyntheticOptions o = small(19);
    o.interactions = 300000;
    CountingSink counting;
    QCOMPARE(reco::data::generateShop(o, counting, &observer, {}), reco::Outcome::Completed);
    QVERIFY(observer.progress.size() >= 3);
    QCOMPARE(observer.progress.back().done, std::uint64_t(o.interactions));
    QCOMPARE(observer.progress.back().total, std::uint64_t(o.interactions));
    for (std::size_t i = 1; i < observer.progress.size(); ++i)
      QVERIFY(observer.progress[i].done >= observer.progress[i - 1].done);

    // A stop asked for mid-way ends the job within a few thousand events.
    CountingSink stopping;
    stopping.stopAfter = 50000;
    QCOMPARE(reco::data::generateShop(o, stopping, nullptr, stopping.source.get_token()), reco::Outcome::Stopped);
    QVERIFY(stopping.count >= 50000);
    QVERIFY(stopping.count < 50000 + 10000);

    // A stop asked for before the start gives no interactions.
    std::stop_source already;
    already.request_stop();
    CountingSink none;
    QCOMPARE(reco::data::generateShop(o, none, nullptr, already.get_token()), reco::Outcome::Stopped);
    QCOMPARE(none.count, std::uint64_t(0));
  }

  void badOptionsFailLoudly() {
    auto fails = [](auto change) {
      SyntheticOptions o;
      change(o);
      try {
        o.validate();
      } catch (const reco::Error& e) {
        return e.kind() == reco::ErrorKind::Config;
      }
      return false;
    };
    QVERIFY(fails([](SyntheticOptions& o) { o.users = 0; }));
    QVERIFY(fails([](SyntheticOptions& o) { o.items = 0; }));
    QVERIFY(fails([](SyntheticOptions& o) { o.interactions = -1; }));
    QVERIFY(fails([](SyntheticOptions& o) { o.months = 0; }));
    QVERIFY(fails([](SyntheticOptions& o) { o.months = 121; }));
    QVERIFY(fails([](SyntheticOptions& o) { o.tasteConcentration = 0; }));
    QVERIFY(fails([](SyntheticOptions& o) { o.popularityExponent = -1; }));
    QVERIFY(!fails([](SyntheticOptions&) {}));
    SyntheticOptions bad;
    bad.months = 0;
    CountingSink sink;
    QVERIFY_THROWS_EXCEPTION(reco::Error, reco::data::generateShop(bad, sink, nullptr, {}));
  }

  void recipeNamesTheOptions() {
    SyntheticOptions o;
    o.users = 3000;
    o.items = 400;
    o.interactions = 60000;
    o.seed = 2026;
    QCOMPARE(QString::fromStdString(reco::data::syntheticRecipe(o)),
             QStringLiteral("gen-synthetic --users 3000 --items 400 --interactions 60000 --seed 2026 --months 6"));
    o.start = *reco::io::parseDateTime("2024-03-01");
    o.popularityExponent = 0.8;
    QCOMPARE(QString::fromStdString(reco::data::syntheticRecipe(o)),
             QStringLiteral("gen-synthetic --users 3000 --items 400 --interactions 60000 --seed 2026 --months 6 "
                            "--start 2024-03-01 --popularity 0.8"));
  }

  void csvWriterQuotesAndNamesFiles() {
    QCOMPARE(QString::fromStdString(reco::io::itemsPathBeside("/data/shop.csv")), QStringLiteral("/data/shop.items.csv"));
    QCOMPARE(QString::fromStdString(reco::io::itemsPathBeside("log")), QStringLiteral("log.items.csv"));
    QTemporaryDir dir;
    const std::string events = dir.filePath("e.csv").toStdString();
    const std::string items = reco::io::itemsPathBeside(events);
    {
      reco::io::CsvRecordWriter writer(events, items);
      writer.begin(reco::io::Feedback::Event);
      ItemRecord item;
      item.id = "A1";
      item.title = "Say \"Hi\", Bob";
      item.category = "Books > Fiction";
      item.price = 12.99;
      item.attributes = {{"colour", "red"}, {"brand", "Line\nBreak"}};
      writer.item(item);
      ItemRecord bare;
      bare.id = "A2";
      writer.item(bare);
      InteractionRecord r;
      r.user = "u,1";
      r.item = "A1";
      r.event = "view";
      r.time = *reco::io::parseDateTime("2025-03-04 05:06:07");
      writer.interaction(r);
      r.time = reco::io::kNoTime;
      r.event = "purchase";
      writer.interaction(r);
      writer.finish();
      QCOMPARE(writer.interactionsWritten(), std::uint64_t(2));
      QVERIFY_THROWS_EXCEPTION(reco::Error, writer.interaction(r));
      reco::io::CsvRecordWriter ratings(dir.filePath("r.csv").toStdString(), dir.filePath("r.items.csv").toStdString());
      QVERIFY_THROWS_EXCEPTION(reco::Error, ratings.begin(reco::io::Feedback::Rating));
    }
    QCOMPARE(readAll(QString::fromStdString(events)),
             QByteArray("timestamp,user_id,event,item_id\n"
                        "2025-03-04 05:06:07,\"u,1\",view,A1\n"
                        ",\"u,1\",purchase,A1\n"));
    QCOMPARE(readAll(QString::fromStdString(items)),
             QByteArray("item_id,title,category,price,brand\n"
                        "A1,\"Say \"\"Hi\"\", Bob\",Books > Fiction,12.99,\"Line\nBreak\"\n"
                        "A2,,,,\n"));
    QVERIFY_THROWS_EXCEPTION(reco::Error,
                             reco::io::CsvRecordWriter(dir.filePath("no/such/dir/x.csv").toStdString(), items));
    // A writer that never finished leaves nothing: no r.csv, no partial file beside it.
    QVERIFY(!QFile::exists(dir.filePath("r.csv")));
    const auto left = QDir(dir.path()).entryList({QStringLiteral("*.partial-*")});
    QVERIFY2(left.isEmpty(), qPrintable(left.join(QStringLiteral(", "))));
  }

  void scalesLinearly() {
    SyntheticOptions o;
    o.users = 20000;
    o.items = 5000;
    o.interactions = 400000;
    o.seed = 23;
    CountingSink sink;
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(reco::data::generateShop(o, sink, nullptr, {}), reco::Outcome::Completed);
    const auto ms = timer.elapsed();
    QCOMPARE(sink.count, std::uint64_t(o.interactions));
    qInfo("generated %llu events in %lld ms", static_cast<unsigned long long>(sink.count), static_cast<long long>(ms));
    // About 0.1 s in a release build; generous for debug and sanitizer builds.
    QVERIFY(ms < 20000);
  }

  void portableMathAgreesWithLibm() {
    using reco::data::detail::portableExp;
    using reco::data::detail::portableLog;
    QCOMPARE(portableExp(0.0), 1.0);
    QCOMPARE(portableLog(1.0), 0.0);
    QCOMPARE(portableExp(-1000.0), 0.0);
    QVERIFY(std::isinf(portableExp(1000.0)));
    QVERIFY(std::isinf(portableLog(0.0)) && portableLog(0.0) < 0);
    for (double x = -744.0; x < 709.0; x += 0.731) {
      const double expected = std::exp(x);
      QVERIFY2(std::abs(portableExp(x) - expected) <= 4e-16 * expected, qPrintable(QString::number(x)));
    }
    for (double x = 1e-310; x < 1e300; x *= 1.93) {
      const double expected = std::log(x);
      QVERIFY2(std::abs(portableLog(x) - expected) <= 4e-16 * std::max(1.0, std::abs(expected)),
               qPrintable(QString::number(x)));
    }
    for (double x = 0.5; x < 2.0; x += 0.001) QVERIFY(std::abs(portableLog(x) - std::log(x)) <= 2e-16);
  }

  void committedDemoMatchesItsRecipe() {
    // datasets/README.md: reco gen-synthetic --users 3000 --items 400 --interactions 60000
    // --seed 2026 --out datasets/demo/events.csv. A change to the generator that changes
    // its output must regenerate the demo (and this test says so).
    const QString demo = QStringLiteral(RECO_SOURCE_DIR "/datasets/demo/events.csv");
    if (!QFile::exists(demo)) QSKIP("datasets/demo/events.csv is not there");
    SyntheticOptions o;
    o.users = 3000;
    o.items = 400;
    o.interactions = 60000;
    o.seed = 2026;
    QTemporaryDir dir;
    const QByteArray made = writeCsv(o, dir.filePath("events.csv"));
    const QByteArray committed = readAll(demo) + "\n--items--\n" +
                                 readAll(QStringLiteral(RECO_SOURCE_DIR "/datasets/demo/events.items.csv"));
    QVERIFY2(made == committed,
             "the generator no longer makes the committed demo: regenerate it with the recipe in datasets/README.md");
  }
};

QTEST_GUILESS_MAIN(TestSynthetic)
#include "test_synthetic.moc"
