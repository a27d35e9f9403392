// The experiment flow on the command line: split, train (several models), compare with
// --json/--csv, recommend/similar/explain/export by external ids, eval, delete, Ctrl-C.
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

int ndcgUsers(const QJsonObject& row) {
  return row["metrics"].toObject()["ndcg@10"].toObject()["n"].toInt();
}

}  // namespace

class TestCliRuns : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString ws_;
  QStringList in(QStringList args) { return QStringList{"--workspace", ws_} + args; }

 private slots:
  void initTestCase() {
    ws_ = dir_.filePath("runs.reco");
    const QString csv = dir_.filePath("shop.csv");
    QCOMPARE(run({"gen-synthetic", "--users", "300", "--items", "80", "--interactions", "12000",
                  "--seed", "5", "--out", csv})
                 .exitCode,
             0);
    QCOMPARE(run(in({"import", csv, "--name", "shop"})).exitCode, 0);
  }

  void splitStoresAndExports() {
    const auto r = run(in({"split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
                           "--seed", "42", "--export", dir_.filePath("exported")}));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(dir_.filePath("exported/train.tsv")));
    QVERIFY(QFile::exists(dir_.filePath("exported/test.tsv")));
    QCOMPARE(run(in({"split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
                     "--seed", "42"}))
                 .exitCode,
             2);  // name taken
    QCOMPARE(run(in({"split", "--protocol", "random", "--test", "2", "--seed", "1"})).exitCode,
             2);  // not a fraction
    const auto list = run(in({"split", "--list", "--json"}));
    QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 1);
  }

  void trainsSeveralModelsAndCompares() {
    const auto r = run(in({"train", "--split", "random-42", "--model", "pop,itemknn,als", "--set",
                           "itemknn.k=20", "--set", "iterations=5", "--threads", "2"}));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(run(in({"train", "--split", "random-42", "--model", "pop", "--set", "nonsense=1"}))
                 .exitCode,
             2);
    QCOMPARE(run(in({"train", "--split", "random-42", "--model", "nosuchmodel"})).exitCode, 2);

    const auto json = run(
        in({"compare", "--runs", "pop,itemknn,als", "--k", "10", "--baseline", "pop", "--json"}));
    QCOMPARE(json.exitCode, 0);
    const auto rows = QJsonDocument::fromJson(json.out).array();
    QCOMPARE(rows.size(), 3);
    for (const auto& row : rows) {
      const auto o = row.toObject();
      QVERIFY(o.contains("run") && o.contains("model") && o.contains("train_seconds"));
      const auto metrics = o["metrics"].toObject();
      for (const char* name : {"ndcg@10", "recall@10", "precision@10", "hit@10", "coverage@10"}) {
        QVERIFY2(metrics.contains(name), name);
        const auto m = metrics[name].toObject();
        QVERIFY(m.contains("mean") && m.contains("ci_low") && m.contains("ci_high"));
      }
      const auto ndcg = metrics["ndcg@10"].toObject();
      QVERIFY(ndcg["ci_low"].toDouble() <= ndcg["mean"].toDouble() &&
              ndcg["mean"].toDouble() <= ndcg["ci_high"].toDouble());
    }
    // Collaborative models beat popularity on a shop with category tastes.
    QVERIFY(rows[1].toObject()["metrics"].toObject()["ndcg@10"].toObject()["mean"].toDouble() >
            rows[0].toObject()["metrics"].toObject()["ndcg@10"].toObject()["mean"].toDouble());
    QVERIFY(rows[1].toObject()["significance"].toObject().contains("ndcg@10"));
    // Head/tail recall is stored per user with every run; pop recommends only popular items.
    const auto popMetrics = rows[0].toObject()["metrics"].toObject();
    QVERIFY(popMetrics.contains("recall_head@10") && popMetrics.contains("recall_tail@10"));
    QVERIFY(popMetrics["recall_head@10"].toObject()["mean"].toDouble() >
            popMetrics["recall_tail@10"].toObject()["mean"].toDouble());
    const auto seg = run(in({"compare", "--runs", "pop,itemknn", "--segments", "--json"}));
    QCOMPARE(seg.exitCode, 0);
    const auto segments =
        QJsonDocument::fromJson(seg.out).array()[0].toObject()["segments"].toObject();
    QVERIFY(segments.size() >= 2);
    int users = 0;
    for (auto it = segments.begin(); it != segments.end(); ++it)
      if (it.key().startsWith("activity")) users += it.value().toObject()["n"].toInt();
    QCOMPARE(users,
             ndcgUsers(rows[0].toObject()));  // activity quartiles cover every evaluated user once
    const auto csv = run(in({"compare", "--runs", "pop,als", "--csv"}));
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith("run,model,train_seconds,metric,mean,ci_low,ci_high"));
    const auto table = run(in({"compare", "--runs", "pop,itemknn,als"}));
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains("ndcg@10"));
  }

  void inspectsARunByExternalIds() {
    const auto rec =
        run(in({"recommend", "--run", "itemknn", "--user", "U00001", "-n", "7", "--json"}));
    QVERIFY2(rec.exitCode == 0, rec.err.constData());
    const auto items = QJsonDocument::fromJson(rec.out).object()["items"].toArray();
    QCOMPARE(items.size(), 7);
    QVERIFY(!items[0].toObject()["title"].toString().isEmpty());
    QVERIFY(!items[0].toObject()["reason"].toString().isEmpty());
    QVERIFY(items[0].toObject()["score"].toDouble() >= items[6].toObject()["score"].toDouble());
    QCOMPARE(run(in({"recommend", "--run", "itemknn", "--user", "nobody"})).exitCode, 2);
    const auto sim = run(in({"similar", "--run", "als", "--item", "P0001", "-n", "5", "--json"}));
    QCOMPARE(sim.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(sim.out).object()["similar"].toArray().size(), 5);
    const auto why = run(in({"explain", "--run", "itemknn", "--user", "U00001", "--item",
                             items[0].toObject()["item"].toString()}));
    QCOMPARE(why.exitCode, 0);
    QVERIFY(why.out.contains("score"));
    const QString out = dir_.filePath("lists.csv");
    QCOMPARE(run(in({"export", "--run", "als", "--out", out})).exitCode, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readLine().startsWith("user,rank,item,score"));
    // `shown` is the reverse of the exported lists: the same users, at the same ranks, for the
    // item first in the first exported list (so the audience is never empty).
    QList<QStringList> rows;
    while (!f.atEnd()) rows.append(QString::fromUtf8(f.readLine()).trimmed().split(','));
    QVERIFY(!rows.isEmpty() && rows.front().size() >= 3);
    const QString probe = rows.front()[2];
    QMap<QString, int> exportedRanks;  // user -> rank of the probe item
    for (const QStringList& fields : rows)
      if (fields.size() >= 3 && fields[2] == probe) exportedRanks[fields[0]] = fields[1].toInt();
    const auto shown = run(in({"shown", "--run", "als", "--item", probe, "--json"}));
    QVERIFY2(shown.exitCode == 0, shown.err.constData());
    const auto audience = QJsonDocument::fromJson(shown.out).object();
    QVERIFY(!exportedRanks.isEmpty());
    QCOMPARE(audience["shown_to"].toInt(), int(exportedRanks.size()));
    QMap<QString, int> shownRanks;
    for (const auto& user : audience["users"].toArray())
      shownRanks[user.toObject()["user"].toString()] = user.toObject()["rank"].toInt();
    QCOMPARE(shownRanks, exportedRanks);
    QVERIFY(audience["listed_users"].toInt() >= audience["shown_to"].toInt());
    QCOMPARE(run(in({"shown", "--run", "als", "--item", "nothing"})).exitCode, 2);
  }

  void evalReplacesMetricsAndDeleteRemovesEverything() {
    QCOMPARE(run(in({"eval", "--run", "pop", "--k", "3", "--sampled", "50"})).exitCode, 0);
    const auto json = run(in({"compare", "--runs", "pop", "--k", "3", "--json"}));
    const auto metrics =
        QJsonDocument::fromJson(json.out).array()[0].toObject()["metrics"].toObject();
    QVERIFY(metrics.contains("ndcg@3"));
    QVERIFY(metrics.contains("sampled_ndcg@3"));
    QVERIFY(metrics["sampled_ndcg@3"].toObject()["sampled"].toBool());
    // The run's own cut-offs stay: --k 3 adds 3, it does not drop 10 (nor cut the lists).
    const auto atTen = run(in({"compare", "--runs", "pop", "--k", "10", "--json"}));
    QVERIFY2(
        QJsonDocument::fromJson(atTen.out).array()[0].toObject()["metrics"].toObject().contains(
            "ndcg@10"),
        atTen.out);
    QCOMPARE(run(in({"runs", "--delete", "pop"})).exitCode, 0);
    QCOMPARE(run(in({"compare", "--runs", "pop"})).exitCode, 2);
    reco::storage::Database db(ws_.toStdString(), reco::storage::Database::Mode::ReadOnly);
    for (const char* table :
         {"run_metrics", "run_user_values", "run_recommendations", "run_models", "run_epochs"}) {
      const auto left = db.queryInt(std::string("SELECT count(*) FROM ") + table +
                                    " WHERE run_id NOT IN (SELECT id FROM runs)");
      QCOMPARE(left.value(), std::int64_t(0));
    }
  }

  void validatesEpochsAndTunesOnTheValidationPart() {
    QCOMPARE(run(in({"split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
                     "--valid", "0.15", "--seed", "42", "--name", "tv"}))
                 .exitCode,
             0);
    // Per-epoch validation with early stopping: each epoch's value is stored and printed.
    const auto bpr = run(in({"train", "--split", "tv", "--model", "bpr", "--set", "epochs=6",
                             "--validate", "ndcg@10", "--patience", "2", "--name", "bpr-valid"}));
    QVERIFY2(bpr.exitCode == 0, bpr.err.constData());
    QVERIFY2(bpr.out.contains("\"validation\":{\"metric\":\"ndcg@10\""), bpr.out.constData());
    {
      reco::storage::Database db(ws_.toStdString(), reco::storage::Database::Mode::ReadOnly);
      const auto validated = db.queryInt(
          "SELECT count(*) FROM run_epochs e JOIN runs r ON r.id = e.run_id "
          "WHERE r.name = 'bpr-valid' AND e.validation IS NOT NULL AND e.validation_metric = "
          "'ndcg@10'");
      QVERIFY(validated.value() >= 1);
    }
    QCOMPARE(run(in({"train", "--split", "random-42", "--model", "bpr", "--validate", "ndcg@10"}))
                 .exitCode,
             2);  // no valid part
    QCOMPARE(run(in({"train", "--split", "tv", "--model", "bpr", "--patience", "2"})).exitCode,
             2);  // needs --validate

    const auto tuned = run(in({"tune", "--split", "tv", "--model", "itemknn", "--grid", "k=5,50",
                               "--folds", "2", "--name", "knn-tuned"}));
    QVERIFY2(tuned.exitCode == 0, tuned.err.constData());
    QVERIFY(tuned.out.contains("k=5"));
    QVERIFY(tuned.out.contains("k=50"));
    QVERIFY(tuned.out.contains("refitted on train+valid"));
    QVERIFY(tuned.out.contains("\"tuning\":{\"metric\":\"ndcg@10\",\"folds\":2"));
    const auto json = run(in({"compare", "--runs", "knn-tuned", "--json"}));
    QCOMPARE(QJsonDocument::fromJson(json.out).array().size(), 1);
    QCOMPARE(run(in({"tune", "--split", "tv", "--model", "itemknn"})).exitCode, 2);  // no grid
    QCOMPARE(
        run(in({"tune", "--split", "random-42", "--model", "itemknn", "--grid", "k=5"})).exitCode,
        2);  // no valid part
  }

  void ctrlCDuringTrainingStoresNothing() {
    const auto before = reco::testing::dumpContent(ws_.toStdString());
    QProcess p;
    p.start(cli(), in({"train", "--split", "random-42", "--model", "bpr", "--set", "epochs=100000",
                       "--name", "endless"}));
    QVERIFY(p.waitForStarted());
    QTest::qWait(700);
    QCOMPARE(p.state(), QProcess::Running);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 130);
    QCOMPARE(reco::testing::dumpContent(ws_.toStdString()), before);
  }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "test_cli_runs.moc"
