// The presenter's story (core/storage/story_store.h): bookmarks listed in position order,
// appended, moved, renamed and deleted with positions kept 0..n-1; a bad kind or state is
// refused; a version-4 workspace upgrades to the schema with the story. The demo story
// (core/training/demo_story.h) on a trained split: its four views, chosen as documented.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/json.h"
#include "core/storage/database.h"
#include "core/storage/run_store.h"
#include "core/storage/schema.h"
#include "core/storage/story_store.h"
#include "core/storage/workspace.h"
#include "core/training/demo_story.h"
#include "core/training/experiment.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using storage::Bookmark;
using storage::BookmarkKind;
using storage::Workspace;

namespace {

Bookmark bookmark(BookmarkKind kind, const std::string& title,
                  const std::string& state = "{\"dataset\":\"shop\"}") {
  Bookmark b;
  b.kind = kind;
  b.title = title;
  b.stateJson = state;
  return b;
}

// The titles of the story in order, after checking that positions are 0..n-1.
std::vector<std::string> titles(Workspace& ws) {
  std::vector<std::string> out;
  const auto story = storage::listBookmarks(ws);
  for (std::size_t i = 0; i < story.size(); ++i) {
    EXPECT_EQ(story[i].position, int(i)) << story[i].title;
    out.push_back(story[i].title);
  }
  return out;
}

using Titles = std::vector<std::string>;

TEST(StoryStore, AddsInOrderMovesRenamesAndDeletes) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("s.reco"), Workspace::OpenMode::CreateIfMissing);
  EXPECT_TRUE(storage::listBookmarks(ws).empty());
  const auto a = storage::addBookmark(ws, bookmark(BookmarkKind::Compare, "A", "{\"k\":10}"));
  const auto b = storage::addBookmark(ws, bookmark(BookmarkKind::User, "B"));
  const auto c = storage::addBookmark(ws, bookmark(BookmarkKind::Item, "C"));
  const auto d = storage::addBookmark(ws, bookmark(BookmarkKind::User, "D"));
  EXPECT_EQ(titles(ws), (Titles{"A", "B", "C", "D"}));
  const auto story = storage::listBookmarks(ws);
  EXPECT_EQ(story[0].id, a);
  EXPECT_EQ(story[0].kind, BookmarkKind::Compare);
  EXPECT_EQ(story[0].stateJson, "{\"k\":10}");
  EXPECT_EQ(story[2].kind, BookmarkKind::Item);
  EXPECT_GT(story[0].createdAt, 1700000000);

  storage::moveBookmark(ws, a, 2);  // later: B and C move up
  EXPECT_EQ(titles(ws), (Titles{"B", "C", "A", "D"}));
  storage::moveBookmark(ws, d, 0);  // earlier: all others move down
  EXPECT_EQ(titles(ws), (Titles{"D", "B", "C", "A"}));
  storage::moveBookmark(ws, c, 2);  // where it is: nothing changes
  EXPECT_EQ(titles(ws), (Titles{"D", "B", "C", "A"}));
  storage::moveBookmark(ws, d, 3);  // to the end
  EXPECT_EQ(titles(ws), (Titles{"B", "C", "A", "D"}));

  storage::renameBookmark(ws, b, "Customer U1");
  EXPECT_EQ(titles(ws), (Titles{"Customer U1", "C", "A", "D"}));

  storage::deleteBookmark(ws, c);  // the gap closes
  EXPECT_EQ(titles(ws), (Titles{"Customer U1", "A", "D"}));
  storage::deleteBookmark(ws, b);
  EXPECT_EQ(titles(ws), (Titles{"A", "D"}));
  const auto e = storage::addBookmark(ws, bookmark(BookmarkKind::Item, "E"));  // appended
  EXPECT_EQ(titles(ws), (Titles{"A", "D", "E"}));
  storage::moveBookmark(ws, e, 0);
  EXPECT_EQ(titles(ws), (Titles{"E", "A", "D"}));
}

TEST(StoryStore, RefusesUnknownIdsPositionsKindsAndStates) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("s.reco"), Workspace::OpenMode::CreateIfMissing);
  const auto a = storage::addBookmark(ws, bookmark(BookmarkKind::Compare, "A"));
  storage::addBookmark(ws, bookmark(BookmarkKind::User, "B"));
  const auto expectConfig = [](auto&& call, const std::string& words) {
    try {
      call();
      ADD_FAILURE() << "no error; expected one saying '" << words << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  expectConfig([&] { storage::parseBookmarkKind("chart"); },
               "bookmark kind 'chart': expected compare, user or item");
  EXPECT_EQ(storage::parseBookmarkKind("item"), BookmarkKind::Item);
  expectConfig([&] { storage::moveBookmark(ws, a, 2); }, "position 2 is outside the story (0..1)");
  expectConfig([&] { storage::moveBookmark(ws, a, -1); }, "outside the story");
  expectConfig([&] { storage::moveBookmark(ws, a + 100, 0); }, "is not in the story");
  expectConfig([&] { storage::deleteBookmark(ws, a + 100); }, "is not in the story");
  expectConfig([&] { storage::renameBookmark(ws, a + 100, "X"); }, "is not in the story");
  expectConfig([&] { storage::renameBookmark(ws, a, ""); }, "needs a title");
  expectConfig([&] { storage::addBookmark(ws, bookmark(BookmarkKind::Item, "")); },
               "needs a title");
  expectConfig([&] { storage::addBookmark(ws, bookmark(BookmarkKind::Item, "X", "[1,2]")); },
               "not a JSON object");
  // Starting with { and ending with } is not enough: `reco story list --json` prints the
  // state as is, so it is parsed, and the message says where it goes wrong.
  expectConfig(
      [&] { storage::addBookmark(ws, bookmark(BookmarkKind::Item, "X", "{\"a\": 1 \"b\": 2}")); },
      "expected ',' or '}' at offset 8, found '\"'");
  for (const char* bad : {"{a: 1}", "{\"a\": }", "{\"a\": 1,}", "{} {}", "{\"a\": [1, 2}",
                          "{\"a\": \"x\\q\"}", "{\"a\": 01}", "{\"a\": tru}"}) {
    SCOPED_TRACE(bad);
    expectConfig([&] { storage::addBookmark(ws, bookmark(BookmarkKind::Item, "X", bad)); },
                 "not a JSON object");
  }
  // A kind the store does not know cannot get into the table either.
  EXPECT_THROW(ws.db().exec("INSERT INTO bookmarks (position, kind, title, created_at) "
                            "VALUES (2, 'chart', 'X', 1)"),
               Error);
  EXPECT_EQ(titles(ws), (Titles{"A", "B"}));  // nothing half-written
}

TEST(StoryStore, TakesAnyJsonObjectAsState) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("s.reco"), Workspace::OpenMode::CreateIfMissing);
  const std::string state =
      " {\"a\": [1, -2.5e3, 0.25E+2, true, false, null, \"x\\u00e9\\n\\\"\"], \"b\": {}, "
      "\"c\": [[], {\"d\": \"\"}]}\n";
  EXPECT_NO_THROW(storage::addBookmark(ws, bookmark(BookmarkKind::Item, "X", state)));
  EXPECT_EQ(jsonObjectProblem(state), "");
  EXPECT_NE(jsonObjectProblem(std::string(300, '[')), "");  // too deep, not a crash
}

TEST(StoryStore, AVersion4WorkspaceUpgradesWithItsDataIntact) {
  reco::testing::TempDir dir;
  const std::string path = dir.file("v4.reco");
  {
    // A workspace as a build of schema 4 wrote it, with a dataset and a scenario in it.
    storage::Database db(path, storage::Database::Mode::ReadWriteCreate);
    const auto& migrations = storage::schemaMigrations();
    ASSERT_GE(migrations.size(), 5u);
    for (int v = 0; v < 4; ++v) db.exec(migrations[std::size_t(v)]);
    db.exec("PRAGMA application_id = " + std::to_string(storage::kApplicationId));
    db.exec("PRAGMA user_version = 4");
    db.exec(
        "INSERT INTO datasets (id, name, format, source, feedback, created_at) "
        "VALUES (7, 'old', 'csv', 'old.csv', 'binary', 1700000000)");
    db.exec(
        "INSERT INTO scenarios (dataset_id, name, history, created_at) "
        "VALUES (7, 'kept', '[1,0]', 1700000000)");
    EXPECT_EQ(db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'bookmarks'").value(),
              0);
  }
  Workspace ws(path, Workspace::OpenMode::OpenExisting);
  EXPECT_EQ(ws.db().queryInt("PRAGMA user_version").value(), storage::kSchemaVersion);
  ASSERT_TRUE(ws.findDataset("old").has_value());
  EXPECT_EQ(ws.db().queryInt("SELECT count(*) FROM scenarios WHERE name = 'kept'").value(), 1);
  EXPECT_TRUE(storage::listBookmarks(ws).empty());
  storage::addBookmark(ws, bookmark(BookmarkKind::Compare, "after the upgrade"));
  EXPECT_EQ(titles(ws), (Titles{"after the upgrade"}));
}

TEST(DemoStory, ComparesTheRunsAndShowsTwoCustomersAndOneProduct) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("demo.reco"), Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo shop = reco::testing::importSyntheticShop(ws, 80, 40, 1500, 5);
  const storage::SplitInfo split = reco::testing::createHoldoutSplit(ws, shop);
  EXPECT_TRUE(reco::demoStory(ws, "holdout").empty());  // no runs yet
  for (const char* model : {"pop", "itemknn"}) {
    ExperimentOptions options;
    options.model = model;
    options.compute.threads = 2;
    runExperiment(ws, split, options, nullptr, {});
  }
  EXPECT_TRUE(reco::demoStory(ws, "demo-holdout").empty());  // no split of that name

  ASSERT_EQ(reco::addDemoStoryIfEmpty(ws, "holdout"), 4);
  const auto story = storage::listBookmarks(ws);
  ASSERT_EQ(story.size(), 4u);
  EXPECT_EQ(story[0].kind, BookmarkKind::Compare);
  EXPECT_EQ(story[0].title, "Compare · ndcg@10 · 2 runs");
  EXPECT_NE(story[0].stateJson.find("\"k\":10"), std::string::npos) << story[0].stateJson;
  EXPECT_NE(story[0].stateJson.find("\"baseline\":\"pop\""), std::string::npos);
  EXPECT_NE(story[0].stateJson.find("\"runs\":[\"pop\",\"itemknn\"]"), std::string::npos)
      << story[0].stateJson;

  // The customers: the most and the least active (with at least 3 interactions) of the
  // users with test pairs, found here the long way.
  std::int64_t mostCount = -1, leastCount = -1;
  {
    storage::Statement users(ws.db(),
                             "SELECT u.external_id, u.n_interactions FROM users u "
                             "WHERE u.dataset_id = ? AND u.idx IN (SELECT user_idx FROM "
                             "split_pairs WHERE split_id = ? AND part = 2) ORDER BY u.idx");
    users.bind(1, shop.id).bind(2, split.id);
    while (users.step()) {
      const std::int64_t n = users.columnInt(1);
      if (n > mostCount) mostCount = n;
      if (n >= 3 && (leastCount < 0 || n < leastCount)) leastCount = n;
    }
  }
  ASSERT_GE(mostCount, 3);
  ASSERT_GE(leastCount, 3);
  EXPECT_EQ(story[1].kind, BookmarkKind::User);
  EXPECT_EQ(story[2].kind, BookmarkKind::User);
  EXPECT_LT(leastCount, mostCount);
  const auto userCount = [&](const std::string& title) {
    const std::string id = title.substr(std::string("Customer ").size());
    storage::Statement count(ws.db(),
                             "SELECT n_interactions FROM users WHERE dataset_id = ? AND "
                             "external_id = ?");
    count.bind(1, shop.id).bind(2, id);
    return count.step() ? count.columnInt(0) : -1;
  };
  EXPECT_EQ(userCount(story[1].title), mostCount) << story[1].title;
  EXPECT_EQ(userCount(story[2].title), leastCount) << story[2].title;
  // The runs shown beside a customer: the non-popularity one first.
  EXPECT_NE(story[1].stateJson.find("\"runs\":[\"itemknn\",\"pop\"]"), std::string::npos)
      << story[1].stateJson;

  EXPECT_EQ(story[3].kind, BookmarkKind::Item);
  const auto topItem = ws.db().queryInt("SELECT max(n_interactions) FROM items").value();
  {
    const std::string id = story[3].title.substr(std::string("Product ").size());
    storage::Statement count(ws.db(), "SELECT n_interactions FROM items WHERE external_id = ?");
    count.bind(1, id);
    ASSERT_TRUE(count.step()) << story[3].title;
    EXPECT_EQ(count.columnInt(0), topItem);
  }
  EXPECT_NE(story[3].stateJson.find("\"tab\":\"nearest\""), std::string::npos);

  // Once: a story that is there is left alone.
  EXPECT_EQ(reco::addDemoStoryIfEmpty(ws, "holdout"), 0);
  EXPECT_EQ(storage::listBookmarks(ws).size(), 4u);
}

}  // namespace
