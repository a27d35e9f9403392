// The `reco` command line as scripts use it: exit codes, --json shapes, the real
// datasets' counts, and Ctrl-C leaving the workspace as it was.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

#include "tests/support/cli_runner.h"
#include "tests/support/workspace_dump.h"

namespace {

using Result = reco::testing::CliResult;
Result run(const QStringList& args) {
  return reco::testing::runCli(args);
}
QString cli() {
  return reco::testing::cliPath();
}

QString shared(const char* relative) {
  return QString(RECO_SHARED_DIR "/") + relative;
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString ws(const char* name) { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(cli()), "RECO_CLI must point at the reco executable");
  }

  void helpListsEveryCommand() {
    const auto r = run({"--help"});
    QCOMPARE(r.exitCode, 0);
    for (const char* command : {"import", "datasets", "stats", "gen-synthetic", "bench"})
      QVERIFY2(r.out.contains(command), command);
    const auto importHelp = run({"import", "--help"});
    QCOMPARE(importHelp.exitCode, 0);
    QVERIFY(importHelp.out.contains("--min-user-interactions"));
  }

  void exitCodesFollowTheContract() {
    QCOMPARE(run({"frobnicate"}).exitCode, 2);                           // unknown command
    QCOMPARE(run({"--workspace", ws("a.reco"), "import"}).exitCode, 2);  // missing PATH
    QCOMPARE(run({"--workspace", ws("a.reco"), "import", "x.csv", "--format", "xml"}).exitCode, 2);
    const auto missing = run({"--workspace", ws("a.reco"), "import", dir_.filePath("nope.csv")});
    QCOMPARE(missing.exitCode, 3);
    QVERIFY2(missing.err.contains("nope.csv"), missing.err.constData());
    QVERIFY2(!QFile::exists(ws("a.reco")), "a failed first import must leave no workspace behind");
    QFile text(dir_.filePath("notes.txt"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("hello\n");
    text.close();
    const auto notWorkspace = run({"--workspace", dir_.filePath("notes.txt"), "datasets"});
    QCOMPARE(notWorkspace.exitCode, 4);
    QVERIFY(notWorkspace.err.contains("not a Reco workspace"));
    QCOMPARE(run({"--workspace", ws("absent.reco"), "stats"}).exitCode, 4);
  }

  void importsAFileAndReportsStats() {
    const QString csv = dir_.filePath("ratings.csv");
    QFile f(csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        "user,item,rating,timestamp\n1,10,5,1000\n1,11,3,2000\n2,10,4,3000\n2,12,x,4000\n3,10,1,"
        "5000\n");
    f.close();
    const auto imported = run({"--workspace", ws("small.reco"), "import", csv, "--json"});
    QCOMPARE(imported.exitCode, 0);
    const auto report = QJsonDocument::fromJson(imported.out).object();
    QCOMPARE(report["interactions"].toInt(), 4);
    QCOMPARE(report["rows_read"].toInt(), 5);
    QCOMPARE(report["rejected"].toArray().size(), 1);
    const auto stats = run({"--workspace", ws("small.reco"), "stats", "--json"});
    QCOMPARE(stats.exitCode, 0);
    const auto o = QJsonDocument::fromJson(stats.out).object();
    QCOMPARE(o["users"].toInt(), 3);
    QCOMPARE(o["items"].toInt(), 2);  // item 12 only appears on the rejected row
    QCOMPARE(o["interactions"].toInt(), 4);
    QCOMPARE(o["per_user"].toObject()["max"].toDouble(), 2.0);
    QVERIFY(o.contains("density") && o.contains("first_time") && o.contains("categories"));
    const auto list = run({"--workspace", ws("small.reco"), "datasets", "--json"});
    QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 1);
  }

  void realDatasetsGiveTheirKnownCounts() {
    if (!QFile::exists(shared("datasets/movielens-100k/u.data")))
      QSKIP("../shared/datasets is absent: real-data counts not checked");
    const auto ml = run(
        {"--workspace", ws("real.reco"), "import", shared("datasets/movielens-100k"), "--json"});
    QCOMPARE(ml.exitCode, 0);
    const auto mlo = QJsonDocument::fromJson(ml.out).object();
    QCOMPARE(mlo["users"].toInt(), 943);
    QCOMPARE(mlo["items"].toInt(), 1682);
    QCOMPARE(mlo["interactions"].toInt(), 100000);
    // Online Retail under the README's rules. Derived independently with Python's csv
    // module: customer present, invoice not 'C', quantity > 0, upper-cased stock code
    // matching ^[0-9]{5}[A-Z]*$, unit price > 0 -> 396,337 rows, 4,334 customers,
    // 3,659 products, 266,221 distinct customer-product pairs.
    const QString retail = shared("datasets/uci-online-retail/online_retail.csv");
    const auto r = run({"--workspace", ws("real.reco"), "import", retail, "--json"});
    QCOMPARE(r.exitCode, 0);
    const auto ro = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(ro["format"].toString(), QString("online-retail"));
    QCOMPARE(ro["rows_read"].toInt(), 541909);
    QCOMPARE(ro["interactions"].toInt(), 396337);
    QCOMPARE(ro["users"].toInt(), 4334);
    QCOMPARE(ro["items"].toInt(), 3659);
    const auto pairs = run({"--workspace", ws("real.reco"), "import", retail, "--duplicates", "sum",
                            "--name", "pairs", "--json"});
    QCOMPARE(pairs.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(pairs.out).object()["interactions"].toInt(), 266221);
  }

  void ctrlCLeavesTheWorkspaceAsItWas() {
    // A file big enough that the import is still running when the signal comes.
    const QString csv = dir_.filePath("big.csv");
    const auto gen = run({"gen-synthetic", "--users", "50000", "--items", "2000", "--interactions",
                          "2000000", "--seed", "3", "--out", csv});
    QCOMPARE(gen.exitCode, 0);
    const QString workspace = ws("cancel.reco");
    const QString small = dir_.filePath("small-before.csv");
    QFile f(small);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("user,item,rating\n1,10,5\n2,11,3\n");
    f.close();
    QCOMPARE(run({"--workspace", workspace, "import", small, "--name", "before"}).exitCode, 0);
    const auto before = reco::testing::dumpContent(workspace.toStdString());
    QProcess p;
    p.start(cli(),
            {"--workspace", workspace, "import", csv, "--items", dir_.filePath("big.items.csv")});
    QVERIFY(p.waitForStarted());
    // The signal must come once reco handles it (it blocks SIGINT first thing in main): a
    // slow start (an ASan build on a loaded machine) would otherwise be killed by it, which
    // QProcess reports as exit code 2 (the signal's number). /proc tells when it is blocked.
    const QString status = QStringLiteral("/proc/%1/status").arg(p.processId());
    const auto blocksSigint = [&] {
      QFile file(status);
      if (!file.open(QIODevice::ReadOnly)) return false;
      for (const QByteArray& line : file.readAll().split('\n'))
        if (line.startsWith("SigBlk:"))
          return ((line.mid(7).trimmed().toULongLong(nullptr, 16) >> (SIGINT - 1)) & 1u) != 0;
      return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(blocksSigint(), 20000);
    QTest::qWait(400);  // and the import is under way
    QCOMPARE(p.state(), QProcess::Running);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY(p.readAllStandardError().contains("left as it was"));
    QCOMPARE(reco::testing::dumpContent(workspace.toStdString()), before);
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
