// `reco rerank` end to end: a derived run is stored with the protocol the Compare panel
// reads and its metrics printed beside the base run's (text and --json); a sweep stores one
// run per value; an exclusion file keeps its items out of every stored list; bad input
// (unknown method, lambda out of range, an unknown id in the exclusion file with its line,
// an unknown category, `reco train --model rerank`) fails with words that say what to fix.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <clocale>
#include <set>

#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/derived_run.h"
#include "core/training/experiment.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using reco::testing::runCli;

class TestCliRerank : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  storage::SplitInfo split_;
  storage::RunInfo base_;

  QStringList args(const QStringList& rest) const {
    return QStringList{"--workspace", path_, "rerank"} + rest;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::setlocale(LC_NUMERIC, "C");
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run under ctest)");
    path_ = dir_.filePath("rerank.reco");
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 120, 60, 3000, 9);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    ExperimentOptions options;
    options.model = "itemknn";
    options.compute.threads = 2;
    options.eval.ks = {5, 10};
    base_ = runExperiment(ws, split_, options, nullptr, {}).run;
  }

  void storesADerivedRunAndPrintsItBesideTheBase() {
    const auto result =
        runCli(args({"--run", "itemknn", "--method", "mmr", "--set", "lambda=0.3", "--json"}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject doc = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(doc["base"].toObject()["name"].toString(), QString("itemknn"));
    const QJsonArray runs = doc["runs"].toArray();
    QCOMPARE(runs.size(), 1);
    const QJsonObject run = runs[0].toObject();
    const QString name = QString::fromUtf8("itemknn + mmr(λ=0.3)");
    QCOMPARE(run["name"].toString(), name);
    QCOMPARE(run["settings"].toObject()["lambda"].toString(), QString("0.3"));
    const QJsonObject ndcg = run["metrics"].toObject()["ndcg@10"].toObject();
    QVERIFY(ndcg["ci_low"].toDouble() <= ndcg["mean"].toDouble());
    QVERIFY(ndcg["mean"].toDouble() <= ndcg["ci_high"].toDouble());

    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto stored = storage::findRun(ws, name.toStdString());
    QVERIFY(stored.has_value());
    QCOMPARE(QString::fromStdString(stored->model), QString("rerank"));
    const auto protocol = readDerivedProtocol(stored->protocolJson);
    QVERIFY(protocol.has_value());
    QCOMPARE(protocol->baseRunId, base_.id);
    for (const auto& m : storage::runMetrics(ws, stored->id))
      if (m.metric == "ndcg@10") QVERIFY(std::abs(m.mean - ndcg["mean"].toDouble()) < 1e-12);
    const double baseIld = doc["base"]
                               .toObject()["metrics"]
                               .toObject()["ild_category@10"]
                               .toObject()["mean"]
                               .toDouble();
    QVERIFY(run["metrics"].toObject()["ild_category@10"].toObject()["mean"].toDouble() > baseIld);

    // Its default name goes into `reco compare --runs A,B` as it is.
    const auto compare = runCli({"--workspace", path_, "compare", "--runs", "itemknn," + name});
    QVERIFY2(compare.exitCode == 0, compare.err.constData());
    QVERIFY(compare.out.contains(name.toUtf8()));

    // The text form: a header, the base row, the derived row.
    const auto text = runCli(args(
        {"--run", "itemknn", "--method", "popularity", "--set", "beta=0.4", "--name", "novel"}));
    QVERIFY2(text.exitCode == 0, text.err.constData());
    const QList<QByteArray> lines = text.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].contains("ndcg@10") && lines[0].contains("ild_category@10") &&
            lines[0].contains("coverage@10"));
    QVERIFY(lines[1].startsWith("itemknn (base)"));
    QVERIFY(lines[2].startsWith("novel "));
  }

  void sweepsAndExcludesFromAFile() {
    QFile file(dir_.filePath("exclude.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto ids = storage::itemExternalIds(ws, split_.datasetId);
    std::set<std::int32_t> excluded;
    file.write("# out of stock this week\n\n");
    for (std::int32_t i = 0; i < std::int32_t(ids.size()) && excluded.size() < 5; ++i)
      if (!ids[std::size_t(i)].empty()) {
        file.write((ids[std::size_t(i)] + "\n").c_str());
        excluded.insert(i);
      }
    file.close();
    const auto result =
        runCli(args({"--run", "itemknn", "--method", "mmr", "--sweep", "lambda=0.5,1",
                     "--exclude-file", file.fileName(), "--name", "swept", "--json"}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonArray runs = QJsonDocument::fromJson(result.out).object()["runs"].toArray();
    QCOMPARE(runs.size(), 2);
    for (const auto& value : runs) {
      const auto run = storage::findRun(ws, value.toObject()["name"].toString().toStdString());
      QVERIFY(run.has_value());
      int lists = 0;
      for (const auto user : storage::runEvalUsers(ws, run->id)) {
        const auto list = storage::runRecommendations(ws, run->id, user);
        QVERIFY(list.has_value());
        for (const auto item : list->items) QVERIFY(!excluded.count(item));
        ++lists;
      }
      QVERIFY(lists > 20);
    }
    QCOMPARE(runs[0].toObject()["name"].toString(), QString::fromUtf8("swept λ=0.5"));
  }

  void recommendReRanksOnTheFly() {
    const auto made = runCli(args({"--run", "itemknn", "--method", "mmr", "--set",
                                   "lambda=0.6,cap=2,depth=10", "--name", "onfly"}));
    QVERIFY2(made.exitCode == 0, made.err.constData());
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto run = storage::findRun(ws, "onfly");
    QVERIFY(run.has_value());
    const auto userIds = storage::userExternalIds(ws, split_.datasetId);
    const auto itemIds = storage::itemExternalIds(ws, split_.datasetId);
    const auto users = storage::runEvalUsers(ws, run->id);
    QVERIFY(users.size() > 10);
    for (std::size_t at = 0; at < users.size(); at += users.size() / 5) {
      const std::string& user = userIds[std::size_t(users[at])];
      const auto shown = runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--user",
                                 QString::fromStdString(user), "-n", "10", "--rerank",
                                 "method=mmr,lambda=0.6", "--rerank", "cap=2,depth=10", "--json"});
      QVERIFY2(shown.exitCode == 0, shown.err.constData());
      QStringList listed;
      for (const auto& item : QJsonDocument::fromJson(shown.out).object()["items"].toArray())
        listed << item.toObject()["item"].toString();
      QStringList stored;
      const auto list = storage::runRecommendations(ws, run->id, users[at]);
      QVERIFY(list.has_value());
      for (const auto item : list->items)
        stored << QString::fromStdString(itemIds[std::size_t(item)]);
      QCOMPARE(listed, stored);
    }
    // An ad-hoc history, re-ranked with a category kept out.
    const QStringList history{QString::fromStdString(itemIds[0]),
                              QString::fromStdString(itemIds[1])};
    const auto plain = runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--history",
                               history.join(','), "--json"});
    QVERIFY2(plain.exitCode == 0, plain.err.constData());
    const QJsonArray plainItems = QJsonDocument::fromJson(plain.out).object()["items"].toArray();
    QVERIFY2(!plainItems.isEmpty(), plain.out.constData());
    const QString category = plainItems[0].toObject()["category"].toString();
    QVERIFY(!category.isEmpty());
    const auto ruled =
        runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--history",
                history.join(','), "--rerank", "exclude_category=" + category, "--json"});
    QVERIFY2(ruled.exitCode == 0, ruled.err.constData());
    const QJsonArray items = QJsonDocument::fromJson(ruled.out).object()["items"].toArray();
    QCOMPARE(items.size(), 10);
    for (const auto& item : items) QVERIFY(item.toObject()["category"].toString() != category);
    // A new visitor, re-ranked: the re-ranker's own fallback fills the list, and what-if still
    // marks every item as the fallback's (with no score of the model's), not as scored.
    const auto visitor = runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--history",
                                 "", "--rerank", "method=mmr,lambda=0.5", "--json"});
    QVERIFY2(visitor.exitCode == 0, visitor.err.constData());
    const QJsonArray visitorItems =
        QJsonDocument::fromJson(visitor.out).object()["items"].toArray();
    QCOMPARE(visitorItems.size(), 10);
    for (const auto& item : visitorItems) {
      QVERIFY(item.toObject()["fallback"].toBool());
      QCOMPARE(item.toObject()["score"].toDouble(), 0.0);
    }
    const auto bad = runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--user",
                             QString::fromStdString(userIds[std::size_t(users[0])]), "--rerank",
                             "method=shuffle"});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("'method'"), bad.err.constData());
  }

  void badInputSaysWhatToFix() {
    const auto method = runCli(args({"--run", "itemknn", "--method", "diverse"}));
    QCOMPARE(method.exitCode, 2);
    QVERIFY2(method.err.contains("'method'") && method.err.contains("mmr"), method.err.constData());
    const auto lambda = runCli(args({"--run", "itemknn", "--method", "mmr", "--set", "lambda=2"}));
    QCOMPARE(lambda.exitCode, 2);
    QVERIFY2(lambda.err.contains("[0, 1]") && lambda.err.contains("'2'"), lambda.err.constData());
    QFile file(dir_.filePath("bad.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# header\nno-such-item\n");
    file.close();
    const auto unknown = runCli(args({"--run", "itemknn", "--exclude-file", file.fileName()}));
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("line 2") && unknown.err.contains("'no-such-item'"),
             unknown.err.constData());
    const auto category = runCli(args({"--run", "itemknn", "--exclude-category", "Nowhere"}));
    QCOMPARE(category.exitCode, 2);
    QVERIFY2(category.err.contains("unknown category 'Nowhere'"), category.err.constData());
    const auto boost = runCli(args({"--run", "itemknn", "--boost", "brand=Acme:2"}));
    QCOMPARE(boost.exitCode, 2);
    QVERIFY2(boost.err.contains("category=NAME:FACTOR"), boost.err.constData());
    const auto train = runCli({"--workspace", path_, "train", "--dataset", "shop", "--split",
                               "holdout", "--model", "rerank"});
    QCOMPARE(train.exitCode, 2);
    QVERIFY2(train.err.contains("reco rerank"), train.err.constData());
    const auto help = runCli({"rerank", "--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("lambda=0 is the plain list here"));
  }
};

QTEST_GUILESS_MAIN(TestCliRerank)
#include "test_cli_rerank.moc"
