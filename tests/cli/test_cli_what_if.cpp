// `reco recommend --history` prints reco::whatIfList (core/training/what_if.h), the list the
// Users panel's "Edit history" mode shows: its --json carries every field of the list and
// of the items that left, equal to the core's for the same history and fallback; its text
// lists the same items with their moves; a new visitor gets the fallback's list from a model
// that cannot fold in; bad ids are Config errors naming the id and its position; without
// --history `reco recommend` is unchanged. `reco scenario` saves, lists and deletes named
// histories.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <map>
#include <optional>
#include <vector>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/scenario_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/what_if.h"
#include "tests/support/cli_runner.h"
#include "tests/support/numeric.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using reco::testing::nearlyEqual;
using reco::testing::runCli;

namespace {

QString q(const std::string& text) {
  return QString::fromStdString(text);
}

// "↑3", "↓1", "=", "new": what the CLI prints for an item at 1-based `rank`.
QString moveOf(const WhatIfItem& item, int rank) {
  if (item.previousRank == 0) return "new";
  const int delta = item.previousRank - rank;
  if (delta == 0) return "=";
  return (delta > 0 ? QString::fromUtf8("\u2191") : QString::fromUtf8("\u2193")) +
         QString::number(std::abs(delta));
}

// One item of the JSON against the core's.
bool sameItem(const QJsonObject& cli, const WhatIfItem& item, int rank, QString& why) {
  const auto fail = [&](const char* field) {
    why = QString("%1 differs for item %2").arg(field, q(item.meta.externalId));
    return false;
  };
  if (cli.value("item").toString() != q(item.meta.externalId)) return fail("item");
  if (cli.value("title").toString() != q(item.meta.title)) return fail("title");
  if (cli.value("category").toString() != q(item.meta.category)) return fail("category");
  if (!nearlyEqual(cli.value("score").toDouble(), item.score, 1e-6)) return fail("score");
  if (cli.value("in_test").toBool() != item.inTest) return fail("in_test");
  if (cli.value("fallback").toBool() != item.fallback) return fail("fallback");
  if (cli.value("previous_rank").toInt() != item.previousRank) return fail("previous_rank");
  if (cli.value("reason").toString() != q(item.reason)) return fail("reason");
  if (rank > 0 && cli.value("rank").toInt() != rank) return fail("rank");
  if (rank > 0 && cli.value("move").toString() != moveOf(item, rank)) return fail("move");
  return true;
}

}  // namespace

class TestCliWhatIf : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  storage::SplitInfo split_;
  std::map<std::string, storage::RunInfo> runs_;

  QStringList recommend(const std::string& run, const QString& history) const {
    return {"--workspace", path_, "recommend", "--run", q(run), "--history", history};
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::setlocale(LC_NUMERIC, "C");
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run under ctest)");
    path_ = dir_.filePath("whatif.reco");
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 120, 60, 3000, 23);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"itemknn", "bpr"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      runs_[model] = runExperiment(ws, split_, options, nullptr, {}).run;
    }
  }

  void jsonEqualsTheCoresList() {
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto& run = runs_.at("itemknn");
    const LoadedModel model = readModelFile(storage::runModel(ws, run.id), defaultRegistry());
    const WhatIfFallback fallback = popularityFallback(ws, split_, model.model->itemCount());
    int checked = 0, withLeft = 0;
    for (std::int32_t user = 0; user < 120 && checked < 6; user += 7) {
      const auto parts = storage::loadUserSplitParts(ws, split_, user);
      if (parts.train.size() < 3) continue;
      // Remove the first training item, add an item the user never chose.
      WhatIfRequest request;
      request.user = user;
      request.n = 8;
      for (std::size_t k = 1; k < parts.train.size(); ++k)
        request.history.push_back(parts.train[k].value);
      for (std::int32_t item = 0; item < 60; ++item)
        if (std::none_of(parts.train.begin(), parts.train.end(),
                         [&](ItemIndex i) { return i.value == item; }) &&
            !model.header.itemIds[std::size_t(item)].empty()) {
          request.history.push_back(item);
          break;
        }
      const WhatIfList list = whatIfList(ws, run, model, split_, request, fallback);
      QStringList ids;
      for (const std::int32_t item : request.history)
        ids << q(model.header.itemIds[std::size_t(item)]);
      const QString userId = q(model.header.userIds[std::size_t(user)]);
      const auto out = runCli(recommend(run.name, ids.join(",")) +
                              QStringList{"--user", userId, "-n", "8", "--json"});
      QVERIFY2(out.exitCode == 0, out.err.constData());
      const QJsonObject object = QJsonDocument::fromJson(out.out).object();
      QCOMPARE(object.value("run").toString(), q(run.name));
      QCOMPARE(object.value("user").toString(), userId);
      QCOMPARE(object.value("rescored").toBool(), list.rescored);
      QCOMPARE(object.value("method").toString(), q(list.method));
      QCOMPARE(object.value("note").toString(), q(list.note));
      QCOMPARE(object.value("history").toArray().size(), ids.size());
      const QJsonArray items = object.value("items").toArray();
      QCOMPARE(std::size_t(items.size()), list.items.size());
      QString why;
      for (std::size_t r = 0; r < list.items.size(); ++r)
        QVERIFY2(sameItem(items[qsizetype(r)].toObject(), list.items[r], int(r + 1), why),
                 qPrintable(why));
      const QJsonArray left = object.value("left").toArray();
      QCOMPARE(std::size_t(left.size()), list.left.size());
      for (std::size_t r = 0; r < list.left.size(); ++r)
        QVERIFY2(sameItem(left[qsizetype(r)].toObject(), list.left[r], 0, why), qPrintable(why));
      withLeft += list.left.empty() ? 0 : 1;

      // The text: the same items in the same order, with their moves, then those that left.
      const auto text =
          runCli(recommend(run.name, ids.join(",")) + QStringList{"--user", userId, "-n", "8"});
      QCOMPARE(text.exitCode, 0);
      const QStringList lines = QString::fromUtf8(text.out).split('\n', Qt::SkipEmptyParts);
      QVERIFY(lines.size() >= 2 + qsizetype(list.items.size()));
      QVERIFY2(lines[0].startsWith("What-if for user " + userId), qPrintable(lines[0]));
      const qsizetype header = lines.indexOf(QRegularExpression("^rank\\s+item.*"));
      QVERIFY(header > 0);
      for (std::size_t r = 0; r < list.items.size(); ++r) {
        const QStringList columns =
            lines[header + 1 + qsizetype(r)].mid(7).split(' ', Qt::SkipEmptyParts);
        QCOMPARE(columns.value(0), q(list.items[r].meta.externalId));
        QVERIFY2(lines[header + 1 + qsizetype(r)].contains(" " + moveOf(list.items[r], int(r + 1)) +
                                                           " "),
                 qPrintable(lines[header + 1 + qsizetype(r)]));
      }
      QCOMPARE(lines.contains("Left the list (rank before the edit):"), !list.left.empty());
      ++checked;
    }
    QCOMPARE(checked, 6);
    QVERIFY2(withLeft > 0, "no edit changed a list: the comparison went unchecked");
  }

  void aNewVisitorGetsTheFallbackFromAModelThatCannotFoldIn() {
    const auto out = runCli(recommend("bpr", "") + QStringList{"--json", "-n", "5"});
    QVERIFY2(out.exitCode == 0, out.err.constData());
    const QJsonObject object = QJsonDocument::fromJson(out.out).object();
    QVERIFY(object.value("user").isNull());
    QCOMPARE(object.value("method").toString(), QString("fallback"));
    QVERIFY(object.value("note").toString().contains("bpr"));
    const QJsonArray items = object.value("items").toArray();
    QCOMPARE(items.size(), 5);
    for (const auto& item : items) {
      QVERIFY(item.toObject().value("fallback").toBool());
      QCOMPARE(item.toObject().value("reason").toString(), QString("fallback: popular"));
    }
    // A category fallback puts that category's most popular item first; an unknown
    // category is a Config error that names it.
    const QString category = items.at(0).toObject().value("category").toString();
    const auto inCategory = runCli(
        recommend("bpr", "") + QStringList{"--json", "-n", "1", "--fallback-category", category});
    QVERIFY2(inCategory.exitCode == 0, inCategory.err.constData());
    const QJsonObject first =
        QJsonDocument::fromJson(inCategory.out).object().value("items").toArray().at(0).toObject();
    QCOMPARE(first.value("category").toString(), category);
    QVERIFY(first.value("reason").toString().endsWith(" in " + category));
    const auto unknown =
        runCli(recommend("bpr", "") + QStringList{"--fallback-category", "No such category"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("'No such category' is not a category"), unknown.err.constData());
    // Without a fallback it cannot say anything, and says so.
    const auto none = runCli(recommend("bpr", "") + QStringList{"--fallback", "none"});
    QCOMPARE(none.exitCode, 0);
    QVERIFY2(none.out.contains("not re-scored") && none.out.contains("no fallback"),
             none.out.constData());
    // An edited history: bpr cannot, and the note names it and why.
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto ids = storage::itemExternalIds(ws, split_.datasetId);
    const auto edited =
        runCli(recommend("bpr", q(ids[0]) + "," + q(ids[1])) + QStringList{"--json"});
    QCOMPARE(edited.exitCode, 0);
    const QJsonObject cannot = QJsonDocument::fromJson(edited.out).object();
    QCOMPARE(cannot.value("rescored").toBool(), false);
    QVERIFY(cannot.value("items").toArray().isEmpty());
    QCOMPARE(cannot.value("note").toString(),
             QString("bpr learns one vector per training user; it cannot score a new history"));
  }

  void badIdsAreConfigErrorsNamingTheIdAndItsPosition() {
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto ids = storage::itemExternalIds(ws, split_.datasetId);
    const auto unknown = runCli(recommend("itemknn", q(ids[0]) + ",no-such-item"));
    QCOMPARE(unknown.exitCode, 2);  // Config
    QVERIFY2(unknown.err.contains("'no-such-item' (position 2 of the list)"),
             unknown.err.constData());
    const auto empty = runCli(recommend("itemknn", q(ids[0]) + ",," + q(ids[1])));
    QCOMPARE(empty.exitCode, 2);
    QVERIFY2(empty.err.contains("item 2 of the list is empty"), empty.err.constData());
    const auto user = runCli(recommend("itemknn", q(ids[0])) + QStringList{"--user", "nobody"});
    QCOMPARE(user.exitCode, 2);
    QVERIFY2(user.err.contains("user 'nobody'"), user.err.constData());
    const auto fallback =
        runCli(recommend("itemknn", q(ids[0])) + QStringList{"--fallback", "random"});
    QCOMPARE(fallback.exitCode, 2);  // Usage
    // --fallback without --history is a usage error; --user alone is the stored list.
    const auto stray = runCli({"--workspace", path_, "recommend", "--run", "itemknn", "--user",
                               "U1", "--fallback", "none"});
    QCOMPARE(stray.exitCode, 2);
    QVERIFY(stray.err.contains("--history"));
  }

  void scenariosAreSavedListedAndDeleted() {
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const auto items = storage::itemExternalIds(ws, split_.datasetId);
    const auto users = storage::userExternalIds(ws, split_.datasetId);
    const QString history = q(items[3]) + "," + q(items[1]);
    const QStringList scenario{"--workspace", path_, "scenario"};
    const auto saved = runCli(scenario + QStringList{"save", "--name", "kettle", "--history",
                                                     history, "--user", q(users[2])});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    QCOMPARE(runCli(scenario + QStringList{"save", "--name", "visitor", "--history", ""}).exitCode,
             0);
    const auto duplicate =
        runCli(scenario + QStringList{"save", "--name", "kettle", "--history", history});
    QCOMPARE(duplicate.exitCode, 2);
    QVERIFY2(duplicate.err.contains("scenario 'kettle' exists in dataset 'shop'"),
             duplicate.err.constData());
    const auto unknown =
        runCli(scenario + QStringList{"save", "--name", "far", "--history", "nowhere"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("'nowhere' (position 1"));

    // What the store holds, through the core and through the command.
    const auto stored = storage::listScenarios(ws, split_.datasetId);
    QCOMPARE(stored.size(), std::size_t(2));
    QCOMPARE(stored[0].name, std::string("kettle"));
    QCOMPARE(stored[0].history, (std::vector<std::int32_t>{3, 1}));
    QCOMPARE(stored[0].user, std::optional<std::int32_t>(2));
    const auto listed = runCli(scenario + QStringList{"list", "--json"});
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray array = QJsonDocument::fromJson(listed.out).array();
    QCOMPARE(array.size(), 2);
    QCOMPARE(array[0].toObject().value("name").toString(), QString("kettle"));
    QCOMPARE(array[0].toObject().value("user").toString(), q(users[2]));
    QCOMPARE(array[0].toObject().value("history").toArray().first().toString(), q(items[3]));
    QVERIFY(array[1].toObject().value("user").isNull());

    QCOMPARE(runCli(scenario + QStringList{"delete", "--name", "kettle"}).exitCode, 0);
    QCOMPARE(runCli(scenario + QStringList{"delete", "--name", "kettle"}).exitCode, 2);
    QCOMPARE(storage::listScenarios(ws, split_.datasetId).size(), std::size_t(1));
  }
};

QTEST_GUILESS_MAIN(TestCliWhatIf)
#include "test_cli_what_if.moc"
