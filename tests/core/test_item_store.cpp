// The Items screen's reading (core/storage/item_store.h): per-item summaries against a direct
// count of the stored rows; an item's profile on a shop worked by hand (choosers' categories
// and prices, co-occurrence in a leave-last split's training part, where items chosen only
// in the test part do not count); and on a generated shop, the profile's co-occurrence,
// cosines, categories and prices against a direct computation from loadUserSplitParts,
// summarizeUsers and summarizeHistory, with and without a rating threshold.

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/database.h"
#include "core/storage/dataset_import.h"
#include "core/storage/item_counts.h"
#include "core/storage/item_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "tests/support/event_rows.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using reco::storage::ItemSummaries;
using reco::storage::Workspace;

/// Items: A Kitchen 10, B Kitchen 20, C Garden 5, D Garden 8, E no category or price,
/// F Toys 30, G (no interaction). In a leave-last split (one test pair per user: the one
/// first seen last) the users' parts are:
///   u1: A 100, B 200, A 150, C 300   train {A, B}  test C   top Kitchen  median 10 (5 10 10 20)
///   u2: A 100, B 110, D 120          train {A, B}  test D   top Kitchen  median 10 (8 10 20)
///   u3: B 100, A 200                 train {B}     test A   top Kitchen  median 15
///   u4: A 100, C 110, F 120          train {A, C}  test F   top Garden (1-1-1 tie) median 10
///   u5: B 10, C 20                   train {B}     test C
///   u6: F 5                          train {F}     (a single pair stays in training)
///   u7: E 1, E 5                     train {E}     top ""  no price
///   u8: C 50, B 60, D 70             train {C, B}  test D
/// So A's choosers are u1-u4 (5 rows), its training users u1, u2, u4 (u3 chose it only in the
/// test part), and with A: B by u1, u2 (B's training users u1 u2 u3 u5 u8: cosine
/// 2/sqrt(5*3)); C by u4 (C's: u4 u8: 1/sqrt(2*3)); D and F never (test part only).
reco::DatasetId importHandShop(Workspace& workspace) {
  reco::io::ImportOptions options;
  options.name = "hand";
  const auto produce = [](reco::io::RecordSink& sink) {
    sink.begin(reco::io::Feedback::Event);
    struct Item {
      const char* id;
      const char* title;
      const char* category;
      std::optional<double> price;
    };
    const Item items[] = {{"A", "Kettle", "Kitchen", 10.0},     {"B", "Toaster", "Kitchen", 20.0},
                          {"C", "Rake", "Garden", 5.0},         {"D", "Hoe", "Garden", 8.0},
                          {"E", "Gift card", "", std::nullopt}, {"F", "Yo-yo", "Toys", 30.0},
                          {"G", "Unsold", "Toys", 1.0}};
    for (const Item& item : items) {
      reco::io::ItemRecord record;
      record.id = item.id;
      record.title = item.title;
      record.category = item.category;
      record.price = item.price;
      sink.item(record);
    }
    // Users interleaved, as in a log: the store keys them by user.
    const reco::testing::EventRow rows[] = {
        {"u1", "A", "view", 100},     {"u2", "A", "view", 100}, {"u3", "B", "view", 100},
        {"u4", "A", "view", 100},     {"u5", "B", "view", 10},  {"u6", "F", "view", 5},
        {"u7", "E", "view", 1},       {"u8", "C", "view", 50},  {"u1", "B", "view", 200},
        {"u2", "B", "view", 110},     {"u3", "A", "view", 200}, {"u4", "C", "view", 110},
        {"u5", "C", "view", 20},      {"u7", "E", "view", 5},   {"u8", "B", "view", 60},
        {"u1", "A", "purchase", 150}, {"u2", "D", "view", 120}, {"u4", "F", "view", 120},
        {"u8", "D", "view", 70},      {"u1", "C", "view", 300}};
    reco::testing::sendEvents(sink, rows);
    return reco::Outcome::Completed;
  };
  return reco::storage::importRecords(workspace, "events", "memory", options, produce, nullptr, {})
      .dataset.id;
}

/// One workspace for the suite: the hand shop ("hand", with the leave-last split "last") and
/// a generated shop ("shop", with a random split and a thresholded one).
class ItemStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    ws_ =
        std::make_unique<Workspace>(dir_->file("items.reco"), Workspace::OpenMode::CreateIfMissing);
    hand_ = importHandShop(*ws_);
    reco::SplitOptions last;
    last.protocol = reco::SplitProtocol::LeaveLast;
    last.test = 1;
    last_ =
        reco::storage::createSplit(*ws_, *ws_->findDataset(hand_), "last", last, nullptr, {}).split;
    shop_ = reco::testing::importSyntheticShop(*ws_, 400, 150, 9000, 11);
    holdout_ = reco::testing::createHoldoutSplit(*ws_, shop_);
    reco::SplitOptions buyers;
    buyers.test = 0.25;
    buyers.ratingThreshold = 3.0;  // the pair's latest event is a cart or a purchase
    buyers.seed = 5;
    buyers_ = reco::storage::createSplit(*ws_, shop_, "buyers", buyers, nullptr, {}).split;
  }
  static void TearDownTestSuite() {
    ws_.reset();
    dir_.reset();
  }

  static std::int32_t item(const char* id) {
    const auto found = reco::storage::findItem(*ws_, hand_, id);
    if (!found) throw std::runtime_error(std::string("no item ") + id);
    return *found;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::unique_ptr<Workspace> ws_;
  static inline reco::DatasetId hand_ = 0;
  static inline reco::storage::SplitInfo last_, holdout_, buyers_;
  static inline reco::DatasetInfo shop_;
};

/// Per item index, counted by SQLite itself: rows, distinct users, latest time.
struct DirectCounts {
  std::int64_t rows = 0, users = 0, last = ItemSummaries::kNoTime;
};
std::map<std::int32_t, DirectCounts> directCounts(Workspace& ws, reco::DatasetId dataset) {
  std::map<std::int32_t, DirectCounts> out;
  reco::storage::Statement st(ws.db(),
                              "SELECT item_idx, COUNT(*), COUNT(DISTINCT user_idx), MAX(time) "
                              "FROM interactions WHERE dataset_id = ?1 GROUP BY item_idx");
  st.bind(1, dataset);
  while (st.step())
    out[std::int32_t(st.columnInt(0))] = {st.columnInt(1), st.columnInt(2), st.columnInt(3)};
  return out;
}

void expectSummariesMatchRows(Workspace& ws, reco::DatasetId dataset, const ItemSummaries& s) {
  const auto direct = directCounts(ws, dataset);
  ASSERT_EQ(s.size(), direct.size());
  EXPECT_TRUE(std::is_sorted(s.items.begin(), s.items.end()));
  const auto meta = reco::storage::loadItemMeta(ws, dataset, s.items);
  for (std::size_t row = 0; row < s.size(); ++row) {
    const auto it = direct.find(s.items[row]);
    ASSERT_NE(it, direct.end());
    EXPECT_EQ(s.interactions[row], it->second.rows);
    EXPECT_EQ(s.distinctUsers[row], it->second.users);
    EXPECT_EQ(s.lastActive[row], it->second.last);
    EXPECT_EQ(std::string(s.externalId(row)), meta[row].externalId);
    EXPECT_EQ(std::string(s.title(row)), meta[row].title);
    EXPECT_EQ(s.categoryName(s.category[row]), meta[row].category);
    if (meta[row].price)
      EXPECT_EQ(s.price[row], *meta[row].price);
    else
      EXPECT_TRUE(std::isnan(s.price[row]));
  }
  EXPECT_TRUE(std::is_sorted(s.categories.begin(), s.categories.end()));
}

TEST_F(ItemStore, SummariesEqualADirectCountOfTheRows) {
  const ItemSummaries s = reco::storage::summarizeItems(*ws_, hand_, nullptr, {});
  EXPECT_EQ(int(s.outcome), int(reco::Outcome::Completed));
  expectSummariesMatchRows(*ws_, hand_, s);
  ASSERT_EQ(s.size(), 6u);  // G has no interaction
  EXPECT_EQ(s.rowOfItem(item("G")), std::ptrdiff_t(-1));
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Garden", "Kitchen", "Toys"}));
  // A: u1 twice, u2, u3, u4; E: u7 twice.
  const auto a = std::size_t(s.rowOfItem(item("A")));
  EXPECT_EQ(s.interactions[a], 5);
  EXPECT_EQ(s.distinctUsers[a], 4);
  EXPECT_EQ(s.lastActive[a], 200);
  EXPECT_EQ(s.title(a), "Kettle");
  const auto e = std::size_t(s.rowOfItem(item("E")));
  EXPECT_EQ(s.interactions[e], 2);
  EXPECT_EQ(s.distinctUsers[e], 1);
  EXPECT_EQ(s.category[e], -1);
  EXPECT_TRUE(std::isnan(s.price[e]));
  EXPECT_TRUE(s.bytes() > 0 && s.bytes() < 4096) << s.bytes();

  const ItemSummaries shop = reco::storage::summarizeItems(*ws_, shop_.id, nullptr, {});
  expectSummariesMatchRows(*ws_, shop_.id, shop);
  // Agrees with the one measure of popularity the other item views use.
  const auto counts = reco::storage::itemInteractionCounts(*ws_, shop_.id);
  for (std::size_t row = 0; row < shop.size(); ++row)
    EXPECT_EQ(shop.interactions[row], counts[std::size_t(shop.items[row])]);
  // Compact: the columns plus short ids and titles, well under 200 bytes an item.
  EXPECT_LT(shop.bytes(), shop.size() * 200) << shop.bytes();
}

TEST_F(ItemStore, StopGivesStoppedWithEmptyColumns) {
  std::stop_source source;
  source.request_stop();
  const ItemSummaries s =
      reco::storage::summarizeItems(*ws_, shop_.id, nullptr, source.get_token());
  EXPECT_EQ(int(s.outcome), int(reco::Outcome::Stopped));
  EXPECT_EQ(s.size(), 0u);
  EXPECT_TRUE(s.interactions.empty() && s.idPool.empty() && s.categories.empty());
  const auto profile =
      reco::storage::loadItemProfile(*ws_, shop_.id, 0, holdout_, 10, source.get_token());
  EXPECT_FALSE(profile.has_value());
}

TEST_F(ItemStore, FindItemByExternalId) {
  EXPECT_TRUE(reco::storage::findItem(*ws_, hand_, "G").has_value());
  EXPECT_FALSE(reco::storage::findItem(*ws_, hand_, "nothing").has_value());
}

TEST_F(ItemStore, UnknownItemOrForeignSplitIsAConfigError) {
  const auto kindOf = [](const auto& call) {
    try {
      call();
    } catch (const reco::Error& e) {
      return int(e.kind());
    }
    return -1;
  };
  EXPECT_EQ(kindOf([] { reco::storage::loadItemProfile(*ws_, hand_, 9999, std::nullopt, 5); }),
            int(reco::ErrorKind::Config));
  EXPECT_EQ(kindOf([] { reco::storage::loadItemProfile(*ws_, hand_, item("A"), holdout_, 5); }),
            int(reco::ErrorKind::Config));
}

TEST_F(ItemStore, ProfileOfAHandMadeItem) {
  const auto profile = reco::storage::loadItemProfile(*ws_, hand_, item("A"), last_, 10);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->meta.title, "Kettle");
  EXPECT_EQ(profile->interactions, 5);
  EXPECT_EQ(profile->distinctUsers, 4);
  EXPECT_EQ(profile->times, (std::vector<std::int64_t>{100, 100, 100, 150, 200}));
  EXPECT_EQ(profile->firstTime, std::optional<std::int64_t>(100));
  EXPECT_EQ(profile->lastTime, std::optional<std::int64_t>(200));
  ASSERT_EQ(profile->userCategories.size(), 2u);
  EXPECT_EQ(profile->userCategories[0].category, "Kitchen");
  EXPECT_EQ(profile->userCategories[0].items, 3);
  EXPECT_EQ(profile->userCategories[1].category, "Garden");  // u4's three-way tie
  EXPECT_EQ(profile->userCategories[1].items, 1);
  EXPECT_EQ(profile->userMedianPrices, (std::vector<double>{10, 10, 10, 15}));

  // u3 chose A only in the test part; D and F were chosen with A only in test parts.
  EXPECT_EQ(profile->trainingUsers, 3);
  EXPECT_EQ(profile->splitName, "last");
  ASSERT_EQ(profile->together.size(), 2u);
  EXPECT_EQ(profile->together[0].item.externalId, "B");
  EXPECT_EQ(profile->together[0].item.title, "Toaster");
  EXPECT_EQ(profile->together[0].users, 2);
  EXPECT_CLOSE(profile->together[0].cosine, 2.0 / std::sqrt(15.0), 1e-12);
  EXPECT_EQ(profile->together[1].item.externalId, "C");
  EXPECT_EQ(profile->together[1].users, 1);
  EXPECT_CLOSE(profile->together[1].cosine, 1.0 / std::sqrt(6.0), 1e-12);

  const auto top1 = reco::storage::loadItemProfile(*ws_, hand_, item("A"), last_, 1);
  ASSERT_TRUE(top1.has_value());
  ASSERT_EQ(top1->together.size(), 1u);
  EXPECT_EQ(top1->together[0].item.externalId, "B");
}

TEST_F(ItemStore, ProfileWithoutSplitCategoryOrPrice) {
  const auto profile = reco::storage::loadItemProfile(*ws_, hand_, item("E"), std::nullopt, 10);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->interactions, 2);
  EXPECT_EQ(profile->distinctUsers, 1);
  ASSERT_EQ(profile->userCategories.size(), 1u);
  EXPECT_EQ(profile->userCategories[0].category, "");
  EXPECT_TRUE(profile->userMedianPrices.empty());
  EXPECT_TRUE(profile->together.empty());
  EXPECT_EQ(profile->trainingUsers, 0);
  EXPECT_EQ(profile->splitName, "");

  // An item nobody chose has an empty profile, not an error.
  const auto unsold = reco::storage::loadItemProfile(*ws_, hand_, item("G"), last_, 10);
  ASSERT_TRUE(unsold.has_value());
  EXPECT_EQ(unsold->interactions, 0);
  EXPECT_FALSE(unsold->firstTime.has_value());
  EXPECT_TRUE(unsold->userCategories.empty() && unsold->together.empty());
}

/// The profile of `item` computed the slow, direct way: every user's split parts through
/// loadUserSplitParts, every chooser's history through loadUserHistory and summarizeHistory,
/// their top category from summarizeUsers.
struct DirectProfile {
  std::int64_t trainingUsers = 0;
  std::vector<std::pair<std::int32_t, std::int64_t>> together;  // by users desc, then index
  std::map<std::int32_t, std::int64_t> usersOf;
  std::map<std::string, std::int64_t> categories;
  std::vector<double> medians;
  std::int64_t choosers = 0;
};

DirectProfile directProfile(Workspace& ws, const reco::DatasetInfo& dataset,
                            const reco::storage::UserSummaries& users,
                            const reco::storage::SplitInfo& split, std::int32_t item) {
  DirectProfile out;
  std::map<std::int32_t, std::int64_t> with;
  for (const std::int32_t user : users.users) {
    const auto parts = reco::storage::loadUserSplitParts(ws, split, user);
    bool holds = false;
    for (const auto i : parts.train) {
      ++out.usersOf[i.value];
      holds = holds || i.value == item;
    }
    if (holds) {
      ++out.trainingUsers;
      for (const auto i : parts.train)
        if (i.value != item) ++with[i.value];
    }
    const auto history = reco::storage::loadUserHistory(ws, dataset.id, user);
    const bool chose = std::any_of(history.entries.begin(), history.entries.end(),
                                   [&](const auto& entry) { return entry.item.item == item; });
    if (!chose) continue;
    ++out.choosers;
    const auto row = std::size_t(users.rowOfUser(user));
    ++out.categories[users.categoryName(users.topCategory[row])];
    const auto profile = reco::storage::summarizeHistory(history);
    if (profile.prices) out.medians.push_back(profile.prices->median);
  }
  out.together.assign(with.begin(), with.end());
  std::stable_sort(out.together.begin(), out.together.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::sort(out.medians.begin(), out.medians.end());
  return out;
}

TEST_F(ItemStore, ProfileEqualsADirectComputationOnAGeneratedShop) {
  const auto users = reco::storage::summarizeUsers(*ws_, shop_.id, nullptr, {});
  const auto counts = reco::storage::itemInteractionCounts(*ws_, shop_.id);
  const auto popular = reco::storage::mostPopularItems(counts, counts.size());
  ASSERT_GT(popular.size(), 20u);
  // The most popular item, one from the middle and one from the tail.
  const std::int32_t items[] = {popular[0], popular[popular.size() / 2], popular.back()};
  for (const auto& split : {holdout_, buyers_}) {
    for (const std::int32_t item : items) {
      SCOPED_TRACE(split.name + " item " + std::to_string(item));
      const DirectProfile direct = directProfile(*ws_, shop_, users, split, item);
      const auto profile = reco::storage::loadItemProfile(*ws_, shop_.id, item, split, 1000);
      ASSERT_TRUE(profile.has_value());
      EXPECT_EQ(profile->distinctUsers, direct.choosers);
      EXPECT_EQ(profile->interactions, counts[std::size_t(item)]);
      EXPECT_EQ(profile->trainingUsers, direct.trainingUsers);
      ASSERT_EQ(profile->together.size(), direct.together.size());
      for (std::size_t k = 0; k < direct.together.size(); ++k) {
        const auto [other, together] = direct.together[k];
        EXPECT_EQ(profile->together[k].item.item, other);
        EXPECT_EQ(profile->together[k].users, together);
        EXPECT_CLOSE(profile->together[k].cosine,
                     double(together) /
                         std::sqrt(double(direct.usersOf.at(other)) * double(direct.trainingUsers)),
                     1e-12);
      }
      std::map<std::string, std::int64_t> categories;
      for (const auto& share : profile->userCategories) {
        categories[share.category] = share.items;
        EXPECT_EQ(share.interactions, share.items);
      }
      EXPECT_EQ(categories, direct.categories);
      for (std::size_t k = 1; k < profile->userCategories.size(); ++k)
        EXPECT_GE(profile->userCategories[k - 1].items, profile->userCategories[k].items);
      ASSERT_EQ(profile->userMedianPrices.size(), direct.medians.size());
      for (std::size_t k = 0; k < direct.medians.size(); ++k)
        EXPECT_CLOSE(profile->userMedianPrices[k], direct.medians[k], 1e-12);
    }
  }
  // The threshold matters on this shop: some pair is dropped by it.
  EXPECT_LT(buyers_.trainPairs + buyers_.validPairs + buyers_.testPairs,
            holdout_.trainPairs + holdout_.validPairs + holdout_.testPairs);
}

}  // namespace
