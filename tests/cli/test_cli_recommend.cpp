// `reco recommend` prints reco::runListForUser (core/training/run_lists.h), the list the
// Users panel shows: its --json carries every field of the list (rank, item, title,
// category, price, score, test mark, reason), and its text is the same list in columns,
// byte for byte.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/run_lists.h"
#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using reco::testing::nearlyEqual;
using reco::testing::runCli;

namespace {

// The text `reco recommend` prints for a list (app/cli/command_inspect.cpp's columns; `reco`
// formats numbers in the C locale, as this test does from initTestCase on).
QByteArray expectedText(const RunList& list, const storage::RunInfo& run) {
  std::string out;
  char line[1024];
  std::snprintf(line, sizeof line,
                "Top %zu for user %s by run '%s' (%s); %zu training items excluded; * = in the "
                "held-out test part\n",
                list.items.size(), list.userId.c_str(), run.name.c_str(), run.model.c_str(),
                list.trainingItems);
  out += line;
  std::snprintf(line, sizeof line, "%4s  %-10s %-40s %-24s %8s %10s  %s\n", "rank", "item", "title",
                "category", "price", "score", "reason");
  out += line;
  for (std::size_t r = 0; r < list.items.size(); ++r) {
    const RunListItem& item = list.items[r];
    char price[64] = "-";
    if (item.meta.price) std::snprintf(price, sizeof price, "%.2f", *item.meta.price);
    std::snprintf(line, sizeof line, "%3zu%c  %-10s %-40.40s %-24.24s %8s %10.4f  %s\n", r + 1,
                  item.inTest ? '*' : ' ', item.meta.externalId.c_str(), item.meta.title.c_str(),
                  item.meta.category.c_str(), price, double(item.score), item.reason.c_str());
    out += line;
  }
  return QByteArray::fromStdString(out);
}

}  // namespace

class TestCliRecommend : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  storage::SplitInfo split_;
  std::vector<storage::RunInfo> runs_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::setlocale(LC_NUMERIC, "C");  // QCoreApplication took the environment's
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run under ctest)");
    path_ = dir_.filePath("recommend.reco");
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 120, 60, 3000, 21);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"itemknn", "pop"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      runs_.push_back(runExperiment(ws, split_, options, nullptr, {}).run);
    }
  }

  void printsTheSharedList() {
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    int users = 0;
    for (const auto& run : runs_) {
      const LoadedModel model = readModelFile(storage::runModel(ws, run.id), defaultRegistry());
      const auto evaluated = storage::runEvalUsers(ws, run.id);
      for (std::size_t at = 0; at < evaluated.size();
           at += std::max<std::size_t>(1, evaluated.size() / 4)) {
        const std::int32_t user = evaluated[at];
        for (const int n : {1, 10, 70}) {  // 70: more than the shop's 60 items
          const RunList list = runListForUser(ws, run, model, split_, user, std::size_t(n));
          const QString userId = QString::fromStdString(list.userId);
          const QStringList args{"--workspace",
                                 path_,
                                 "recommend",
                                 "--run",
                                 QString::fromStdString(run.name),
                                 "--user",
                                 userId,
                                 "-n",
                                 QString::number(n)};
          const auto json = runCli(args + QStringList{"--json"});
          QVERIFY2(json.exitCode == 0, json.err.constData());
          const QJsonObject object = QJsonDocument::fromJson(json.out).object();
          QCOMPARE(object.value("run").toString(), QString::fromStdString(run.name));
          QCOMPARE(object.value("user").toString(), userId);
          const QJsonArray items = object.value("items").toArray();
          QCOMPARE(std::size_t(items.size()), list.items.size());
          for (std::size_t r = 0; r < list.items.size(); ++r) {
            const QJsonObject cli = items[qsizetype(r)].toObject();
            const RunListItem& item = list.items[r];
            QCOMPARE(cli.value("rank").toInt(), int(r + 1));
            QCOMPARE(cli.value("item").toString(), QString::fromStdString(item.meta.externalId));
            QCOMPARE(cli.value("title").toString(), QString::fromStdString(item.meta.title));
            QCOMPARE(cli.value("category").toString(), QString::fromStdString(item.meta.category));
            QVERIFY(item.meta.price.has_value());
            QVERIFY(nearlyEqual(cli.value("price").toDouble(), *item.meta.price, 1e-12));
            QVERIFY(nearlyEqual(cli.value("score").toDouble(), double(item.score), 1e-6));
            QCOMPARE(cli.value("in_test").toBool(), item.inTest);
            QCOMPARE(cli.value("reason").toString(), QString::fromStdString(item.reason));
          }
          const auto text = runCli(args);
          QVERIFY2(text.exitCode == 0, text.err.constData());
          QCOMPARE(text.out, expectedText(list, run));
          ++users;
        }
      }
    }
    QVERIFY(users >= 8);
  }
};

QTEST_GUILESS_MAIN(TestCliRecommend)
#include "test_cli_recommend.moc"
