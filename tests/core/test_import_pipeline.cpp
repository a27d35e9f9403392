// The import pipeline over hand-made records: id mapping, filters, duplicate policies,
// k-core, statistics, the stored report, and that failures and stops change nothing.
#include <cstdint>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"
#include "tests/support/workspace_dump.h"

using namespace reco;
using storage::Workspace;

namespace {

struct Row {
  const char* user;
  const char* item;
  std::int64_t time;
  const char* event;
  double value;
};

storage::RecordProducer produce(std::vector<Row> rows, io::Feedback feedback = io::Feedback::Rating,
                                std::vector<io::ItemRecord> items = {}) {
  return [rows = std::move(rows), feedback, items = std::move(items)](io::RecordSink& sink) {
    sink.begin(feedback);
    for (const auto& item : items) sink.item(item);
    std::size_t line = 1;
    for (const auto& r : rows) sink.interaction({r.user, r.item, r.time, r.event, r.value, ++line});
    return Outcome::Completed;
  };
}

io::ImportOptions named(const char* name) {
  io::ImportOptions o;
  o.name = name;
  return o;
}

std::int64_t count(Workspace& ws, const std::string& sql) {
  return ws.db().queryInt(sql).value_or(-1);
}

/// Each test imports into workspaces of its own, in a folder removed afterwards.
class ImportPipeline : public ::testing::Test {
 protected:
  std::string freshPath() { return dir_.file("ws" + std::to_string(++n_) + ".reco"); }

  reco::testing::TempDir dir_;
  int n_ = 0;
};

TEST_F(ImportPipeline, MapsIdsAndComputesStatistics) {
  Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
  // u1: 3 items, u2: 1, u3: 2 -> per-user counts {1,2,3}; items a:3, b:2, c:1.
  auto result = storage::importRecords(
      ws, "test", "hand", named("ratings"),
      produce({{"u1", "a", 100, "", 5},
               {"u1", "b", 200, "", 4},
               {"u1", "c", 300, "", 3},
               {"u2", "a", 150, "", 2},
               {"u3", "a", 50, "", 1},
               {"u3", "b", 400, "", 5}},
              io::Feedback::Rating,
              {{"a", "Alpha", "Books", 9.5, {{"color", "red"}}}, {"z", "Zeta", "Toys", 1.0, {}}}),
      nullptr, {});
  EXPECT_EQ(result.outcome, Outcome::Completed);
  const auto& d = result.dataset;
  EXPECT_EQ(d.name, std::string("ratings"));
  EXPECT_EQ(d.feedback, std::string("rating"));
  EXPECT_EQ(d.users, std::int64_t(3));
  EXPECT_EQ(d.items, std::int64_t(3));  // z has no interaction
  EXPECT_EQ(d.interactions, std::int64_t(6));
  EXPECT_EQ(d.firstTime.value(), std::int64_t(50));
  EXPECT_EQ(d.lastTime.value(), std::int64_t(400));
  EXPECT_CLOSE(d.density(), 6.0 / 9.0, 1e-12);
  EXPECT_EQ(d.contentHash.size(), std::size_t(16));
  const auto stats = ws.stats(d.id);
  EXPECT_CLOSE(stats.perUser.min, 1.0, 1e-12);
  EXPECT_CLOSE(stats.perUser.median, 2.0, 1e-12);
  EXPECT_CLOSE(stats.perUser.max, 3.0, 1e-12);
  EXPECT_CLOSE(stats.perUser.q25, 1.5, 1e-12);  // numpy linear: 1 + 0.5 * (2 - 1)
  EXPECT_CLOSE(stats.perItem.mean, 2.0, 1e-12);
  // The catalogue item without interactions stays for cold start, with its metadata.
  EXPECT_EQ(count(ws, "SELECT count(*) FROM items WHERE external_id = 'z' AND title = 'Zeta'"),
            std::int64_t(1));
  EXPECT_EQ(count(ws, "SELECT count(*) FROM item_attributes WHERE key = 'color' AND value = 'red'"),
            std::int64_t(1));
  // Category mix counts interactions of items with any.
  EXPECT_EQ(stats.categories.size(), std::size_t(2));  // Books, and "" for b and c
  for (const auto& c : stats.categories) {
    EXPECT_EQ(c.interactions, std::int64_t(3));
    EXPECT_EQ(c.items, std::int64_t(c.category == "Books" ? 1 : 2));
  }
  // Dense indices in order of first appearance.
  EXPECT_EQ(count(ws, "SELECT idx FROM users WHERE external_id = 'u3'"), std::int64_t(2));
}

TEST_F(ImportPipeline, AppliesEventWeightsThresholdAndDates) {
  Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
  auto options = named("events");
  options.ratingThreshold = 3;  // keeps carts (3) and purchases (5), drops views (1)
  options.since = 100;
  options.until = 500;
  auto result = storage::importRecords(ws, "test", "hand", options,
                                       produce({{"u1", "a", 100, "view", 1},
                                                {"u1", "a", 110, "cart", 1},
                                                {"u1", "a", 120, "purchase", 1},
                                                {"u2", "b", 130, "wishlist", 1},
                                                {"u2", "b", 50, "purchase", 1},
                                                {"u2", "b", 500, "purchase", 1},
                                                {"u2", "c", io::kNoTime, "purchase", 1},
                                                {"u2", "c", 200, "cart", 1}},
                                               io::Feedback::Event),
                                       nullptr, {});
  EXPECT_EQ(result.dataset.interactions, std::int64_t(3));
  EXPECT_EQ(count(ws, "SELECT sum(value) FROM interactions"), std::int64_t(3 + 5 + 3));
  std::map<std::string, std::int64_t> reasons;
  for (const auto& r : result.report.rejected) reasons[r.reason] = r.count;
  EXPECT_EQ(reasons["below the rating threshold"], std::int64_t(1));
  EXPECT_EQ(reasons["unknown event type (not in --event-weights)"], std::int64_t(1));
  EXPECT_EQ(reasons["before --since"], std::int64_t(1));
  EXPECT_EQ(reasons["on or after --until"], std::int64_t(1));
  EXPECT_EQ(reasons["no time, but a date range was given"], std::int64_t(1));
  EXPECT_EQ(result.report.rowsRead, std::int64_t(8));
  EXPECT_EQ(result.report.rowsKept, std::int64_t(3));
  // The stored report reads back the same, with its examples and line numbers.
  const auto stored = ws.importReport(result.dataset.id);
  EXPECT_EQ(stored.rowsRead, std::int64_t(8));
  EXPECT_EQ(stored.rejected.size(), result.report.rejected.size());
  bool sawLine = false;
  for (const auto& r : stored.rejected)
    if (r.reason == "before --since") sawLine = r.examples.size() == 1 && r.examples[0].line == 6;
  EXPECT_TRUE(sawLine);
  const auto stats = ws.stats(result.dataset.id);
  // view is known (its rows all fell below the threshold), so it is listed with 0.
  EXPECT_EQ(stats.events.size(), std::size_t(3));
  EXPECT_EQ(stats.events[0].event, std::string("cart"));
  EXPECT_EQ(stats.events[0].interactions, std::int64_t(2));
  EXPECT_EQ(stats.events[2].event, std::string("view"));
  EXPECT_EQ(stats.events[2].interactions, std::int64_t(0));
}

/// A duplicate policy and what it makes of u1's three rows for item a: (100, 5), (300, 3),
/// (200, 1) as (time, value).
struct DuplicateCase {
  const char* name;
  io::DuplicatePolicy policy;
  double value;
  std::int64_t time;
};

class MergesDuplicates : public ImportPipeline,
                         public ::testing::WithParamInterface<DuplicateCase> {};

TEST_P(MergesDuplicates, ByPolicy) {
  const auto [name, policy, value, time] = GetParam();
  Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
  auto options = named("dups");
  options.duplicates = policy;
  auto result = storage::importRecords(ws, "test", "hand", options,
                                       produce({{"u1", "a", 100, "", 5},
                                                {"u1", "a", 300, "", 3},
                                                {"u1", "a", 200, "", 1},
                                                {"u2", "a", 100, "", 2}}),
                                       nullptr, {});
  EXPECT_EQ(result.dataset.interactions, std::int64_t(2));
  reco::storage::Statement st(
      ws.db(),
      "SELECT value, time FROM interactions i JOIN users u ON u.dataset_id = i.dataset_id "
      "AND u.idx = i.user_idx WHERE u.external_id = 'u1'");
  ASSERT_TRUE(st.step());
  EXPECT_CLOSE(st.columnDouble(0), value, 1e-12);
  EXPECT_EQ(st.columnInt(1), time);
}

INSTANTIATE_TEST_SUITE_P(Policies, MergesDuplicates,
                         ::testing::Values(DuplicateCase{"sum", io::DuplicatePolicy::Sum, 9.0, 300},
                                           DuplicateCase{"max", io::DuplicatePolicy::Max, 5.0, 100},
                                           DuplicateCase{"last", io::DuplicatePolicy::Last, 3.0,
                                                         300}),
                         [](const ::testing::TestParamInfo<DuplicateCase>& info) {
                           return std::string(info.param.name);
                         });

TEST_F(ImportPipeline, KCoreIteratesUntilStable) {
  Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
  auto options = named("core");
  options.minUserInteractions = 2;
  options.minItemInteractions = 2;
  // u1,u2 both have a,b: a 2-core. u3 has b,c; c has only u3; after c goes, u3 has one
  // item and goes too (second pass), leaving b with u1,u2.
  auto result = storage::importRecords(ws, "test", "hand", options,
                                       produce({{"u1", "a", 1, "", 1},
                                                {"u1", "b", 2, "", 1},
                                                {"u2", "a", 3, "", 1},
                                                {"u2", "b", 4, "", 1},
                                                {"u3", "b", 5, "", 1},
                                                {"u3", "c", 6, "", 1},
                                                {"u4", "a", 7, "", 1}}),
                                       nullptr, {});
  EXPECT_EQ(result.dataset.users, std::int64_t(2));
  EXPECT_EQ(result.dataset.items, std::int64_t(2));
  EXPECT_EQ(result.dataset.interactions, std::int64_t(4));
  EXPECT_EQ(count(ws, "SELECT count(*) FROM users"), std::int64_t(2));
  EXPECT_EQ(count(ws, "SELECT count(*) FROM items"),
            std::int64_t(2));  // an item k-core drops unused items
  bool stable = false;
  for (const auto& note : result.report.notes)
    stable = stable || note.find("stable after pass") != std::string::npos;
  EXPECT_TRUE(stable);
}

TEST_F(ImportPipeline, SecondImportMakesASecondDataset) {
  Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
  const auto rows = std::vector<Row>{{"u1", "a", 1, "", 1}, {"u2", "b", 2, "", 1}};
  auto first =
      storage::importRecords(ws, "test", "hand", named("shop"), produce(rows), nullptr, {});
  auto second =
      storage::importRecords(ws, "test", "hand", named("shop"), produce(rows), nullptr, {});
  EXPECT_EQ(second.dataset.name, std::string("shop-2"));
  EXPECT_NE(first.dataset.id, second.dataset.id);
  EXPECT_EQ(first.dataset.contentHash, second.dataset.contentHash);  // same content, same hash
  EXPECT_EQ(count(ws, "SELECT count(*) FROM interactions WHERE dataset_id = " +
                          std::to_string(second.dataset.id)),
            std::int64_t(2));
  EXPECT_EQ(ws.datasets().size(), std::size_t(2));
  ws.deleteDataset(first.dataset);
  for (const char* table : {"users", "items", "interactions", "dataset_stats", "import_reports"})
    EXPECT_EQ(count(ws, std::string("SELECT count(*) FROM ") + table +
                            " WHERE dataset_id = " + std::to_string(first.dataset.id)),
              std::int64_t(0));
  EXPECT_EQ(ws.datasets().size(), std::size_t(1));
}

TEST_F(ImportPipeline, FailedImportChangesNothing) {
  const auto path = freshPath();
  {
    Workspace ws(path, Workspace::OpenMode::CreateIfMissing);
    storage::importRecords(ws, "test", "hand", named("kept"), produce({{"u1", "a", 1, "", 1}}),
                           nullptr, {});
  }
  const auto contentBefore = reco::testing::dumpContent(path);
  const auto bytesBefore = reco::testing::fileBytes(path);
  {
    Workspace ws(path, Workspace::OpenMode::OpenExisting);
    auto failing = [](io::RecordSink& sink) -> Outcome {
      sink.begin(io::Feedback::Binary);
      for (int i = 0; i < 50000; ++i) {
        const std::string user = "u" + std::to_string(i % 997),
                          item = "i" + std::to_string(i % 101);
        sink.interaction({user, item, i, "", 1.0, std::size_t(i + 1)});
      }
      throw Error(ErrorKind::Data, "broken.csv:50001: expected 4 fields, found 1");
    };
    EXPECT_THROW(storage::importRecords(ws, "test", "hand", named("broken"), failing, nullptr, {}),
                 Error);
    EXPECT_EQ(ws.datasets().size(), std::size_t(1));
  }
  EXPECT_EQ(reco::testing::dumpContent(path), contentBefore);
  EXPECT_EQ(reco::testing::fileBytes(path), bytesBefore);
}

TEST_F(ImportPipeline, CancelledImportChangesNothing) {
  const auto path = freshPath();
  {
    Workspace ws(path, Workspace::OpenMode::CreateIfMissing);
    storage::importRecords(ws, "test", "hand", named("kept"), produce({{"u1", "a", 1, "", 1}}),
                           nullptr, {});
  }
  const auto contentBefore = reco::testing::dumpContent(path);
  const auto bytesBefore = reco::testing::fileBytes(path);
  {
    Workspace ws(path, Workspace::OpenMode::OpenExisting);
    std::stop_source source;
    auto cancelled = [&](io::RecordSink& sink) -> Outcome {
      sink.begin(io::Feedback::Binary);
      for (int i = 0; i < 100000; ++i) {
        const std::string user = "u" + std::to_string(i % 997),
                          item = "i" + std::to_string(i % 101);
        sink.interaction({user, item, i, "", 1.0, std::size_t(i + 1)});
        if (i == 60000) source.request_stop();  // the user pressed Cancel
        if (source.stop_requested()) return Outcome::Stopped;
      }
      return Outcome::Completed;
    };
    auto result = storage::importRecords(ws, "test", "hand", named("cancelled"), cancelled, nullptr,
                                         source.get_token());
    EXPECT_EQ(result.outcome, Outcome::Stopped);
    EXPECT_EQ(ws.datasets().size(), std::size_t(1));
  }
  EXPECT_EQ(reco::testing::dumpContent(path), contentBefore);
  EXPECT_EQ(reco::testing::fileBytes(path), bytesBefore);
}

TEST_F(ImportPipeline, EveryRowRejectedIsADataError) {
  Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
  auto rejectAll = [](io::RecordSink& sink) {
    sink.begin(io::Feedback::Rating);
    sink.reject("wrong number of fields", 2, "1,2");
    sink.reject("wrong number of fields", 3, "3");
    return Outcome::Completed;
  };
  try {
    storage::importRecords(ws, "test", "hand", named("nothing"), rejectAll, nullptr, {});
    FAIL() << "expected a data error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Data);
    EXPECT_TRUE(std::string(e.what()).find("wrong number of fields") != std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(ws.datasets().empty());
}
}  // namespace
