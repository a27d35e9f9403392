// A workspace that a command creates (import, gen-synthetic --name) appears only complete
// and never costs another process its work (app/cli/new_workspace.h):
// - a first import that fails while another process fills the same new workspace leaves
//   that process's dataset in place (it used to remove the file it had created);
// - a first import that succeeds after another process created the file refuses to replace
//   it, exits 4, and says where its own new workspace is;
// - names SQLite would read as something other than a file (":memory:", "file:...?mode=
//   memory") are files of that name, so that nothing is "imported" into memory and lost;
// - a workspace's -wal, -shm or -journal is refused as a workspace (SQLite would reset it).
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "tests/support/cli_runner.h"
#include "tests/support/workspace_dump.h"

namespace {

using reco::testing::CliResult;
using reco::testing::runCli;

const QStringList kTinyShop = {"--users",        "300",  "--items", "100",
                               "--interactions", "3000", "--seed",  "2"};

/// `reco` in `folder`, with the given arguments.
CliResult runIn(const QString& folder, const QStringList& args) {
  QProcess p;
  p.setWorkingDirectory(folder);
  p.start(reco::testing::cliPath(), args);
  p.waitForFinished(120000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

/// The files in `folder`, hidden ones too.
QStringList filesIn(const QString& folder) {
  return QDir(folder).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

}  // namespace

class TestCliNewWorkspace : public QObject {
  Q_OBJECT

  QString path(const QString& name) const { return dir_.filePath(name); }

  /// `reco --workspace WS import -` started now, reading what the test writes to its stdin.
  void startImportFromStdin(QProcess& p, const QString& ws) {
    p.start(reco::testing::cliPath(),
            {"--workspace", ws, "import", "-", "--format", "ratings-csv", "--name", "piped"});
    QVERIFY(p.waitForStarted());
    // The command has created its new workspace once its -wal shows: wait for that, so that
    // the second process below really meets a workspace being made.
    const auto madeOne = [this] {
      const QStringList files = filesIn(dir_.path());
      return std::any_of(files.begin(), files.end(), [](const QString& f) {
        return f.startsWith(QLatin1Char('.')) && f.endsWith(QLatin1String("-wal"));
      });
    };
    QTRY_VERIFY_WITH_TIMEOUT(madeOne(), 30000);
  }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void aFailedFirstImportLeavesAnotherProcesssWorkspace() {
    const QString ws = path("race.reco");
    QProcess first;
    startImportFromStdin(first, ws);
    QVERIFY(!QFileInfo::exists(ws));  // made under a hidden name
    const CliResult second = runCli(QStringList{"--workspace", ws, "gen-synthetic"} + kTinyShop +
                                    QStringList{"--name", "other"});
    QCOMPARE(second.exitCode, 0);
    static constexpr char kBadData[] = "user,item,rating\n\x01\x02\x00garbage\n";
    first.write(kBadData, sizeof kBadData - 1);  // the NUL inside is part of the bad data
    first.closeWriteChannel();
    QVERIFY(first.waitForFinished(60000));
    QCOMPARE(first.exitCode(), 3);  // the bad data
    const std::string content = reco::testing::dumpContent(ws.toStdString());
    QVERIFY2(content.find("|other|") != std::string::npos, content.c_str());
    QVERIFY2(filesIn(dir_.path()).filter(QStringLiteral(".race.reco.new-")).isEmpty(),
             qPrintable(filesIn(dir_.path()).join(' ')));
  }

  void aLaterFirstImportNeverReplacesAnotherProcesssWorkspace() {
    const QString ws = path("late.reco");
    QProcess first;
    startImportFromStdin(first, ws);
    QCOMPARE(runCli(QStringList{"--workspace", ws, "gen-synthetic"} + kTinyShop +
                    QStringList{"--name", "other"})
                 .exitCode,
             0);
    const std::string before = reco::testing::dumpContent(ws.toStdString());
    first.write("user,item,rating\nu1,i1,5\nu2,i1,3\nu2,i2,4\n");
    first.closeWriteChannel();
    QVERIFY(first.waitForFinished(60000));
    const QByteArray err = first.readAllStandardError();
    QCOMPARE(first.exitCode(), 4);
    QVERIFY2(err.contains("was created by another process while this command ran"), err);
    QCOMPARE(reco::testing::dumpContent(ws.toStdString()), before);
    // The piped dataset is in the hidden workspace the message names, whole.
    const QStringList hidden = filesIn(dir_.path()).filter(QStringLiteral(".late.reco.new-"));
    QCOMPARE(hidden.size(), 1);
    QVERIFY2(err.contains(hidden.front().toUtf8()), err);
    const CliResult listed = runCli({"--workspace", path(hidden.front()), "datasets"});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.out.contains("piped"), listed.out);
  }

  void namesSqliteWouldNotReadAsFilesAreFiles() {
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    for (const QString& name :
         {QStringLiteral(":memory:"), QStringLiteral("file:u.reco?mode=memory")}) {
      const CliResult made =
          runIn(folder.path(), QStringList{"--workspace", name, "gen-synthetic"} + kTinyShop +
                                   QStringList{"--name", "kept"});
      QVERIFY2(made.exitCode == 0, made.err);
      QVERIFY2(QFileInfo(folder.path() + QLatin1Char('/') + name).isFile(),
               qPrintable(filesIn(folder.path()).join(' ')));
      const CliResult listed = runIn(folder.path(), {"--workspace", name, "datasets"});
      QVERIFY2(listed.exitCode == 0 && listed.out.contains("kept"), listed.out + listed.err);
    }
  }

  void aWorkspacesCompanionFilesAreNotWorkspaces() {
    const QString ws = path("companion.reco");
    QCOMPARE(runCli(QStringList{"--workspace", ws, "gen-synthetic"} + kTinyShop +
                    QStringList{"--name", "d"})
                 .exitCode,
             0);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
      const QString companion = ws + suffix;
      QFile::remove(companion);
      QFile empty(companion);
      QVERIFY(empty.open(QIODevice::WriteOnly));  // as SQLite leaves it: empty
      empty.close();
      const CliResult r = runCli(QStringList{"--workspace", companion, "gen-synthetic"} +
                                 kTinyShop + QStringList{"--name", "lost"});
      QVERIFY2(r.exitCode == 4, r.err);
      QVERIFY2(r.err.contains("open " + ws.toUtf8() + " instead"), r.err);
      QCOMPARE(QFileInfo(companion).size(), 0);
      QFile::remove(companion);
    }
    QVERIFY(!reco::testing::dumpContent(ws.toStdString()).empty());
  }

 private:
  QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestCliNewWorkspace)
#include "test_cli_new_workspace.moc"
