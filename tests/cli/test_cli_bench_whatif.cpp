// `reco bench whatif` (slow: it imports MovieLens-100K and fits models): one row per model
// with its method, median and 95th-percentile milliseconds and PASS or FAIL against the
// goal, on MovieLens-100K (20 ms) and on a generated catalogue (100 ms), where EASE and the
// models without fold-in are named as left out.
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include "tests/support/cli_runner.h"

using reco::testing::runCli;

class TestCliBenchWhatIf : public QObject {
  Q_OBJECT

 private slots:
  void printsOneRowPerModelAgainstTheGoals() {
    const QString movielens = QString(RECO_SHARED_DIR "/datasets/movielens-100k");
    if (!QFile::exists(movielens + "/u.data"))
      QSKIP("../shared/datasets/movielens-100k is absent: the benchmark needs it");
    const auto out =
        runCli({"bench", "whatif", "--movielens", movielens, "--models", "pop,itemknn,ease,bpr",
                "--edits", "8", "--users", "300", "--items", "25000", "--interactions", "6000"});
    QVERIFY2(out.exitCode == 0, out.err.constData());
    const QString text = QString::fromUtf8(out.out);
    const QStringList sections = text.split("A generated shop");
    QCOMPARE(sections.size(), 2);
    // A row: model, method, median, p95, the goal, PASS or FAIL.
    const auto row = [](const QString& model, const QString& method, int goal) {
      return QRegularExpression("\\n  " + model + " +" + method +
                                " +[0-9]+\\.[0-9]{2} +[0-9]+\\.[0-9]{2} +< +" +
                                QString::number(goal) + " ms  (PASS|FAIL)\\n");
    };
    for (const char* model : {"pop", "itemknn", "ease"})
      QVERIFY2(sections[0].contains(row(model, "fold-in", 20)), qPrintable(text));
    QVERIFY2(sections[0].contains(row("bpr", "cannot fold in", 20)), qPrintable(text));
    for (const char* model : {"pop", "itemknn"})
      QVERIFY2(sections[1].contains(row(model, "fold-in", 100)), qPrintable(text));
    QVERIFY(sections[1].contains(QRegularExpression("\\n  ease +n/a: EASE holds")));
    QVERIFY(sections[1].contains(QRegularExpression("\\n  bpr +n/a: cannot fold")));
    QVERIFY(text.contains("8 edits"));
  }
};

QTEST_GUILESS_MAIN(TestCliBenchWhatIf)
#include "test_cli_bench_whatif.moc"
