// The import pipeline over hand-made records: id mapping, filters, duplicate policies,
// k-core, statistics, the stored report, and that failures and stops change nothing.
#include <QTemporaryDir>
#include <QtTest>

#include <stdexcept>
#include <tuple>

#include "core/common/error.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
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

std::int64_t count(Workspace& ws, const std::string& sql) { return ws.db().queryInt(sql).value_or(-1); }

}  // namespace

class TestImportPipeline : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  int n_ = 0;
  std::string freshPath() { return dir_.filePath(QString("ws%1.reco").arg(++n_)).toStdString(); }

 private slots:
  void mapsIdsAndComputesStatistics() {
    Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
    // u1: 3 items, u2: 1, u3: 2 -> per-user counts {1,2,3}; items a:3, b:2, c:1.
    auto result = storage::importRecords(ws, "test", "hand", named("ratings"),
                                         produce({{"u1", "a", 100, "", 5}, {"u1", "b", 200, "", 4}, {"u1", "c", 300, "", 3},
                                                  {"u2", "a", 150, "", 2}, {"u3", "a", 50, "", 1}, {"u3", "b", 400, "", 5}},
                                                 io::Feedback::Rating,
                                                 {{"a", "Alpha", "Books", 9.5, {{"color", "red"}}}, {"z", "Zeta", "Toys", 1.0, {}}}),
                                         nullptr, {});
    QCOMPARE(int(result.outcome), int(Outcome::Completed));
    const auto& d = result.dataset;
    QCOMPARE(d.name, std::string("ratings"));
    QCOMPARE(d.feedback, std::string("rating"));
    QCOMPARE(d.users, std::int64_t(3));
    QCOMPARE(d.items, std::int64_t(3));  // z has no interaction
    QCOMPARE(d.interactions, std::int64_t(6));
    QCOMPARE(d.firstTime.value(), std::int64_t(50));
    QCOMPARE(d.lastTime.value(), std::int64_t(400));
    QCOMPARE(d.density(), 6.0 / 9.0);
    QCOMPARE(d.contentHash.size(), std::size_t(16));
    const auto stats = ws.stats(d.id);
    QCOMPARE(stats.perUser.min, 1.0);
    QCOMPARE(stats.perUser.median, 2.0);
    QCOMPARE(stats.perUser.max, 3.0);
    QCOMPARE(stats.perUser.q25, 1.5);  // numpy linear: 1 + 0.5 * (2 - 1)
    QCOMPARE(stats.perItem.mean, 2.0);
    // The catalogue item without interactions stays for cold start, with its metadata.
    QCOMPARE(count(ws, "SELECT count(*) FROM items WHERE external_id = 'z' AND title = 'Zeta'"), std::int64_t(1));
    QCOMPARE(count(ws, "SELECT count(*) FROM item_attributes WHERE key = 'color' AND value = 'red'"), std::int64_t(1));
    // Category mix counts interactions of items with any.
    QCOMPARE(stats.categories.size(), std::size_t(2));  // Books, and "" for b and c
    for (const auto& c : stats.categories) {
      QCOMPARE(c.interactions, std::int64_t(3));
      QCOMPARE(c.items, std::int64_t(c.category == "Books" ? 1 : 2));
    }
    // Dense indices in order of first appearance.
    QCOMPARE(count(ws, "SELECT idx FROM users WHERE external_id = 'u3'"), std::int64_t(2));
  }

  void appliesEventWeightsThresholdAndDates() {
    Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
    auto options = named("events");
    options.ratingThreshold = 3;  // keeps carts (3) and purchases (5), drops views (1)
    options.since = 100;
    options.until = 500;
    auto result = storage::importRecords(ws, "test", "hand", options,
                                         produce({{"u1", "a", 100, "view", 1}, {"u1", "a", 110, "cart", 1},
                                                  {"u1", "a", 120, "purchase", 1}, {"u2", "b", 130, "wishlist", 1},
                                                  {"u2", "b", 50, "purchase", 1}, {"u2", "b", 500, "purchase", 1},
                                                  {"u2", "c", io::kNoTime, "purchase", 1}, {"u2", "c", 200, "cart", 1}},
                                                 io::Feedback::Event),
                                         nullptr, {});
    QCOMPARE(result.dataset.interactions, std::int64_t(3));
    QCOMPARE(count(ws, "SELECT sum(value) FROM interactions"), std::int64_t(3 + 5 + 3));
    std::map<std::string, std::int64_t> reasons;
    for (const auto& r : result.report.rejected) reasons[r.reason] = r.count;
    QCOMPARE(reasons["below the rating threshold"], std::int64_t(1));
    QCOMPARE(reasons["unknown event type (not in --event-weights)"], std::int64_t(1));
    QCOMPARE(reasons["before --since"], std::int64_t(1));
    QCOMPARE(reasons["on or after --until"], std::int64_t(1));
    QCOMPARE(reasons["no time, but a date range was given"], std::int64_t(1));
    QCOMPARE(result.report.rowsRead, std::int64_t(8));
    QCOMPARE(result.report.rowsKept, std::int64_t(3));
    // The stored report reads back the same, with its examples and line numbers.
    const auto stored = ws.importReport(result.dataset.id);
    QCOMPARE(stored.rowsRead, std::int64_t(8));
    QCOMPARE(stored.rejected.size(), result.report.rejected.size());
    bool sawLine = false;
    for (const auto& r : stored.rejected)
      if (r.reason == "before --since") sawLine = r.examples.size() == 1 && r.examples[0].line == 6;
    QVERIFY(sawLine);
    const auto stats = ws.stats(result.dataset.id);
    // view is known (its rows all fell below the threshold), so it is listed with 0.
    QCOMPARE(stats.events.size(), std::size_t(3));
    QCOMPARE(stats.events[0].event, std::string("cart"));
    QCOMPARE(stats.events[0].interactions, std::int64_t(2));
    QCOMPARE(stats.events[2].event, std::string("view"));
    QCOMPARE(stats.events[2].interactions, std::int64_t(0));
  }

  void mergesDuplicatesByPolicy_data() {
    QTest::addColumn<int>("policy");
    QTest::addColumn<double>("value");
    QTest::addColumn<qint64>("time");
    QTest::newRow("sum") << int(io::DuplicatePolicy::Sum) << 9.0 << qint64(300);
    QTest::newRow("max") << int(io::DuplicatePolicy::Max) << 5.0 << qint64(100);
    QTest::newRow("last") << int(io::DuplicatePolicy::Last) << 3.0 << qint64(300);
  }
  void mergesDuplicatesByPolicy() {
    QFETCH(int, policy);
    QFETCH(double, value);
    QFETCH(qint64, time);
    Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
    auto options = named("dups");
    options.duplicates = io::DuplicatePolicy(policy);
    auto result = storage::importRecords(
        ws, "test", "hand", options,
        produce({{"u1", "a", 100, "", 5}, {"u1", "a", 300, "", 3}, {"u1", "a", 200, "", 1}, {"u2", "a", 100, "", 2}}), nullptr, {});
    QCOMPARE(result.dataset.interactions, std::int64_t(2));
    reco::storage::Statement st(ws.db(), "SELECT value, time FROM interactions i JOIN users u ON u.dataset_id = i.dataset_id "
                                         "AND u.idx = i.user_idx WHERE u.external_id = 'u1'");
    QVERIFY(st.step());
    QCOMPARE(st.columnDouble(0), value);
    QCOMPARE(st.columnInt(1), std::int64_t(time));
  }

  void kCoreIteratesUntilStable() {
    Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
    auto options = named("core");
    options.minUserInteractions = 2;
    options.minItemInteractions = 2;
    // u1,u2 both have a,b: a 2-core. u3 has b,c; c has only u3; after c goes, u3 has one
    // item and goes too (second pass), leaving b with u1,u2.
    auto result = storage::importRecords(ws, "test", "hand", options,
                                         produce({{"u1", "a", 1, "", 1}, {"u1", "b", 2, "", 1}, {"u2", "a", 3, "", 1},
                                                  {"u2", "b", 4, "", 1}, {"u3", "b", 5, "", 1}, {"u3", "c", 6, "", 1},
                                                  {"u4", "a", 7, "", 1}}),
                                         nullptr, {});
    QCOMPARE(result.dataset.users, std::int64_t(2));
    QCOMPARE(result.dataset.items, std::int64_t(2));
    QCOMPARE(result.dataset.interactions, std::int64_t(4));
    QCOMPARE(count(ws, "SELECT count(*) FROM users"), std::int64_t(2));
    QCOMPARE(count(ws, "SELECT count(*) FROM items"), std::int64_t(2));  // an item k-core drops unused items
    bool stable = false;
    for (const auto& note : result.report.notes) stable = stable || note.find("stable after pass") != std::string::npos;
    QVERIFY(stable);
  }

  void secondImportMakesASecondDataset() {
    Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
    const auto rows = std::vector<Row>{{"u1", "a", 1, "", 1}, {"u2", "b", 2, "", 1}};
    auto first = storage::importRecords(ws, "test", "hand", named("shop"), produce(rows), nullptr, {});
    auto second = storage::importRecords(ws, "test", "hand", named("shop"), produce(rows), nullptr, {});
    QCOMPARE(second.dataset.name, std::string("shop-2"));
    QVERIFY(first.dataset.id != second.dataset.id);
    QCOMPARE(first.dataset.contentHash, second.dataset.contentHash);  // same content, same hash
    QCOMPARE(count(ws, "SELECT count(*) FROM interactions WHERE dataset_id = " + std::to_string(second.dataset.id)),
             std::int64_t(2));
    QCOMPARE(ws.datasets().size(), std::size_t(2));
    ws.deleteDataset(first.dataset.id);
    for (const char* table : {"users", "items", "interactions", "dataset_stats", "import_reports"})
      QCOMPARE(count(ws, std::string("SELECT count(*) FROM ") + table + " WHERE dataset_id = " + std::to_string(first.dataset.id)),
               std::int64_t(0));
    QCOMPARE(ws.datasets().size(), std::size_t(1));
  }

  void failedImportChangesNothing() {
    const auto path = freshPath();
    {
      Workspace ws(path, Workspace::OpenMode::CreateIfMissing);
      storage::importRecords(ws, "test", "hand", named("kept"), produce({{"u1", "a", 1, "", 1}}), nullptr, {});
    }
    const auto contentBefore = testing::dumpContent(path);
    const auto bytesBefore = testing::fileBytes(path);
    {
      Workspace ws(path, Workspace::OpenMode::OpenExisting);
      auto failing = [](io::RecordSink& sink) -> Outcome {
        sink.begin(io::Feedback::Binary);
        for (int i = 0; i < 50000; ++i) {
          const std::string user = "u" + std::to_string(i % 997), item = "i" + std::to_string(i % 101);
          sink.interaction({user, item, i, "", 1.0, std::size_t(i + 1)});
        }
        throw Error(ErrorKind::Data, "broken.csv:50001: expected 4 fields, found 1");
      };
      QVERIFY_THROWS_EXCEPTION(Error, storage::importRecords(ws, "test", "hand", named("broken"), failing, nullptr, {}));
      QCOMPARE(ws.datasets().size(), std::size_t(1));
    }
    QCOMPARE(testing::dumpContent(path), contentBefore);
    QCOMPARE(testing::fileBytes(path), bytesBefore);
  }

  void cancelledImportChangesNothing() {
    const auto path = freshPath();
    {
      Workspace ws(path, Workspace::OpenMode::CreateIfMissing);
      storage::importRecords(ws, "test", "hand", named("kept"), produce({{"u1", "a", 1, "", 1}}), nullptr, {});
    }
    const auto contentBefore = testing::dumpContent(path);
    const auto bytesBefore = testing::fileBytes(path);
    {
      Workspace ws(path, Workspace::OpenMode::OpenExisting);
      std::stop_source source;
      auto cancelled = [&](io::RecordSink& sink) -> Outcome {
        sink.begin(io::Feedback::Binary);
        for (int i = 0; i < 100000; ++i) {
          const std::string user = "u" + std::to_string(i % 997), item = "i" + std::to_string(i % 101);
          sink.interaction({user, item, i, "", 1.0, std::size_t(i + 1)});
          if (i == 60000) source.request_stop();  // the user pressed Cancel
          if (source.stop_requested()) return Outcome::Stopped;
        }
        return Outcome::Completed;
      };
      auto result = storage::importRecords(ws, "test", "hand", named("cancelled"), cancelled, nullptr, source.get_token());
      QCOMPARE(int(result.outcome), int(Outcome::Stopped));
      QCOMPARE(ws.datasets().size(), std::size_t(1));
    }
    QCOMPARE(testing::dumpContent(path), contentBefore);
    QCOMPARE(testing::fileBytes(path), bytesBefore);
  }

  void everyRowRejectedIsADataError() {
    Workspace ws(freshPath(), Workspace::OpenMode::CreateIfMissing);
    auto rejectAll = [](io::RecordSink& sink) {
      sink.begin(io::Feedback::Rating);
      sink.reject("wrong number of fields", 2, "1,2");
      sink.reject("wrong number of fields", 3, "3");
      return Outcome::Completed;
    };
    try {
      storage::importRecords(ws, "test", "hand", named("nothing"), rejectAll, nullptr, {});
      QFAIL("expected a data error");
    } catch (const Error& e) {
      QCOMPARE(int(e.kind()), int(ErrorKind::Data));
      QVERIFY2(std::string(e.what()).find("wrong number of fields") != std::string::npos, e.what());
    }
    QVERIFY(ws.datasets().empty());
  }
};

QTEST_GUILESS_MAIN(TestImportPipeline)
#include "test_import_pipeline.moc"
