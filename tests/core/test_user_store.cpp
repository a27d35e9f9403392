// The Users screen's reading (core/storage/user_store.h) on a tiny shop worked by hand:
// per-user counts, last active and top category; a history in time order with item data;
// the profile's categories and price quantiles; a user's split parts; item metadata.

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "tests/support/event_rows.h"
#include "tests/support/gtest_support.h"

namespace {

using reco::storage::UserSummaries;
using reco::storage::Workspace;

/// Items: i1 Kitchen 10.00, i2 Kitchen 20.00, i3 Garden 5.00, i4 without category or price.
/// u1: i1 view t=1000, i2 purchase t=3000, i3 view t=2000   -> 3, last 3000, Kitchen (2 vs 1)
/// u2: i3 view t=5000, i1 view t=4000                        -> 2, last 5000, Garden (1-1 tie: by
/// name) u3: i4 cart t=6000                                        -> 1, last 6000, no category u4:
/// i2 view t=7000, i1 view t=7000 (same time)            -> 2, last 7000, Kitchen
reco::DatasetId importShop(Workspace& workspace) {
  reco::io::ImportOptions options;
  options.name = "shop";
  const auto produce = [](reco::io::RecordSink& sink) {
    sink.begin(reco::io::Feedback::Event);
    struct Item {
      const char* id;
      const char* title;
      const char* category;
      std::optional<double> price;
    };
    const Item items[] = {{"i1", "Kettle", "Kitchen", 10.0},
                          {"i2", "Toaster", "Kitchen", 20.0},
                          {"i3", "Rake", "Garden", 5.0},
                          {"i4", "Gift card", "", std::nullopt}};
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
  return reco::storage::importRecords(workspace, "events", "memory", options, produce, nullptr, {})
      .dataset.id;
}

/// One workspace for the suite, open throughout, holding the shop above.
class UserStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    ws_ =
        std::make_unique<Workspace>(dir_->file("shop.reco"), Workspace::OpenMode::CreateIfMissing);
    dataset_ = importShop(*ws_);
  }
  static void TearDownTestSuite() {
    ws_.reset();
    dir_.reset();
  }

  /// The user index of external id `id`; throws (failing the test) when there is none.
  static std::int32_t user(const char* id) {
    const auto found = reco::storage::findUser(*ws_, dataset_, id);
    if (!found) throw std::runtime_error(std::string("no user ") + id);
    return *found;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::unique_ptr<Workspace> ws_;
  static inline reco::DatasetId dataset_ = 0;
};

TEST_F(UserStore, SummariesCountLastActiveAndTopCategory) {
  const UserSummaries s = reco::storage::summarizeUsers(*ws_, dataset_, nullptr, {});
  EXPECT_EQ(int(s.outcome), int(reco::Outcome::Completed));
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Garden", "Kitchen"}));
  EXPECT_TRUE(std::is_sorted(s.users.begin(), s.users.end()));
  struct Expected {
    const char* id;
    int interactions;
    std::int64_t last;
    const char* top;
  };
  const Expected expected[] = {{"u1", 3, 3000, "Kitchen"},
                               {"u2", 2, 5000, "Garden"},
                               {"u3", 1, 6000, ""},
                               {"u4", 2, 7000, "Kitchen"}};
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.id);
    const std::ptrdiff_t row = s.rowOfUser(user(e.id));
    ASSERT_GE(row, 0);
    EXPECT_EQ(std::string(s.externalId(std::size_t(row))), std::string(e.id));
    EXPECT_EQ(s.interactions[std::size_t(row)], e.interactions);
    EXPECT_EQ(s.lastActive[std::size_t(row)], e.last);
    EXPECT_EQ(s.categoryName(s.topCategory[std::size_t(row)]), std::string(e.top));
  }
  EXPECT_EQ(s.rowOfUser(999), std::ptrdiff_t(-1));
  EXPECT_TRUE(s.bytes() > 0 && s.bytes() < 4096) << s.bytes();
}

// What the list shows at once: the same users, ids and counts as the full summary, and
// nothing made up for the columns it has not read.
TEST_F(UserStore, UserCountsAreTheSummariesFirstColumns) {
  const UserSummaries full = reco::storage::summarizeUsers(*ws_, dataset_, nullptr, {});
  const UserSummaries counts = reco::storage::readUserCounts(*ws_, dataset_);
  EXPECT_FALSE(full.partial);
  EXPECT_TRUE(counts.partial);
  EXPECT_EQ(counts.users, full.users);
  EXPECT_EQ(counts.idPool, full.idPool);
  EXPECT_EQ(counts.idOffsets, full.idOffsets);
  EXPECT_EQ(counts.interactions, full.interactions);
  EXPECT_EQ(counts.lastActive, std::vector<std::int64_t>(4, UserSummaries::kNoTime));
  EXPECT_EQ(counts.topCategory, std::vector<std::int32_t>(4, -1));
  EXPECT_TRUE(counts.categories.empty());
}

TEST_F(UserStore, FindUserByExternalId) {
  EXPECT_TRUE(reco::storage::findUser(*ws_, dataset_, "u3").has_value());
  EXPECT_FALSE(reco::storage::findUser(*ws_, dataset_, "nobody").has_value());
}

TEST_F(UserStore, HistoryIsChronologicalWithItemData) {
  const auto history = reco::storage::loadUserHistory(*ws_, dataset_, user("u1"));
  EXPECT_EQ(history.externalId, "u1");
  EXPECT_EQ(history.feedback, "event");
  ASSERT_EQ(history.entries.size(), 3u);
  // Stored in import order i1, i2, i3; shown by time: 1000 i1, 2000 i3, 3000 i2.
  EXPECT_EQ(history.entries[0].item.title, "Kettle");
  EXPECT_EQ(history.entries[1].item.title, "Rake");
  EXPECT_EQ(history.entries[2].item.title, "Toaster");
  EXPECT_EQ(history.entries[2].event, "purchase");
  EXPECT_CLOSE(history.entries[2].value, 5.0, 1e-12);  // purchase weight
  ASSERT_TRUE(history.entries[2].item.price.has_value());
  EXPECT_CLOSE(*history.entries[2].item.price, 20.0, 1e-12);
  EXPECT_EQ(history.entries[1].item.category, "Garden");
  ASSERT_TRUE(history.entries[0].time.has_value());
  EXPECT_EQ(*history.entries[0].time, 1000);
}

TEST_F(UserStore, EqualTimesKeepImportOrder) {
  const auto history = reco::storage::loadUserHistory(*ws_, dataset_, user("u4"));
  ASSERT_EQ(history.entries.size(), 2u);
  EXPECT_EQ(history.entries[0].item.externalId, "i2");
  EXPECT_EQ(history.entries[1].item.externalId, "i1");
  EXPECT_LT(history.entries[0].seq, history.entries[1].seq);
}

TEST_F(UserStore, UnknownUserIsAConfigError) {
  try {
    reco::storage::loadUserHistory(*ws_, dataset_, 12345);
    FAIL() << "expected a reco::Error";
  } catch (const reco::Error& e) {
    EXPECT_EQ(int(e.kind()), int(reco::ErrorKind::Config));
  }
}

TEST_F(UserStore, ProfileCategoriesAndPriceQuantiles) {
  const auto profile =
      reco::storage::summarizeHistory(reco::storage::loadUserHistory(*ws_, dataset_, user("u1")));
  ASSERT_EQ(profile.categories.size(), 2u);
  EXPECT_EQ(profile.categories[0].category, "Kitchen");
  EXPECT_EQ(profile.categories[0].interactions, std::int64_t(2));
  EXPECT_EQ(profile.categories[0].items, std::int64_t(2));
  EXPECT_EQ(profile.categories[1].category, "Garden");
  EXPECT_EQ(profile.distinctItems, std::int64_t(3));
  // Prices 5, 10, 20: quartiles by interpolation 7.5, 10, 15.
  ASSERT_TRUE(profile.prices.has_value());
  EXPECT_EQ(profile.prices->count, 3u);
  EXPECT_CLOSE(profile.prices->min, 5.0, 1e-12);
  EXPECT_CLOSE(profile.prices->q25, 7.5, 1e-12);
  EXPECT_CLOSE(profile.prices->median, 10.0, 1e-12);
  EXPECT_CLOSE(profile.prices->q75, 15.0, 1e-12);
  EXPECT_CLOSE(profile.prices->max, 20.0, 1e-12);
  EXPECT_EQ(profile.times, (std::vector<std::int64_t>{1000, 2000, 3000}));
  ASSERT_TRUE(profile.firstTime.has_value());
  EXPECT_EQ(*profile.firstTime, 1000);
  ASSERT_TRUE(profile.lastTime.has_value());
  EXPECT_EQ(*profile.lastTime, 3000);

  const auto unpriced =
      reco::storage::summarizeHistory(reco::storage::loadUserHistory(*ws_, dataset_, user("u3")));
  EXPECT_FALSE(unpriced.prices.has_value());
  ASSERT_EQ(unpriced.categories.size(), 1u);
  EXPECT_EQ(unpriced.categories[0].category, "");
}

TEST_F(UserStore, SplitPartsPartitionTheUsersPairs) {
  const auto info = ws_->findDataset(dataset_);
  ASSERT_TRUE(info.has_value());
  reco::SplitOptions options;
  options.test = 0.5;
  options.seed = 7;
  const auto created = reco::storage::createSplit(*ws_, *info, "half", options, nullptr, {});
  for (const char* id : {"u1", "u2", "u4"}) {
    SCOPED_TRACE(id);
    const auto parts = reco::storage::loadUserSplitParts(*ws_, created.split, user(id));
    std::set<std::int32_t> all;
    for (const auto item : parts.train) all.insert(item.value);
    for (const auto item : parts.valid) all.insert(item);
    for (const auto item : parts.test) all.insert(item);
    EXPECT_EQ(all.size(), parts.train.size() + parts.valid.size() + parts.test.size());  // disjoint
    const auto pairs = reco::storage::loadUserPairs(*ws_, dataset_, user(id), std::nullopt);
    EXPECT_EQ(all.size(), pairs.size());
    // The test items are exactly the split's stored test pairs of the user.
    reco::storage::Statement st(
        ws_->db(),
        "SELECT item_idx FROM split_pairs WHERE split_id = ?1 AND user_idx = ?2 AND part = 2");
    st.bind(1, created.split.id).bind(2, std::int64_t(user(id)));
    std::set<std::int32_t> stored;
    while (st.step()) stored.insert(std::int32_t(st.columnInt(0)));
    EXPECT_EQ(std::set<std::int32_t>(parts.test.begin(), parts.test.end()), stored);
  }
}

TEST_F(UserStore, ItemMetaInRequestedOrder) {
  const auto i1 = reco::storage::loadItemMeta(*ws_, dataset_, std::vector<std::int32_t>{}).size();
  EXPECT_EQ(i1, 0u);
  const auto history = reco::storage::loadUserHistory(*ws_, dataset_, user("u1"));
  const std::vector<std::int32_t> items{history.entries[2].item.item, 9999,
                                        history.entries[0].item.item};
  const auto meta = reco::storage::loadItemMeta(*ws_, dataset_, items);
  ASSERT_EQ(meta.size(), 3u);
  EXPECT_EQ(meta[0].title, "Toaster");
  EXPECT_EQ(meta[1].item, 9999);
  EXPECT_TRUE(meta[1].externalId.empty());
  EXPECT_EQ(meta[2].externalId, "i1");
  ASSERT_TRUE(meta[2].price.has_value());
  EXPECT_CLOSE(*meta[2].price, 10.0, 1e-12);
}

}  // namespace
