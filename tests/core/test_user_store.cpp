// The Users screen's reading (core/storage/user_store.h) on a tiny shop worked by hand:
// per-user counts, last active and top category; a history in time order with item data;
// the profile's categories and price quantiles; a user's split parts; item metadata.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

#include "core/common/error.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "tests/support/event_rows.h"

using reco::storage::UserSummaries;
using reco::storage::Workspace;

namespace {

/// Items: i1 Kitchen 10.00, i2 Kitchen 20.00, i3 Garden 5.00, i4 without category or price.
/// u1: i1 view t=1000, i2 purchase t=3000, i3 view t=2000   -> 3, last 3000, Kitchen (2 vs 1)
/// u2: i3 view t=5000, i1 view t=4000                        -> 2, last 5000, Garden (1-1 tie: by name)
/// u3: i4 cart t=6000                                        -> 1, last 6000, no category
/// u4: i2 view t=7000, i1 view t=7000 (same time)            -> 2, last 7000, Kitchen
reco::DatasetId importShop(Workspace& workspace) {
  reco::io::ImportOptions options;
  options.name = "shop";
  const auto produce = [](reco::io::RecordSink& sink) {
    sink.begin(reco::io::Feedback::Event);
    struct Item { const char* id; const char* title; const char* category; std::optional<double> price; };
    const Item items[] = {{"i1", "Kettle", "Kitchen", 10.0}, {"i2", "Toaster", "Kitchen", 20.0},
                          {"i3", "Rake", "Garden", 5.0},     {"i4", "Gift card", "", std::nullopt}};
    for (const Item& item : items) {
      reco::io::ItemRecord record;
      record.id = item.id;
      record.title = item.title;
      record.category = item.category;
      record.price = item.price;
      sink.item(record);
    }
    const reco::testing::EventRow rows[] = {
        {"u1", "i1", "view", 1000}, {"u2", "i3", "view", 5000}, {"u1", "i2", "purchase", 3000},
        {"u3", "i4", "cart", 6000}, {"u1", "i3", "view", 2000}, {"u2", "i1", "view", 4000},
        {"u4", "i2", "view", 7000}, {"u4", "i1", "view", 7000}};
    reco::testing::sendEvents(sink, rows);
    return reco::Outcome::Completed;
  };
  return reco::storage::importRecords(workspace, "events", "memory", options, produce, nullptr, {}).dataset.id;
}

}  // namespace

class TestUserStore : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Workspace> ws_;
  reco::DatasetId dataset_ = 0;

  std::int32_t user(const char* id) {
    const auto found = reco::storage::findUser(*ws_, dataset_, id);
    if (!found) qFatal("no user %s", id);
    return *found;
  }

 private slots:
  void initTestCase() {
    ws_ = std::make_unique<Workspace>(dir_.filePath("shop.reco").toStdString(), Workspace::OpenMode::CreateIfMissing);
    dataset_ = importShop(*ws_);
  }

  void summariesCountLastActiveAndTopCategory() {
    const UserSummaries s = reco::storage::summarizeUsers(*ws_, dataset_, nullptr, {});
    QCOMPARE(int(s.outcome), int(reco::Outcome::Completed));
    QCOMPARE(s.size(), std::size_t(4));
    QCOMPARE(s.categories, (std::vector<std::string>{"Garden", "Kitchen"}));
    QVERIFY(std::is_sorted(s.users.begin(), s.users.end()));
    struct Expected { const char* id; int interactions; std::int64_t last; const char* top; };
    const Expected expected[] = {{"u1", 3, 3000, "Kitchen"}, {"u2", 2, 5000, "Garden"}, {"u3", 1, 6000, ""},
                                 {"u4", 2, 7000, "Kitchen"}};
    for (const Expected& e : expected) {
      const std::ptrdiff_t row = s.rowOfUser(user(e.id));
      QVERIFY2(row >= 0, e.id);
      QCOMPARE(std::string(s.externalId(std::size_t(row))), std::string(e.id));
      QCOMPARE(s.interactions[std::size_t(row)], e.interactions);
      QCOMPARE(s.lastActive[std::size_t(row)], e.last);
      QCOMPARE(s.categoryName(s.topCategory[std::size_t(row)]), std::string(e.top));
    }
    QCOMPARE(s.rowOfUser(999), std::ptrdiff_t(-1));
    QVERIFY(s.bytes() > 0 && s.bytes() < 4096);
  }

  void findUserByExternalId() {
    QVERIFY(reco::storage::findUser(*ws_, dataset_, "u3").has_value());
    QVERIFY(!reco::storage::findUser(*ws_, dataset_, "nobody").has_value());
  }

  void historyIsChronologicalWithItemData() {
    const auto history = reco::storage::loadUserHistory(*ws_, dataset_, user("u1"));
    QCOMPARE(history.externalId, std::string("u1"));
    QCOMPARE(history.feedback, std::string("event"));
    QCOMPARE(history.entries.size(), std::size_t(3));
    // Stored in import order i1, i2, i3; shown by time: 1000 i1, 2000 i3, 3000 i2.
    QCOMPARE(history.entries[0].item.title, std::string("Kettle"));
    QCOMPARE(history.entries[1].item.title, std::string("Rake"));
    QCOMPARE(history.entries[2].item.title, std::string("Toaster"));
    QCOMPARE(history.entries[2].event, std::string("purchase"));
    QCOMPARE(history.entries[2].value, 5.0);  // purchase weight
    QCOMPARE(history.entries[2].item.price.value(), 20.0);
    QCOMPARE(history.entries[1].item.category, std::string("Garden"));
    QCOMPARE(*history.entries[0].time, std::int64_t(1000));
  }

  void equalTimesKeepImportOrder() {
    const auto history = reco::storage::loadUserHistory(*ws_, dataset_, user("u4"));
    QCOMPARE(history.entries.size(), std::size_t(2));
    QCOMPARE(history.entries[0].item.externalId, std::string("i2"));
    QCOMPARE(history.entries[1].item.externalId, std::string("i1"));
    QVERIFY(history.entries[0].seq < history.entries[1].seq);
  }

  void unknownUserIsAConfigError() {
    try {
      reco::storage::loadUserHistory(*ws_, dataset_, 12345);
      QFAIL("expected an error");
    } catch (const reco::Error& e) {
      QCOMPARE(int(e.kind()), int(reco::ErrorKind::Config));
    }
  }

  void profileCategoriesAndPriceQuantiles() {
    const auto profile = reco::storage::summarizeHistory(reco::storage::loadUserHistory(*ws_, dataset_, user("u1")));
    QCOMPARE(profile.categories.size(), std::size_t(2));
    QCOMPARE(profile.categories[0].category, std::string("Kitchen"));
    QCOMPARE(profile.categories[0].interactions, std::int64_t(2));
    QCOMPARE(profile.categories[0].items, std::int64_t(2));
    QCOMPARE(profile.categories[1].category, std::string("Garden"));
    QCOMPARE(profile.distinctItems, std::int64_t(3));
    // Prices 5, 10, 20: quartiles by interpolation 7.5, 10, 15.
    QVERIFY(profile.prices.has_value());
    QCOMPARE(profile.prices->count, std::size_t(3));
    QCOMPARE(profile.prices->min, 5.0);
    QCOMPARE(profile.prices->q25, 7.5);
    QCOMPARE(profile.prices->median, 10.0);
    QCOMPARE(profile.prices->q75, 15.0);
    QCOMPARE(profile.prices->max, 20.0);
    QCOMPARE(profile.times, (std::vector<std::int64_t>{1000, 2000, 3000}));
    QCOMPARE(*profile.firstTime, std::int64_t(1000));
    QCOMPARE(*profile.lastTime, std::int64_t(3000));

    const auto unpriced = reco::storage::summarizeHistory(reco::storage::loadUserHistory(*ws_, dataset_, user("u3")));
    QVERIFY(!unpriced.prices.has_value());
    QCOMPARE(unpriced.categories.size(), std::size_t(1));
    QCOMPARE(unpriced.categories[0].category, std::string());
  }

  void splitPartsPartitionTheUsersPairs() {
    const auto info = ws_->findDataset(dataset_);
    reco::SplitOptions options;
    options.test = 0.5;
    options.seed = 7;
    const auto created = reco::storage::createSplit(*ws_, *info, "half", options, nullptr, {});
    for (const char* id : {"u1", "u2", "u4"}) {
      const auto parts = reco::storage::loadUserSplitParts(*ws_, created.split, user(id));
      std::set<std::int32_t> all;
      for (const auto item : parts.train) all.insert(item.value);
      for (const auto item : parts.valid) all.insert(item);
      for (const auto item : parts.test) all.insert(item);
      QCOMPARE(all.size(), parts.train.size() + parts.valid.size() + parts.test.size());  // disjoint
      const auto pairs = reco::storage::loadUserPairs(*ws_, dataset_, user(id), std::nullopt);
      QCOMPARE(all.size(), pairs.size());
      // The test items are exactly the split's stored test pairs of the user.
      reco::storage::Statement st(ws_->db(), "SELECT item_idx FROM split_pairs WHERE split_id = ?1 AND user_idx = ?2 AND part = 2");
      st.bind(1, created.split.id).bind(2, std::int64_t(user(id)));
      std::set<std::int32_t> stored;
      while (st.step()) stored.insert(std::int32_t(st.columnInt(0)));
      QCOMPARE(std::set<std::int32_t>(parts.test.begin(), parts.test.end()), stored);
    }
  }

  void itemMetaInRequestedOrder() {
    const auto i1 = reco::storage::loadItemMeta(*ws_, dataset_, std::vector<std::int32_t>{}).size();
    QCOMPARE(i1, std::size_t(0));
    const auto history = reco::storage::loadUserHistory(*ws_, dataset_, user("u1"));
    const std::vector<std::int32_t> items{history.entries[2].item.item, 9999, history.entries[0].item.item};
    const auto meta = reco::storage::loadItemMeta(*ws_, dataset_, items);
    QCOMPARE(meta.size(), std::size_t(3));
    QCOMPARE(meta[0].title, std::string("Toaster"));
    QCOMPARE(meta[1].item, 9999);
    QVERIFY(meta[1].externalId.empty());
    QCOMPARE(meta[2].externalId, std::string("i1"));
    QCOMPARE(meta[2].price.value(), 10.0);
  }
};

QTEST_GUILESS_MAIN(TestUserStore)
#include "test_user_store.moc"
