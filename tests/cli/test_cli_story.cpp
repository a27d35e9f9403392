// reco story: the demo story on a trained split "demo-holdout", then list (text and --json),
// move, rename and delete by step, and the refusals (a step out of range, a kind the store
// does not know, a state that is not a JSON object, a second demo over a story).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/cli_runner.h"

namespace {

reco::testing::CliResult run(const QStringList& args) {
  return reco::testing::runCli(args);
}

}  // namespace

class TestCliStory : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString ws_;
  QStringList in(const QStringList& args) { return QStringList{"--workspace", ws_} + args; }
  QStringList titles() {
    const auto r = run(in({"story", "list", "--json"}));
    if (r.exitCode != 0) return {QStringLiteral("exit %1").arg(r.exitCode)};
    QStringList out;
    for (const auto& step : QJsonDocument::fromJson(r.out).array())
      out << step.toObject()["title"].toString();
    return out;
  }

 private slots:
  void initTestCase() {
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run through ctest)");
    ws_ = dir_.filePath("story.reco");
    QCOMPARE(run(in({"gen-synthetic", "--users", "200", "--items", "60", "--interactions", "5000",
                     "--seed", "3", "--name", "shop"}))
                 .exitCode,
             0);
    QCOMPARE(run(in({"split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
                     "--seed", "42", "--name", "demo-holdout"}))
                 .exitCode,
             0);
  }

  void demoStoryFollowsTheRuns() {
    // No finished runs yet: nothing to show, and it says so.
    QCOMPARE(run(in({"story", "demo"})).exitCode, 2);
    QCOMPARE(run(in({"train", "--dataset", "shop", "--split", "demo-holdout", "--model",
                     "pop,itemknn", "--threads", "1"}))
                 .exitCode,
             0);
    const auto demo = run(in({"story", "demo"}));
    QCOMPARE(demo.exitCode, 0);
    QVERIFY(demo.out.contains("4 steps"));
    const auto list = run(in({"story", "list", "--json"}));
    QCOMPARE(list.exitCode, 0);
    const QJsonArray steps = QJsonDocument::fromJson(list.out).array();
    QCOMPARE(steps.size(), 4);
    QCOMPARE(steps[0].toObject()["kind"].toString(), QStringLiteral("compare"));
    QCOMPARE(steps[0].toObject()["title"].toString(), QStringLiteral("Compare · ndcg@10 · 2 runs"));
    QCOMPARE(steps[0].toObject()["state"].toObject()["k"].toInt(), 10);
    QCOMPARE(steps[1].toObject()["kind"].toString(), QStringLiteral("user"));
    QCOMPARE(steps[2].toObject()["kind"].toString(), QStringLiteral("user"));
    QCOMPARE(steps[3].toObject()["kind"].toString(), QStringLiteral("item"));
    QCOMPARE(steps[3].toObject()["state"].toObject()["tab"].toString(), QStringLiteral("nearest"));
    for (int i = 0; i < 4; ++i) QCOMPARE(steps[i].toObject()["step"].toInt(), i + 1);
    // A second demo leaves the story alone.
    QCOMPARE(run(in({"story", "demo"})).exitCode, 0);
    QCOMPARE(titles().size(), 4);
  }

  void movesRenamesAndDeletesBySteps() {
    const QStringList before = titles();
    QCOMPARE(before.size(), 4);
    QCOMPARE(run(in({"story", "move", "--step", "4", "--to", "1"})).exitCode, 0);
    QCOMPARE(titles(), (QStringList{before[3], before[0], before[1], before[2]}));
    QCOMPARE(run(in({"story", "rename", "--step", "2", "--title", "Where we stand"})).exitCode, 0);
    QCOMPARE(run(in({"story", "delete", "--step", "3"})).exitCode, 0);
    QCOMPARE(titles(), (QStringList{before[3], QStringLiteral("Where we stand"), before[2]}));
    QCOMPARE(run(in({"story", "add", "--kind", "user", "--title", "Someone", "--state",
                     "{\"dataset\":\"shop\",\"user\":\"u1\"}"}))
                 .exitCode,
             0);
    QCOMPARE(titles().last(), QStringLiteral("Someone"));
    const auto text = run(in({"story", "list"}));
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains("Where we stand"));
  }

  void refusesWhatIsNotThere() {
    const QStringList before = titles();
    const auto far = run(in({"story", "delete", "--step", "9"}));
    QCOMPARE(far.exitCode, 2);
    QVERIFY2(far.err.contains("expected a step from 1 to"), far.err.constData());
    QCOMPARE(run(in({"story", "move", "--step", "x", "--to", "1"})).exitCode, 2);
    const auto kind = run(in({"story", "add", "--kind", "chart", "--title", "x", "--state", "{}"}));
    QVERIFY(kind.exitCode != 0);
    QVERIFY2(kind.err.contains("expected compare, user or item"), kind.err.constData());
    const auto state =
        run(in({"story", "add", "--kind", "item", "--title", "x", "--state", "[1]"}));
    QVERIFY(state.exitCode != 0);
    QVERIFY2(state.err.contains("not a JSON object"), state.err.constData());
    QCOMPARE(run(in({"story", "shuffle"})).exitCode, 2);
    QCOMPARE(titles(), before);  // nothing changed
  }
};

QTEST_MAIN(TestCliStory)
#include "test_cli_story.moc"
