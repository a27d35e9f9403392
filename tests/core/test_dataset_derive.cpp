// deriveDataset: the sparse stand-in (1-2 lines per user) and the basket stand-in (a
// fraction of each basket, the full catalogue) on a generated shop and on hand-made baskets;
// the same options give the same dataset; bad options, an empty sample and a stop leave the
// workspace as it was.
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/storage/dataset_derive.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"
#include "tests/support/workspace_dump.h"

using namespace reco;
using storage::DeriveOptions;
using storage::Workspace;

namespace {

std::int64_t count(Workspace& ws, const std::string& sql) {
  return ws.db().queryInt(sql).value_or(-1);
}

std::string id(const DatasetInfo& d) {
  return std::to_string(d.id);
}

DeriveOptions sparse(const char* name, std::uint64_t seed = 42) {
  DeriveOptions o;
  o.name = name;
  o.linesPerUserMin = 1;
  o.linesPerUserMax = 2;
  o.seed = seed;
  return o;
}

DeriveOptions basket(const char* name, double fraction, std::uint64_t seed = 42) {
  DeriveOptions o;
  o.name = name;
  o.basketFraction = fraction;
  o.seed = seed;
  return o;
}

/// The dataset's content by external ids (no indices, no dataset id): users with their
/// counts, items with everything the catalogue keeps, lines with time, event and value.
std::string content(Workspace& ws, const DatasetInfo& d) {
  const std::string where = " WHERE dataset_id = " + id(d);
  std::string out;
  for (const std::string& sql :
       {"SELECT external_id, n_interactions FROM users" + where + " ORDER BY idx",
        "SELECT external_id, title, category, price, n_interactions FROM items" + where +
            " ORDER BY idx",
        "SELECT i.external_id, a.key, a.value FROM item_attributes a JOIN items i ON "
        "i.dataset_id = a.dataset_id AND i.idx = a.item_idx WHERE a.dataset_id = " +
            id(d) + " ORDER BY i.idx, a.key",
        "SELECT u.external_id, i.external_id, x.time, e.name, x.value FROM interactions x "
        "JOIN users u ON u.dataset_id = x.dataset_id AND u.idx = x.user_idx "
        "JOIN items i ON i.dataset_id = x.dataset_id AND i.idx = x.item_idx "
        "LEFT JOIN event_types e ON e.dataset_id = x.dataset_id AND e.code = x.event "
        "WHERE x.dataset_id = " +
            id(d) + " ORDER BY x.seq"}) {
    storage::Statement st(ws.db(), sql);
    while (st.step()) {
      for (int c = 0; c < st.columnCount(); ++c) {
        if (c > 0) out += '|';
        out += st.isNull(c) ? std::string("NULL") : st.columnText(c);
      }
      out += '\n';
    }
    out += "--\n";
  }
  return out;
}

/// The expected message parts of the Error that `derive` throws.
void expectError(const std::function<void()>& derive, ErrorKind kind,
                 const std::vector<std::string>& parts) {
  try {
    derive();
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    for (const auto& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "'" << part << "' is not in: " << e.what();
  }
}

class DeriveDataset : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("ws.reco");
    ws_.emplace(path_, Workspace::OpenMode::CreateIfMissing);
    shop_ = reco::testing::importSyntheticShop(*ws_, 400, 250, 8000, 5);
  }

  reco::testing::TempDir dir_;
  std::string path_;
  std::optional<Workspace> ws_;
  DatasetInfo shop_;
};

TEST_F(DeriveDataset, SparseGivesEveryUserOneOrTwoLinesAndKeepsTheCatalogue) {
  const auto result = storage::deriveDataset(*ws_, shop_, sparse("sparse"), nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  const DatasetInfo& d = result.dataset;
  EXPECT_EQ(d.format, "derived");
  EXPECT_EQ(d.source, "derive --dataset shop --lines-per-user 1-2 --seed 42");
  EXPECT_EQ(d.feedback, shop_.feedback);
  EXPECT_EQ(d.users, shop_.users);  // every user keeps a line
  EXPECT_EQ(result.droppedUsers, 0);
  EXPECT_EQ(count(*ws_,
                  "SELECT min(n) FROM (SELECT count(*) AS n FROM interactions WHERE "
                  "dataset_id = " +
                      id(d) + " GROUP BY user_idx)"),
            1);
  EXPECT_EQ(count(*ws_,
                  "SELECT max(n) FROM (SELECT count(*) AS n FROM interactions WHERE "
                  "dataset_id = " +
                      id(d) + " GROUP BY user_idx)"),
            2);
  EXPECT_GT(d.interactions, d.users);
  EXPECT_LE(d.interactions, 2 * d.users);
  // The whole catalogue, with its attributes, bought or not.
  const auto sourceItems =
      count(*ws_, "SELECT count(*) FROM items WHERE dataset_id = " + id(shop_));
  EXPECT_EQ(result.catalogueItems, sourceItems);
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM items WHERE dataset_id = " + id(d)), sourceItems);
  EXPECT_LT(d.items, sourceItems);
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM item_attributes WHERE dataset_id = " + id(d)),
            count(*ws_, "SELECT count(*) FROM item_attributes WHERE dataset_id = " + id(shop_)));
  EXPECT_EQ(count(*ws_,
                  "SELECT count(*) FROM items a JOIN items b ON a.external_id = "
                  "b.external_id AND a.title = b.title AND a.category = b.category AND "
                  "a.price = b.price WHERE a.dataset_id = " +
                      id(d) + " AND b.dataset_id = " + id(shop_)),
            sourceItems);
  // Every kept line is a line of the source, with its time, event and value.
  EXPECT_EQ(count(*ws_,
                  "SELECT count(*) FROM interactions x "
                  "JOIN users u ON u.dataset_id = x.dataset_id AND u.idx = x.user_idx "
                  "JOIN items i ON i.dataset_id = x.dataset_id AND i.idx = x.item_idx "
                  "WHERE x.dataset_id = " +
                      id(d) +
                      " AND EXISTS (SELECT 1 FROM interactions y "
                      "JOIN users v ON v.dataset_id = y.dataset_id AND v.idx = y.user_idx "
                      "JOIN items j ON j.dataset_id = y.dataset_id AND j.idx = y.item_idx "
                      "WHERE y.dataset_id = " +
                      id(shop_) +
                      " AND v.external_id = u.external_id AND j.external_id = i.external_id "
                      "AND y.time = x.time AND y.value = x.value AND "
                      "(SELECT name FROM event_types WHERE dataset_id = y.dataset_id AND "
                      "code = y.event) = (SELECT name FROM event_types WHERE dataset_id = "
                      "x.dataset_id AND code = x.event))"),
            d.interactions);
  // The report says what was left out.
  EXPECT_EQ(result.report.rowsRead, shop_.interactions);
  ASSERT_EQ(result.report.rejected.size(), 1u);
  EXPECT_EQ(result.report.rejected[0].count, shop_.interactions - d.interactions);
}

TEST_F(DeriveDataset, BasketKeepsAboutTheFractionTheFullCatalogueAndIsReproducible) {
  const double fraction = 0.1;
  const auto first = storage::deriveDataset(*ws_, shop_, basket("basket", fraction), nullptr, {});
  ASSERT_EQ(first.outcome, Outcome::Completed);
  const DatasetInfo& d = first.dataset;
  // Deterministic for the seed; the bound only says the sample has the size it should.
  const double expected = fraction * double(shop_.interactions);
  EXPECT_GT(double(d.interactions), 0.7 * expected);
  EXPECT_LT(double(d.interactions), 1.3 * expected);
  EXPECT_EQ(first.catalogueItems,
            count(*ws_, "SELECT count(*) FROM items WHERE dataset_id = " + id(shop_)));
  // Users with no line left are dropped; every stored user has a line.
  EXPECT_GT(first.droppedUsers, 0);
  EXPECT_EQ(d.users + first.droppedUsers, shop_.users);
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM users WHERE dataset_id = " + id(d)), d.users);
  EXPECT_EQ(
      count(*ws_, "SELECT count(DISTINCT user_idx) FROM interactions WHERE dataset_id = " + id(d)),
      d.users);
  EXPECT_EQ(count(*ws_, "SELECT max(idx) + 1 FROM users WHERE dataset_id = " + id(d)), d.users)
      << "users are numbered densely";

  const auto again = storage::deriveDataset(*ws_, shop_, basket("again", fraction), nullptr, {});
  EXPECT_EQ(again.dataset.contentHash, d.contentHash);
  EXPECT_EQ(content(*ws_, again.dataset), content(*ws_, d));
  EXPECT_EQ(again.dataset.source, d.source);
  const auto other =
      storage::deriveDataset(*ws_, shop_, basket("other", fraction, 43), nullptr, {});
  EXPECT_NE(content(*ws_, other.dataset), content(*ws_, d)) << "the seed draws another sample";
}

TEST(DeriveBaskets, EachBasketKeepsItsShareAndEveryItemStays) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("ws.reco"), Workspace::OpenMode::CreateIfMissing);
  // 5 customers x 4 invoices of 20 lines (one time per invoice), 100 catalogue items with a
  // title, category, price and an attribute; customer "c5" has one line without a time.
  io::ImportOptions options;
  options.name = "receipts";
  const auto produce = [](io::RecordSink& sink) {
    sink.begin(io::Feedback::Quantity);
    for (int i = 0; i < 100; ++i) {
      const std::string item = std::string("p").append(std::to_string(i));
      const std::string title = std::string("product ").append(std::to_string(i));
      sink.item({item, title, i % 2 ? "odd" : "even", 1.5 + i, {{"colour", "red"}}});
    }
    for (int c = 1; c <= 5; ++c) {
      const std::string user = std::string("c").append(std::to_string(c));
      sink.user({user, {{"country", "FR"}}});
      for (int invoice = 0; invoice < 4; ++invoice)
        for (int line = 0; line < 20; ++line) {
          const std::string item =
              std::string("p").append(std::to_string((c * 7 + invoice * 20 + line) % 100));
          sink.interaction({user, item, 1000 * c + invoice, "purchase", double(line + 1), 1});
        }
    }
    sink.interaction({"c5", "p99", io::kNoTime, "purchase", 3.0, 1});
    return Outcome::Completed;
  };
  const DatasetInfo source =
      storage::importRecords(ws, "test", "memory", options, produce, nullptr, {}).dataset;
  // 20 lines x 0.05 = exactly one line of each invoice.
  const auto result = storage::deriveDataset(ws, source, basket("one-each", 0.05, 1), nullptr, {});
  const DatasetInfo& d = result.dataset;
  EXPECT_EQ(
      count(ws, "SELECT count(*) FROM (SELECT 1 FROM interactions WHERE dataset_id = " + id(d) +
                    " AND time IS NOT NULL GROUP BY user_idx, time HAVING "
                    "count(*) = 1)"),
      20);
  EXPECT_EQ(count(ws, "SELECT count(*) FROM interactions WHERE dataset_id = " + id(d) +
                          " AND time IS NOT NULL"),
            20);
  EXPECT_EQ(result.catalogueItems, 100);
  EXPECT_EQ(count(ws, "SELECT count(*) FROM item_attributes WHERE dataset_id = " + id(d) +
                          " AND key = 'colour' AND value = 'red'"),
            100);
  EXPECT_EQ(count(ws, "SELECT count(*) FROM items WHERE dataset_id = " + id(d) +
                          " AND external_id = 'p3' AND title = 'product 3' AND category = 'odd' "
                          "AND price = 4.5"),
            1);
  EXPECT_EQ(count(ws, "SELECT count(*) FROM user_attributes WHERE dataset_id = " + id(d) +
                          " AND value = 'FR'"),
            d.users);
  EXPECT_EQ(d.feedback, "quantity");
  // Half of each: exactly 10 lines of each invoice, then 1-2 of those per customer.
  auto both = basket("half-then-few", 0.5, 1);
  both.linesPerUserMin = 1;
  both.linesPerUserMax = 2;
  const auto thinned = storage::deriveDataset(ws, source, both, nullptr, {});
  EXPECT_EQ(thinned.dataset.users, 5);
  EXPECT_GE(thinned.dataset.interactions, 5);
  EXPECT_LE(thinned.dataset.interactions, 10);
  ASSERT_EQ(thinned.report.rejected.size(), 2u);
  // 400 lines in invoices: 200 kept by the baskets; the line without a time is a coin.
  std::int64_t byBaskets = 0;
  for (const auto& reason : thinned.report.rejected)
    if (reason.reason.find("basket") != std::string::npos) byBaskets = reason.count;
  EXPECT_TRUE(byBaskets == 200 || byBaskets == 201) << byBaskets;
}

TEST_F(DeriveDataset, BadOptionsFailWithTheMessageAndChangeNothing) {
  ws_.reset();
  const std::string before = reco::testing::dumpContent(path_);
  ws_.emplace(path_, Workspace::OpenMode::OpenExisting);
  const auto derive = [&](const DeriveOptions& o) {
    return [this, o] { storage::deriveDataset(*ws_, shop_, o, nullptr, {}); };
  };
  auto o = sparse("x");
  o.linesPerUserMin = 0;
  expectError(derive(o), ErrorKind::Config, {"expected 1 <= A <= B", "found 0-2"});
  o.linesPerUserMin = 3;
  expectError(derive(o), ErrorKind::Config, {"expected 1 <= A <= B", "found 3-2"});
  expectError(derive(basket("x", 0.0)), ErrorKind::Config,
              {"expected a number in (0, 1]", "found 0"});
  expectError(derive(basket("x", 1.5)), ErrorKind::Config, {"found 1.5"});
  expectError(derive(basket("x", std::nan(""))), ErrorKind::Config, {"basket fraction"});
  expectError(derive(basket("", 0.5)), ErrorKind::Config, {"needs a name"});
  expectError(derive(basket("shop", 0.5)), ErrorKind::Config, {"new name", "'shop' taken"});
  DatasetInfo gone = shop_;
  gone.id += 100;
  expectError([&] { storage::deriveDataset(*ws_, gone, basket("x", 0.5), nullptr, {}); },
              ErrorKind::Config, {"found it gone"});
  // A sample that keeps no line is an error too, not an empty dataset.
  expectError(derive(basket("x", 1e-9)), ErrorKind::Data, {"keeps no line", "found none"});
  ws_.reset();
  EXPECT_EQ(reco::testing::dumpContent(path_), before);
}

/// Asks the job to stop at its first progress report.
class StopAtFirstProgress final : public JobObserver {
 public:
  explicit StopAtFirstProgress(std::stop_source& source) : source_(source) {}
  void onProgress(const Progress&) override { source_.request_stop(); }

 private:
  std::stop_source& source_;
};

TEST_F(DeriveDataset, AStopLeavesTheWorkspaceAsItWas) {
  ws_.reset();
  const std::string before = reco::testing::dumpContent(path_);
  ws_.emplace(path_, Workspace::OpenMode::OpenExisting);
  std::stop_source source;
  StopAtFirstProgress observer(source);
  const auto result =
      storage::deriveDataset(*ws_, shop_, sparse("stopped"), &observer, source.get_token());
  EXPECT_EQ(result.outcome, Outcome::Stopped);
  std::stop_source already;
  already.request_stop();
  EXPECT_EQ(
      storage::deriveDataset(*ws_, shop_, basket("stopped", 0.5), nullptr, already.get_token())
          .outcome,
      Outcome::Stopped);
  ws_.reset();
  EXPECT_EQ(reco::testing::dumpContent(path_), before);
}

}  // namespace
