// `reco derive` as a script uses it: the sparse and basket stand-ins of a generated shop,
// the recipe in `reco datasets --json`, the same dataset from the same options, and bad
// options refused with exit 2 and a message that says what was expected and found.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/cli_runner.h"
#include "tests/support/workspace_dump.h"

namespace {

using reco::testing::CliResult;

}  // namespace

class TestCliDerive : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString ws_;

  CliResult run(const QStringList& args) {
    return reco::testing::runCli(QStringList{"--workspace", ws_} + args, 120000);
  }
  QJsonObject derive(const QStringList& args) {
    const CliResult r = run(QStringList{"derive", "--dataset", "shop", "--json"} + args);
    if (r.exitCode != 0) qWarning("%s", r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    ws_ = dir_.filePath("ws.reco");
    const CliResult made = run({"gen-synthetic", "--users", "500", "--items", "300",
                                "--interactions", "10000", "--seed", "3", "--name", "shop"});
    QVERIFY2(made.exitCode == 0, made.err.constData());
  }

  void helpSaysWhatABasketIs() {
    const CliResult r = reco::testing::runCli({"derive", "--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("A basket is a user's lines at one timestamp"));
    QVERIFY(reco::testing::runCli({"--help"}).out.contains("derive"));
  }

  void sparseGivesOneOrTwoLinesPerUserAndTheWholeCatalogue() {
    const QJsonObject d = derive({"--name", "sparse", "--lines-per-user", "1-2", "--seed", "42"});
    QCOMPARE(d["users"].toInt(), 500);
    QCOMPARE(d["dropped_users"].toInt(), 0);
    QCOMPARE(d["items"].toInt(), 300);
    QVERIFY(d["interactions"].toInt() > 500 && d["interactions"].toInt() < 1000);
    QVERIFY(d["items_with_interactions"].toInt() < 300);
    QCOMPARE(d["source"].toString(),
             QStringLiteral("derive --dataset shop --lines-per-user 1-2 --seed 42"));
    const CliResult list = run({"datasets", "--json"});
    bool listed = false;
    for (const auto& entry : QJsonDocument::fromJson(list.out).array()) {
      const QJsonObject o = entry.toObject();
      if (o["name"] == "sparse") {
        listed = true;
        QCOMPARE(o["format"].toString(), QStringLiteral("derived"));
        QCOMPARE(o["source"].toString(), d["source"].toString());
      }
    }
    QVERIFY(listed);
  }

  void basketKeepsAboutTheFractionAndIsReproducible() {
    const QJsonObject d = derive({"--name", "basket", "--basket-fraction", "0.2", "--seed", "7"});
    const int kept = d["interactions"].toInt();
    QVERIFY2(kept > 0.7 * 2000 && kept < 1.3 * 2000, QByteArray::number(kept));
    QCOMPARE(d["items"].toInt(), 300);
    QCOMPARE(d["users"].toInt() + d["dropped_users"].toInt(), 500);
    const QJsonObject again =
        derive({"--name", "basket-again", "--basket-fraction", "0.2", "--seed", "7"});
    QCOMPARE(again["content_hash"].toString(), d["content_hash"].toString());
    QCOMPARE(again["interactions"].toInt(), kept);
  }

  void badOptionsFailWithExpectedAndFound() {
    const QString before = QString::fromUtf8(reco::testing::dumpContent(ws_.toStdString()));
    struct Case {
      QStringList args;
      int exitCode;
      const char* message;
    };
    const Case cases[] = {
        {{"--name", "x"}, 2, "found neither"},
        {{"--name", "x", "--lines-per-user", "2-1"}, 2, "1 <= A <= B, found '2-1'"},
        {{"--name", "x", "--lines-per-user", "0-2"}, 2, "found '0-2'"},
        {{"--name", "x", "--lines-per-user", "one"}, 2, "found 'one'"},
        {{"--name", "x", "--basket-fraction", "0"}, 2, "0 < F <= 1 (e.g. 0.05), found '0'"},
        {{"--name", "x", "--basket-fraction", "5%"}, 2, "found '5%'"},
        {{"--name", "x", "--basket-fraction", "0.5", "--seed", "-1"}, 2, "--seed"},
        {{"--basket-fraction", "0.5"}, 2, "--name"},
        {{"--name", "shop", "--basket-fraction", "0.5"}, 2, "'shop' taken"},
    };
    for (const Case& c : cases) {
      const CliResult r = run(QStringList{"derive", "--dataset", "shop"} + c.args);
      QVERIFY2(
          r.exitCode == c.exitCode,
          (c.args.join(' ') + ": exit " + QString::number(r.exitCode) + ", " + r.err).toUtf8());
      QVERIFY2(r.err.contains(c.message), (c.args.join(' ') + ": " + r.err).toUtf8());
    }
    const CliResult unknown =
        run({"derive", "--dataset", "nope", "--name", "x", "--basket-fraction", "0.5"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("nope"), unknown.err.constData());
    QCOMPARE(QString::fromUtf8(reco::testing::dumpContent(ws_.toStdString())), before);
  }
};

QTEST_GUILESS_MAIN(TestCliDerive)
#include "test_cli_derive.moc"
