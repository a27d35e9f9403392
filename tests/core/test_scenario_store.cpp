// Named what-if scenarios (core/storage/scenario_store.h): save, list by name, delete; the
// duplicate-name, empty-name and unknown-item errors; a dataset's deletion takes its
// scenarios along; a version-3 workspace upgrades to the schema with scenarios.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/scenario_store.h"
#include "core/storage/schema.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using storage::Scenario;
using storage::Workspace;

namespace {

Scenario scenario(DatasetId dataset, const std::string& name, std::optional<std::int32_t> user,
                  std::vector<std::int32_t> history) {
  Scenario s;
  s.datasetId = dataset;
  s.name = name;
  s.user = user;
  s.history = std::move(history);
  return s;
}

TEST(ScenarioStore, SavesListsByNameAndDeletes) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("s.reco"), Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo shop = reco::testing::importSyntheticShop(ws, 20, 15, 200, 3);
  const auto kettle = storage::saveScenario(ws, scenario(shop.id, "kettle", 4, {3, 1, 7}));
  const auto visitor = storage::saveScenario(ws, scenario(shop.id, "a new visitor", {}, {}));
  EXPECT_NE(kettle, visitor);

  auto list = storage::listScenarios(ws, shop.id);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "a new visitor");  // by name
  EXPECT_EQ(list[0].id, visitor);
  EXPECT_FALSE(list[0].user.has_value());
  EXPECT_TRUE(list[0].history.empty());
  EXPECT_EQ(list[1].name, "kettle");
  EXPECT_EQ(list[1].datasetId, shop.id);
  EXPECT_EQ(list[1].user, std::optional<std::int32_t>(4));
  EXPECT_EQ(list[1].history, (std::vector<std::int32_t>{3, 1, 7}));  // order kept
  EXPECT_GT(list[1].createdAt, 1700000000);

  storage::deleteScenario(ws, kettle);
  list = storage::listScenarios(ws, shop.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "a new visitor");
  EXPECT_THROW(storage::deleteScenario(ws, kettle), Error);
  // The name is free again.
  EXPECT_NO_THROW(storage::saveScenario(ws, scenario(shop.id, "kettle", {}, {2})));
}

TEST(ScenarioStore, DuplicateNamesEmptyNamesAndUnknownItemsAreRefused) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("s.reco"), Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo shop = reco::testing::importSyntheticShop(ws, 20, 15, 200, 3);
  storage::saveScenario(ws, scenario(shop.id, "kettle", 1, {1}));
  try {
    storage::saveScenario(ws, scenario(shop.id, "kettle", 2, {2}));
    FAIL() << "a duplicate name was stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("scenario 'kettle' exists in dataset 'shop'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(storage::saveScenario(ws, scenario(shop.id, "", {}, {1})), Error);
  try {
    storage::saveScenario(ws, scenario(shop.id, "far", {}, {1, 999}));
    FAIL() << "an unknown item was stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("999"), std::string::npos) << e.what();
  }
  EXPECT_THROW(storage::saveScenario(ws, scenario(shop.id, "who", 12345, {1})), Error);
  EXPECT_THROW(storage::saveScenario(ws, scenario(shop.id + 100, "elsewhere", {}, {})), Error);
  ASSERT_EQ(storage::listScenarios(ws, shop.id).size(), 1u);  // nothing half-written
  EXPECT_EQ(storage::listScenarios(ws, shop.id)[0].user, std::optional<std::int32_t>(1));
}

TEST(ScenarioStore, DeletingTheDatasetDeletesItsScenarios) {
  reco::testing::TempDir dir;
  Workspace ws(dir.file("s.reco"), Workspace::OpenMode::CreateIfMissing);
  const DatasetInfo shop = reco::testing::importSyntheticShop(ws, 20, 15, 200, 3);
  storage::saveScenario(ws, scenario(shop.id, "kettle", {}, {1, 2}));
  ws.db().exec("DELETE FROM datasets WHERE id = " + std::to_string(shop.id));
  EXPECT_EQ(ws.db().queryInt("SELECT count(*) FROM scenarios").value(), 0);
}

TEST(ScenarioStore, AVersion3WorkspaceUpgrades) {
  reco::testing::TempDir dir;
  const std::string path = dir.file("v3.reco");
  {
    // A workspace as a build of schema 3 wrote it, with a dataset in it.
    storage::Database db(path, storage::Database::Mode::ReadWriteCreate);
    const auto& migrations = storage::schemaMigrations();
    ASSERT_GE(migrations.size(), 4u);
    for (int v = 0; v < 3; ++v) db.exec(migrations[std::size_t(v)]);
    db.exec("PRAGMA application_id = " + std::to_string(storage::kApplicationId));
    db.exec("PRAGMA user_version = 3");
    db.exec(
        "INSERT INTO datasets (id, name, format, source, feedback, created_at) "
        "VALUES (7, 'old', 'csv', 'old.csv', 'binary', 1700000000)");
    db.exec("INSERT INTO items (dataset_id, idx, external_id) VALUES (7, 0, 'a'), (7, 1, 'b')");
    EXPECT_EQ(db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'scenarios'").value(),
              0);
  }
  Workspace ws(path, Workspace::OpenMode::OpenExisting);
  EXPECT_EQ(ws.db().queryInt("PRAGMA user_version").value(), storage::kSchemaVersion);
  EXPECT_GE(storage::kSchemaVersion, 4);
  ASSERT_TRUE(ws.findDataset("old").has_value());
  const auto id = storage::saveScenario(ws, scenario(7, "upgraded", {}, {1, 0}));
  const auto list = storage::listScenarios(ws, 7);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, id);
  EXPECT_EQ(list[0].history, (std::vector<std::int32_t>{1, 0}));
}

}  // namespace
