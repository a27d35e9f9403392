// `reco tune` as an equal-budget study (issue 18): several models, --budget N|Ns, --search,
// --study, a line per trial and a table per model; --list and --show; Ctrl-C stores nothing;
// bad options fail with exit 2 and a message. The --grid tuning of one model is
// test_cli_runs.cpp's.
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

}  // namespace

class TestCliTuneStudy : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString ws_;
  QStringList in(const QStringList& args) { return QStringList{"--workspace", ws_} + args; }
  void fails(const QStringList& args, const QByteArray& message) {
    const auto before = reco::testing::dumpContent(ws_.toStdString());
    const auto r = run(in(args));
    QVERIFY2(r.exitCode == 2, qPrintable(args.join(' ') + ": exit " + QString::number(r.exitCode)));
    QVERIFY2(r.err.contains(message), r.err.constData());
    QCOMPARE(reco::testing::dumpContent(ws_.toStdString()), before);
  }

 private slots:
  void initTestCase() {
    ws_ = dir_.filePath("tune.reco");
    const QString csv = dir_.filePath("shop.csv");
    QCOMPARE(run({"gen-synthetic", "--users", "250", "--items", "70", "--interactions", "9000",
                  "--seed", "3", "--out", csv})
                 .exitCode,
             0);
    QCOMPARE(run(in({"import", csv, "--name", "shop"})).exitCode, 0);
    QCOMPARE(run(in({"split", "--protocol", "random", "--test", "0.2", "--valid", "0.1", "--name",
                     "sv"}))
                 .exitCode,
             0);
    QCOMPARE(run(in({"split", "--protocol", "random", "--test", "0.2", "--name", "nv"})).exitCode,
             0);
  }

  void studyOverTwoModelsPrintsTrialsAndTable() {
    const auto r = run(in({"tune", "--split", "sv", "--model", "itemknn,ease", "--budget", "3",
                           "--study", "first", "--threads", "2"}));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    for (const char* line :
         {"itemknn trial 1/3", "itemknn trial 3/3", "ease trial 3/3",
          "Study 'first' on split 'sv': smbo search, 3 trials per model", "first-itemknn",
          "first-ease", "lambda=", "Stored study 'first': 6 trials, 2 final runs"})
      QVERIFY2(r.out.contains(line), (QByteArray(line) + " not in:\n" + r.out).constData());
    // The final runs are ordinary runs whose protocol names the study.
    const auto runs = run(in({"runs", "--json"}));
    QCOMPARE(runs.exitCode, 0);
    QCOMPARE(runs.out.count("\"tuning\":{\"study\":\"first\",\"search\":\"smbo\""), 2);

    const auto list = run(in({"tune", "--list"}));
    QCOMPARE(list.exitCode, 0);
    QVERIFY(list.out.contains("first"));
    QVERIFY(list.out.contains("itemknn,ease"));
    const auto show = run(in({"tune", "--show", "first"}));
    QCOMPARE(show.exitCode, 0);
    QVERIFY(show.out.contains("  6 ease"));
    fails({"tune", "--show", "nothing"}, "no study named 'nothing' (studies: first)");
  }

  void gridAndSecondsBudgets() {
    // A grid smaller than the budget is walked through once; --grid picks the grid search.
    const auto grid =
        run(in({"tune", "--split", "sv", "--model", "itemknn,userknn", "--grid", "k=5,20", "--set",
                "similarity=cosine", "--set", "shrink=10", "--budget", "5", "--study", "grid"}));
    QVERIFY2(grid.exitCode == 0, grid.err.constData());
    QVERIFY(grid.out.contains("grid search, 5 trials per model"));
    QVERIFY(grid.out.contains("Stored study 'grid': 4 trials"));
    QVERIFY(!grid.out.contains("trial 3/5"));
    const auto timed = run(in({"tune", "--split", "sv", "--model", "pop,itemknn", "--budget",
                               "0.5s", "--search", "random", "--study", "timed"}));
    QVERIFY2(timed.exitCode == 0, timed.err.constData());
    QVERIFY(timed.out.contains("0.5 s per model"));
    QVERIFY(timed.out.contains("pop trial 1  "));
    QVERIFY(!timed.out.contains("pop trial 2"));  // nothing to tune: one trial
  }

  void theGridTuningOfOneModelStillWorks() {
    const auto r = run(in(
        {"tune", "--split", "sv", "--model", "itemknn", "--grid", "k=5,50", "--name", "knn-grid"}));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("Chosen (*): refitted on train+valid"));
    fails({"tune", "--split", "sv", "--model", "itemknn"},
          "tune expects at least one --grid key=v1,v2,...");
  }

  void badStudiesFailWithAMessage() {
    fails({"tune", "--split", "sv", "--model", "itemknn,ease", "--study", "x"},
          "a tuning study needs --budget N (trials per model) or --budget Ns (seconds)");
    fails({"tune", "--split", "sv", "--model", "itemknn,ease", "--budget", "0"},
          "--budget expects a number of trials (5) or of seconds (90s), found '0'");
    fails({"tune", "--split", "sv", "--model", "itemknn", "--budget", "3", "--search", "best"},
          "--search expects grid, random or smbo, found 'best'");
    fails({"tune", "--split", "sv", "--model", "itemknn,nope", "--budget", "3"},
          "unknown model 'nope'");
    fails({"tune", "--split", "nv", "--model", "itemknn,ease", "--budget", "3"},
          "split 'nv' has no validation part to tune on");
    fails({"tune", "--split", "sv", "--model", "itemknn,ease", "--budget", "3", "--study", "first"},
          "study 'first' exists already");
    fails({"tune", "--split", "sv", "--model", "itemknn,ease", "--budget", "3", "--set",
           "colour=red"},
          "option 'colour' is not an option of any model of the study (itemknn, ease)");
    fails({"tune", "--split", "sv", "--model", "itemknn,ease", "--budget", "3", "--set",
           "als.factors=8"},
          "'als' is not one of the study's models (itemknn, ease)");
    fails({"tune", "--split", "sv", "--model", "itemknn,ease", "--budget", "3", "--folds", "2"},
          "--folds is for --grid tuning of one model");
  }

  void ctrlCStoresNothing() {
    const auto before = reco::testing::dumpContent(ws_.toStdString());
    QProcess p;
    p.start(reco::testing::cliPath(),
            in({"tune", "--split", "sv", "--model", "itemknn,bpr", "--set", "bpr.epochs=100000",
                "--budget", "3", "--study", "endless"}));
    QVERIFY(p.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("itemknn trial 3/3") ||
                                 p.state() != QProcess::Running,
                             30000);
    QTest::qWait(300);  // into bpr's first trial
    QCOMPARE(p.state(), QProcess::Running);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY(p.readAllStandardError().contains("cancelled; nothing was stored"));
    QCOMPARE(reco::testing::dumpContent(ws_.toStdString()), before);
  }
};

QTEST_GUILESS_MAIN(TestCliTuneStudy)
#include "test_cli_tune_study.moc"
