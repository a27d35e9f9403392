// The workspace file: creation, schema version, and refusal (without touching the file)
// of anything that is not a workspace this build can use.
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <fstream>
#include <stop_token>
#include <thread>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/workspace.h"
#include "tests/support/workspace_dump.h"

using reco::Error;
using reco::ErrorKind;
using reco::storage::Database;
using reco::storage::Workspace;

namespace {
// Runs f, expecting a reco::Error of `kind` whose message contains `fragment`.
template <class F>
void expectError(F&& f, ErrorKind kind, const char* fragment) {
  try {
    f();
  } catch (const Error& e) {
    QCOMPARE(int(e.kind()), int(kind));
    QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
    return;
  }
  QFAIL("expected a reco::Error");
}
}  // namespace

class TestWorkspace : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  std::string path(const char* name) { return dir_.filePath(name).toStdString(); }

 private slots:
  void createsVersionedWalWorkspace() {
    const auto file = path("new.reco");
    {
      Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
      QCOMPARE(ws.db().queryInt("PRAGMA user_version").value(), std::int64_t(reco::storage::kSchemaVersion));
      QCOMPARE(ws.db().queryInt("PRAGMA application_id").value(), std::int64_t(reco::storage::kApplicationId));
      QCOMPARE(ws.db().queryInt("PRAGMA foreign_keys").value(), std::int64_t(1));
      reco::storage::Statement mode(ws.db(), "PRAGMA journal_mode");
      QVERIFY(mode.step());
      QCOMPARE(QString::fromStdString(mode.columnText(0)), QString("wal"));
      QVERIFY(ws.datasets().empty());
    }
    Workspace again(file, Workspace::OpenMode::OpenExisting);  // reopens without migrating
    QVERIFY(again.datasets().empty());
  }

  void missingFileIsAnErrorWhenOpeningExisting() {
    expectError([&] { Workspace ws(path("absent.reco"), Workspace::OpenMode::OpenExisting); }, ErrorKind::Workspace,
                "does not exist");
    QVERIFY(!QFile::exists(dir_.filePath("absent.reco")));
  }

  void textFileIsRefusedAndLeftUntouched() {
    const auto file = path("notes.txt");
    std::ofstream(file) << "user,item\n1,2\n";
    const auto before = reco::testing::fileBytes(file);
    expectError([&] { Workspace ws(file, Workspace::OpenMode::CreateIfMissing); }, ErrorKind::Workspace,
                "not a Reco workspace");
    QCOMPARE(reco::testing::fileBytes(file), before);
  }

  void otherSqliteDatabaseIsRefusedAndLeftUntouched() {
    const auto file = path("other.db");
    {
      Database db(file, Database::Mode::ReadWriteCreate);
      db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    }
    const auto before = reco::testing::fileBytes(file);
    expectError([&] { Workspace ws(file, Workspace::OpenMode::CreateIfMissing); }, ErrorKind::Workspace,
                "another application");
    QCOMPARE(reco::testing::fileBytes(file), before);
  }

  void newerSchemaIsRefused() {
    const auto file = path("future.reco");
    { Workspace ws(file, Workspace::OpenMode::CreateIfMissing); }
    {
      Database db(file, Database::Mode::ReadWrite);
      db.exec("PRAGMA user_version = 99");
    }
    const auto before = reco::testing::dumpContent(file);
    expectError([&] { Workspace ws(file, Workspace::OpenMode::OpenExisting); }, ErrorKind::Workspace, "newer");
    QCOMPARE(reco::testing::dumpContent(file), before);
  }

  void lockedWorkspaceGivesAClearError() {
    const auto file = path("locked.reco");
    Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
    Database other(file, Database::Mode::ReadWrite, 100);
    other.exec("BEGIN IMMEDIATE");  // another process is writing
    expectError([&] { ws.deleteDataset(1); }, ErrorKind::Workspace, "locked");
    other.exec("ROLLBACK");
  }

  void corruptWorkspaceGivesAClearErrorAndIsNotRewritten() {
    const auto file = path("corrupt.reco");
    {
      Workspace ws(file, Workspace::OpenMode::CreateIfMissing);
      ws.db().exec("CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
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
    QCOMPARE(reco::testing::fileBytes(file), before);
  }

  // A writer waits for another process's lock, reporting as it waits, and a stop ends
  // the wait with the "locked" error instead of hanging.
  void prepareForWritingWaitsAndStops() {
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
    expectError([&] { ws.prepareForWriting([&](double) { ++reports; }, stop.get_token()); }, ErrorKind::Workspace, "locked");
    stopper.join();
    QVERIFY2(reports >= 1, "the wait was never reported");
    other.exec("ROLLBACK");
    ws.prepareForWriting();  // free now: returns at once
  }

  void folderIsRefused() {
    expectError([&] { Workspace ws(dir_.path().toStdString(), Workspace::OpenMode::CreateIfMissing); },
                ErrorKind::Workspace, "folder");
  }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
