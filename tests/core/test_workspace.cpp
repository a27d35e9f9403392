// The workspace file: creation, schema version, and refusal (without touching the file)
// of anything that is not a workspace this build can use.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stop_token>
#include <string>
#include <thread>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"
#include "tests/support/workspace_dump.h"

namespace {

using reco::Error;
using reco::ErrorKind;
using reco::storage::Database;
using reco::storage::Workspace;

// Runs f, expecting a reco::Error of `kind` whose message contains `fragment`.
template <class F>
void expectError(F&& f, ErrorKind kind, const char* fragment) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(int(e.kind()), int(kind)) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    return;
  }
  ADD_FAILURE() << "expected a reco::Error saying \"" << fragment << "\"";
}

/// Each test has a fresh folder of its own for its files.
class WorkspaceFile : public ::testing::Test {
 protected:
  std::string path(const char* name) const { return dir_.file(name); }

  reco::testing::TempDir dir_;
};
TEST_F(WorkspaceFile, CreatesVersionedWalWorkspace) {
  const auto file = path("new.reco");
  {
    Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
    EXPECT_EQ(ws.db().queryInt("PRAGMA user_version").value(),
              std::int64_t(reco::storage::kSchemaVersion));
    EXPECT_EQ(ws.db().queryInt("PRAGMA application_id").value(),
              std::int64_t(reco::storage::kApplicationId));
    EXPECT_EQ(ws.db().queryInt("PRAGMA foreign_keys").value(), 1);
    reco::storage::Statement mode(ws.db(), "PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.columnText(0), "wal");
    EXPECT_TRUE(ws.datasets().empty());
  }
  Workspace again(file, Workspace::OpenMode::OpenExisting);  // reopens without migrating
  EXPECT_TRUE(again.datasets().empty());
}

TEST_F(WorkspaceFile, MissingFileIsAnErrorWhenOpeningExisting) {
  expectError([&] { Workspace ws(path("absent.reco"), Workspace::OpenMode::OpenExisting); },
              ErrorKind::Workspace, "does not exist");
  EXPECT_FALSE(std::filesystem::exists(path("absent.reco")));
}

TEST_F(WorkspaceFile, TextFileIsRefusedAndLeftUntouched) {
  const auto file = path("notes.txt");
  std::ofstream(file) << "user,item\n1,2\n";
  const auto before = reco::testing::fileBytes(file);
  expectError([&] { Workspace ws(file, Workspace::OpenMode::CreateIfMissing); },
              ErrorKind::Workspace, "not a Reco workspace");
  EXPECT_EQ(reco::testing::fileBytes(file), before);
}

TEST_F(WorkspaceFile, OtherSqliteDatabaseIsRefusedAndLeftUntouched) {
  const auto file = path("other.db");
  {
    Database db(file, Database::Mode::ReadWriteCreate);
    db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  }
  const auto before = reco::testing::fileBytes(file);
  expectError([&] { Workspace ws(file, Workspace::OpenMode::CreateIfMissing); },
              ErrorKind::Workspace, "another application");
  EXPECT_EQ(reco::testing::fileBytes(file), before);
}

TEST_F(WorkspaceFile, NewerSchemaIsRefused) {
  const auto file = path("future.reco");
  { Workspace ws(file, Workspace::OpenMode::CreateIfMissing); }
  {
    Database db(file, Database::Mode::ReadWrite);
    db.exec("PRAGMA user_version = 99");
  }
  const auto before = reco::testing::dumpContent(file);
  expectError([&] { Workspace ws(file, Workspace::OpenMode::OpenExisting); }, ErrorKind::Workspace,
              "newer");
  EXPECT_EQ(reco::testing::dumpContent(file), before);
}

TEST_F(WorkspaceFile, LockedWorkspaceGivesAClearError) {
  const auto file = path("locked.reco");
  Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
  Database other(file, Database::Mode::ReadWrite, 100);
  other.exec("BEGIN IMMEDIATE");  // another process is writing
  reco::DatasetInfo shown;
  shown.id = 1;
  shown.name = "d";
  expectError([&] { ws.deleteDataset(shown); }, ErrorKind::Workspace, "locked");
  other.exec("ROLLBACK");
}

TEST_F(WorkspaceFile, CorruptWorkspaceGivesAClearErrorAndIsNotRewritten) {
  const auto file = path("corrupt.reco");
  {
    Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
    ws.db().exec(
        "CREATE TABLE filler(x); "
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
        "INSERT INTO filler SELECT randomblob(100) FROM n");
  }
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);  // every page after the first: garbage
    const std::string garbage(4096 * 8, '\xA5');
    f.write(garbage.data(), std::streamsize(garbage.size()));
  }
  const auto before = reco::testing::fileBytes(file);
  expectError(
      [&] {
        Workspace ws(file, Workspace::OpenMode::OpenExisting);
        ws.datasets();
      },
      ErrorKind::Workspace, "corrupt");
  EXPECT_EQ(reco::testing::fileBytes(file), before);
}

// A writer waits for another process's lock, reporting as it waits, and a stop ends
// the wait with the "locked" error instead of hanging.
TEST_F(WorkspaceFile, PrepareForWritingWaitsAndStops) {
  const auto file = path("waiting.reco");
  Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
  Database other(file, Database::Mode::ReadWrite, 100);
  other.exec("BEGIN IMMEDIATE");
  std::stop_source stop;
  int reports = 0;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    stop.request_stop();
  });
  expectError([&] { ws.prepareForWriting([&](double) { ++reports; }, stop.get_token()); },
              ErrorKind::Workspace, "locked");
  stopper.join();
  EXPECT_GE(reports, 1) << "the wait was never reported";
  other.exec("ROLLBACK");
  ws.prepareForWriting();  // free now: returns at once
}

TEST_F(WorkspaceFile, FolderIsRefused) {
  expectError([&] { Workspace ws(dir_.path().string(), Workspace::OpenMode::CreateIfMissing); },
              ErrorKind::Workspace, "folder");
}

}  // namespace
