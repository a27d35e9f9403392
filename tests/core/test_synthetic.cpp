// The synthetic shop generator and the events CSV writer: determinism, exact counts, a
// believable catalogue, heavy-tailed popularity, the funnel, time bounds, stopping, scale,
// and the committed demo files being exactly what their recipe makes.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/io/csv_record_writer.h"
#include "core/io/import_options.h"
#include "tests/support/gtest_support.h"
#include "tests/support/workspace_dump.h"
// Last: it switches off floating-point contraction for the rest of this file.
#include "core/data/synthetic_detail.h"

namespace {

using reco::data::SyntheticOptions;
using reco::io::InteractionRecord;
using reco::io::ItemRecord;
using reco::testing::fileBytes;

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
    Item item{std::string(r.id), std::string(r.title), std::string(r.category), "",
              r.price.value_or(-1)};
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

/// The events file and the items file the CSV writer makes of `options`, joined by a
/// "--items--" line; empty when the generator did not complete.
std::string writeCsv(const SyntheticOptions& options, const std::string& eventsPath) {
  const std::string itemsPath = reco::io::itemsPathBeside(eventsPath);
  reco::io::CsvRecordWriter writer(eventsPath, itemsPath);
  const auto outcome = reco::data::generateShop(options, writer, nullptr, {});
  writer.finish();
  if (outcome != reco::Outcome::Completed) return {};
  return fileBytes(eventsPath) + "\n--items--\n" + fileBytes(itemsPath);
}

double share(std::uint64_t part, std::uint64_t whole) {
  return whole ? double(part) / double(whole) : 0.0;
}

TEST(Synthetic, SameSeedGivesIdenticalBytes) {
  const reco::testing::TempDir dir;
  const std::string a = writeCsv(small(7), dir.file("a.csv"));
  const std::string b = writeCsv(small(7), dir.file("b.csv"));
  const std::string c = writeCsv(small(8), dir.file("c.csv"));
  EXPECT_GT(a.size(), 100000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a.rfind("timestamp,user_id,event,item_id\n", 0), 0u);
  EXPECT_NE(a.find("\n--items--\nitem_id,title,category,price,brand\n"), std::string::npos);
}

/// A shop's size: the generator must make exactly this many items and interactions.
struct ShopSize {
  const char* name;  // the test's name suffix
  std::int64_t users, items, interactions;
};

class ExactCount : public ::testing::TestWithParam<ShopSize> {};

TEST_P(ExactCount, ExactlyTheRequestedCount) {
  const ShopSize size = GetParam();
  SyntheticOptions o;
  o.users = size.users;
  o.items = size.items;
  o.interactions = size.interactions;
  o.seed = 3;
  CollectingSink sink;
  ASSERT_EQ(reco::data::generateShop(o, sink, nullptr, {}), reco::Outcome::Completed);
  EXPECT_EQ(sink.begins, 1);
  EXPECT_TRUE(sink.feedback == reco::io::Feedback::Event);
  EXPECT_FALSE(sink.orderBroken);
  EXPECT_EQ(std::int64_t(sink.events.size()), size.interactions);
  EXPECT_EQ(std::int64_t(sink.items.size()), size.items);
  std::set<std::string> users;
  for (const auto& e : sink.events) users.insert(e.user);
  EXPECT_LE(std::int64_t(users.size()), size.users);
  if (size.interactions >= size.users) {
    EXPECT_EQ(std::int64_t(users.size()), size.users);  // everyone is active
  }
}

INSTANTIATE_TEST_SUITE_P(Synthetic, ExactCount,
                         ::testing::Values(ShopSize{"Typical", 300, 80, 7777},
                                           ShopSize{"FewerEventsThanUsers", 1000, 50, 333},
                                           ShopSize{"FewerItemsThanLeaves", 40, 3, 999},
                                           ShopSize{"OneUserOneItem", 1, 1, 501},
                                           ShopSize{"NoEvents", 10, 10, 0},
                                           ShopSize{"OneEventPerUser", 250, 30, 250}),
                         [](const ::testing::TestParamInfo<ShopSize>& info) {
                           return std::string(info.param.name);
                         });

TEST(Synthetic, CatalogueIsBelievable) {
  SyntheticOptions o = small(11);
  o.items = 600;
  CollectingSink sink;
  reco::data::generateShop(o, sink, nullptr, {});
  std::set<std::string> ids, tops, leaves;
  std::map<std::string, std::vector<double>> pricesByLeaf;
  for (const auto& item : sink.items) {
    SCOPED_TRACE(item.id);
    EXPECT_FALSE(item.title.empty());
    EXPECT_FALSE(item.brand.empty());
    EXPECT_EQ(item.title.rfind(item.brand + " ", 0), 0u) << item.title;  // "Brand Noun ..."
    EXPECT_GT(item.price, 0);
    const auto separator = item.category.find(" > ");
    EXPECT_TRUE(separator != std::string::npos && separator > 0) << item.category;
    EXPECT_TRUE(ids.insert(item.id).second) << "a repeated id";
    tops.insert(item.category.substr(0, separator));
    leaves.insert(item.category);
    pricesByLeaf[item.category].push_back(item.price);
  }
  EXPECT_EQ(tops.size(), 8u);
  EXPECT_GE(leaves.size(), 30u);
  EXPECT_TRUE(tops.count("Electronics") && tops.count("Grocery") && tops.count("Books"));
  // Price levels depend on the category: laptops cost more than snacks.
  auto median = [&](const std::string& leaf) {
    auto v = pricesByLeaf.at(leaf);
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  EXPECT_GT(median("Electronics > Laptops"), 10 * median("Grocery > Snacks"));
  // Prices vary within a leaf (log-normal), not one price per category.
  const auto& headphones = pricesByLeaf.at("Electronics > Headphones");
  EXPECT_GT(*std::max_element(headphones.begin(), headphones.end()),
            1.5 * *std::min_element(headphones.begin(), headphones.end()));
  // Titles are mostly distinct.
  std::set<std::string> titles;
  for (const auto& item : sink.items) titles.insert(item.title);
  EXPECT_GT(titles.size(), sink.items.size() * 95 / 100);
}

TEST(Synthetic, PopularityIsHeavyTailed) {
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
  std::printf("top 10%% of items: %.1f%% of events; bottom half: %.1f%%\n", topShare * 100,
              bottomShare * 100);
  EXPECT_GT(topShare, 0.4);
  EXPECT_LT(bottomShare, 0.15);
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
  EXPECT_LT(share(flatTop, flat.events.size()), 0.3);
}

TEST(Synthetic, UsersAreActiveUnevenlyAndPicky) {
  SyntheticOptions o;
  o.users = 2000;
  o.items = 800;
  o.interactions = 100000;
  o.seed = 9;
  CollectingSink sink;
  reco::data::generateShop(o, sink, nullptr, {});
  std::map<std::string, std::string> topOf;
  for (const auto& item : sink.items)
    topOf[item.id] = item.category.substr(0, item.category.find(" > "));
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
  EXPECT_GT(counts.back(), 8 * medianActivity) << "activity is heavy-tailed";
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
  ASSERT_GT(focus.size(), 100u);
  EXPECT_GT(focus[focus.size() / 2], 0.7);
}

TEST(Synthetic, FunnelNarrows) {
  CollectingSink sink;
  SyntheticOptions o = small(13);
  o.interactions = 50000;
  reco::data::generateShop(o, sink, nullptr, {});
  std::map<std::string, std::uint64_t> byEvent;
  for (const auto& e : sink.events) ++byEvent[e.event];
  EXPECT_EQ(byEvent.size(), 3u);
  const auto views = byEvent["view"], carts = byEvent["cart"], purchases = byEvent["purchase"];
  EXPECT_EQ(views + carts + purchases, std::uint64_t(sink.events.size()));
  EXPECT_GT(views, 5 * carts);
  EXPECT_GT(carts, purchases);
  EXPECT_GT(purchases, sink.events.size() / 100);
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
  EXPECT_GT(share(followed, purchases), 0.8);
}

TEST(Synthetic, TimesStayInsideTheMonthsAndInOrder) {
  SyntheticOptions o = small(17);
  o.start = *reco::io::parseDateTime("2024-01-31");
  o.months = 1;
  EXPECT_EQ(o.end(), *reco::io::parseDateTime("2024-02-29"));  // Jan 31 + 1 month, leap year
  o.months = 3;
  EXPECT_EQ(o.end(), *reco::io::parseDateTime("2024-04-30"));
  o.start = *reco::io::parseDateTime("2024-11-01");
  o.months = 2;
  EXPECT_EQ(o.end(), *reco::io::parseDateTime("2025-01-01"));
  CollectingSink sink;
  reco::data::generateShop(o, sink, nullptr, {});
  std::set<std::string> finishedUsers;
  std::int64_t first = INT64_MAX, last = INT64_MIN;
  std::set<std::int64_t> hoursSeen;
  std::map<int, int> byHour;
  for (std::size_t i = 0; i < sink.events.size(); ++i) {
    const auto& e = sink.events[i];
    EXPECT_GE(e.time, o.start) << "event " << i;
    EXPECT_LT(e.time, o.end()) << "event " << i;
    first = std::min(first, e.time);
    last = std::max(last, e.time);
    ++byHour[int(e.time % 86400 / 3600)];
    if (i > 0 && sink.events[i - 1].user == e.user) {
      EXPECT_LE(sink.events[i - 1].time, e.time) << "a user's events are in time order: " << e.user;
    } else if (i > 0) {
      EXPECT_TRUE(finishedUsers.insert(sink.events[i - 1].user).second)
          << "users come one after another: " << sink.events[i - 1].user;
      EXPECT_FALSE(finishedUsers.count(e.user)) << "a user comes back: " << e.user;
    }
  }
  // Spread over the period, not bunched at its start.
  EXPECT_GT(last - first, (o.end() - o.start) * 9 / 10);
  // A daily rhythm: evenings are busier than the small hours.
  EXPECT_GT(byHour[20], 3 * byHour[4]);
}

TEST(Synthetic, ProgressAndStop) {
  RecordingObserver observer;
  SyntheticOptions o = small(19);
  o.interactions = 300000;
  CountingSink counting;
  EXPECT_EQ(reco::data::generateShop(o, counting, &observer, {}), reco::Outcome::Completed);
  ASSERT_GE(observer.progress.size(), 3u);
  EXPECT_EQ(observer.progress.back().done, std::uint64_t(o.interactions));
  EXPECT_EQ(observer.progress.back().total, std::uint64_t(o.interactions));
  for (std::size_t i = 1; i < observer.progress.size(); ++i)
    EXPECT_GE(observer.progress[i].done, observer.progress[i - 1].done) << "report " << i;

  // A stop asked for mid-way ends the job within a few thousand events.
  CountingSink stopping;
  stopping.stopAfter = 50000;
  EXPECT_EQ(reco::data::generateShop(o, stopping, nullptr, stopping.source.get_token()),
            reco::Outcome::Stopped);
  EXPECT_GE(stopping.count, 50000u);
  EXPECT_LT(stopping.count, 50000u + 10000u);

  // A stop asked for before the start gives no interactions.
  std::stop_source already;
  already.request_stop();
  CountingSink none;
  EXPECT_EQ(reco::data::generateShop(o, none, nullptr, already.get_token()),
            reco::Outcome::Stopped);
  EXPECT_EQ(none.count, 0u);
}

TEST(Synthetic, BadOptionsFailLoudly) {
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
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.users = 0; }));
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.items = 0; }));
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.interactions = -1; }));
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.months = 0; }));
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.months = 121; }));
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.tasteConcentration = 0; }));
  EXPECT_TRUE(fails([](SyntheticOptions& o) { o.popularityExponent = -1; }));
  EXPECT_FALSE(fails([](SyntheticOptions&) {}));
  SyntheticOptions bad;
  bad.months = 0;
  CountingSink sink;
  EXPECT_THROW(reco::data::generateShop(bad, sink, nullptr, {}), reco::Error);
}

TEST(Synthetic, RecipeNamesTheOptions) {
  SyntheticOptions o;
  o.users = 3000;
  o.items = 400;
  o.interactions = 60000;
  o.seed = 2026;
  EXPECT_EQ(reco::data::syntheticRecipe(o),
            "gen-synthetic --users 3000 --items 400 --interactions 60000 --seed 2026 --months 6");
  o.start = *reco::io::parseDateTime("2024-03-01");
  o.popularityExponent = 0.8;
  EXPECT_EQ(reco::data::syntheticRecipe(o),
            "gen-synthetic --users 3000 --items 400 --interactions 60000 --seed 2026 --months 6 "
            "--start 2024-03-01 --popularity 0.8");
}

TEST(Synthetic, CsvWriterQuotesAndNamesFiles) {
  EXPECT_EQ(reco::io::itemsPathBeside("/data/shop.csv"), "/data/shop.items.csv");
  EXPECT_EQ(reco::io::itemsPathBeside("log"), "log.items.csv");
  const reco::testing::TempDir dir;
  const std::string events = dir.file("e.csv");
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
    EXPECT_EQ(writer.interactionsWritten(), 2u);
    EXPECT_THROW(writer.interaction(r), reco::Error);
    reco::io::CsvRecordWriter ratings(dir.file("r.csv"), dir.file("r.items.csv"));
    EXPECT_THROW(ratings.begin(reco::io::Feedback::Rating), reco::Error);
  }
  EXPECT_EQ(fileBytes(events),
            "timestamp,user_id,event,item_id\n"
            "2025-03-04 05:06:07,\"u,1\",view,A1\n"
            ",\"u,1\",purchase,A1\n");
  EXPECT_EQ(fileBytes(items),
            "item_id,title,category,price,brand\n"
            "A1,\"Say \"\"Hi\"\", Bob\",Books > Fiction,12.99,\"Line\nBreak\"\n"
            "A2,,,,\n");
  EXPECT_THROW(reco::io::CsvRecordWriter(dir.file("no/such/dir/x.csv"), items), reco::Error);
  // A writer that never finished leaves nothing: no r.csv, no partial file beside it.
  EXPECT_FALSE(std::filesystem::exists(dir.file("r.csv")));
  std::string left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    if (entry.path().filename().string().find(".partial-") != std::string::npos)
      left += entry.path().filename().string() + " ";
  EXPECT_TRUE(left.empty()) << left;
}

TEST(Synthetic, ScalesLinearly) {
  SyntheticOptions o;
  o.users = 20000;
  o.items = 5000;
  o.interactions = 400000;
  o.seed = 23;
  CountingSink sink;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(reco::data::generateShop(o, sink, nullptr, {}), reco::Outcome::Completed);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_EQ(sink.count, std::uint64_t(o.interactions));
  std::printf("generated %llu events in %lld ms\n", static_cast<unsigned long long>(sink.count),
              static_cast<long long>(ms));
  // About 0.1 s in a release build: a figure to read, not a limit (speed targets live in
  // benchmarks, .github/CONTRIBUTING.md).
}

TEST(Synthetic, PortableMathAgreesWithLibm) {
  using reco::data::detail::portableExp;
  using reco::data::detail::portableLog;
  EXPECT_CLOSE(portableExp(0.0), 1.0, 1e-12);
  EXPECT_CLOSE(portableLog(1.0), 0.0, 1e-12);
  EXPECT_CLOSE(portableExp(-1000.0), 0.0, 1e-12);
  EXPECT_TRUE(std::isinf(portableExp(1000.0)));
  EXPECT_TRUE(std::isinf(portableLog(0.0)) && portableLog(0.0) < 0);
  for (double x = -744.0; x < 709.0; x += 0.731) {
    const double expected = std::exp(x);
    EXPECT_LE(std::abs(portableExp(x) - expected), 4e-16 * expected) << "x = " << x;
  }
  for (double x = 1e-310; x < 1e300; x *= 1.93) {
    const double expected = std::log(x);
    EXPECT_LE(std::abs(portableLog(x) - expected), 4e-16 * std::max(1.0, std::abs(expected)))
        << "x = " << x;
  }
  for (double x = 0.5; x < 2.0; x += 0.001)
    EXPECT_LE(std::abs(portableLog(x) - std::log(x)), 2e-16) << "x = " << x;
}

TEST(Synthetic, CommittedDemoMatchesItsRecipe) {
  // datasets/README.md: reco gen-synthetic --users 3000 --items 400 --interactions 60000
  // --seed 2026 --out datasets/demo/events.csv. A change to the generator that changes
  // its output must regenerate the demo (and this test says so).
  const std::string demo = RECO_SOURCE_DIR "/datasets/demo/events.csv";
  if (!std::filesystem::exists(demo)) GTEST_SKIP() << demo << " is not there";
  SyntheticOptions o;
  o.users = 3000;
  o.items = 400;
  o.interactions = 60000;
  o.seed = 2026;
  const reco::testing::TempDir dir;
  const std::string made = writeCsv(o, dir.file("events.csv"));
  const std::string committed = fileBytes(demo) + "\n--items--\n" +
                                fileBytes(RECO_SOURCE_DIR "/datasets/demo/events.items.csv");
  // Not EXPECT_EQ: the message would print both files.
  EXPECT_TRUE(made == committed) << "the generator no longer makes the committed demo: "
                                    "regenerate it with the recipe in datasets/README.md";
}

}  // namespace
