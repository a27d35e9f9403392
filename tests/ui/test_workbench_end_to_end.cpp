// The analyst's and the merchandiser's whole path through the window's code, on ML-100K:
// import through the wizard's final step (ImportJob), train two models from the Experiments
// panel's queue, read the Compare panel's table, open a user in the Users panel and check
// the side-by-side lists against `reco recommend` for the same runs. Nothing here calls the
// core directly except to draw the split the runs share.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "tests/support/cli_runner.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/models/comparison_table_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/datasets_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/users_panel.h"
#include "ui/workers/import_job.h"
#include "ui/workers/run_queue.h"

using reco::ui::MainWindow;

namespace {
constexpr int kLongWaitMs = 180000;
const QString kUser = QStringLiteral("196");  // the first user of u.data
}  // namespace

class TestWorkbenchEndToEnd : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings of the window go to a test location
    reco::ui::setUpApplication(*qApp);
  }

  void analystAndMerchandiserOnMovieLens() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("e2e.reco"));
    {
      reco::storage::Workspace created(path.toStdString(),
                                       reco::storage::Workspace::OpenMode::CreateIfMissing);
    }
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.openWorkspace(path);

    // 1. Import, as the wizard's last page does, then the panel shows the dataset.
    reco::ui::ImportJob job(nullptr);
    QSignalSpy imported(&job, &reco::ui::ImportJob::finished);
    reco::io::ImportOptions options;
    options.name = "ml100k";
    QVERIFY(job.start(path, QStringLiteral(RECO_SHARED_DIR "/datasets/movielens-100k"), options));
    QVERIFY(imported.wait(kLongWaitMs));
    QVERIFY2(job.result()->status == reco::ui::ImportJobResult::Status::Completed,
             qPrintable(job.result()->error));
    QCOMPARE(job.result()->dataset.users, std::int64_t(943));
    QCOMPARE(job.result()->dataset.items, std::int64_t(1682));
    QCOMPARE(job.result()->dataset.interactions, std::int64_t(100000));
    QSignalSpy shown(window.datasetsPanel(), &reco::ui::DatasetsPanel::datasetsShown);
    window.datasetsPanel()->reload();
    QVERIFY(shown.wait(kLongWaitMs));
    QCOMPARE(shown.last().at(1).toInt(), 1);

    // 2. The split every run shares (the protocol), then two runs from the queue.
    {
      reco::storage::Workspace ws(path.toStdString(),
                                  reco::storage::Workspace::OpenMode::OpenExisting);
      const auto dataset = ws.findDataset("ml100k");
      QVERIFY(dataset.has_value());
      reco::SplitOptions split;
      split.seed = 42;
      reco::storage::createSplit(ws, *dataset, "holdout", split, nullptr, {});
    }
    auto* experiments = window.experimentsPanel();
    QSignalSpy experimentsLoaded(experiments, &reco::ui::ExperimentsPanel::loaded);
    experiments->reload();
    QVERIFY(experimentsLoaded.wait(kLongWaitMs));
    QVERIFY(experiments->selectSplit(QStringLiteral("holdout")));
    QSignalSpy drained(experiments->runQueue(), &reco::ui::RunQueue::drained);
    QVERIFY(experiments->queueRun(QStringLiteral("itemknn")));
    QVERIFY(experiments->queueRun(QStringLiteral("ease")));
    QVERIFY(drained.wait(kLongWaitMs));
    const auto runs = reco::testing::runCli({"--workspace", path, "runs", "--json"});
    const QJsonArray stored = QJsonDocument::fromJson(runs.out).array();
    QCOMPARE(stored.size(), 2);
    for (const auto& run : stored)
      QCOMPARE(run.toObject().value("status").toString(), QStringLiteral("done"));

    // 3. Compare: the panel's table against `reco compare --json` for the same runs.
    auto* compare = window.comparePanel();
    QSignalSpy compared(compare, &reco::ui::ComparePanel::comparisonShown);
    QVERIFY(window.showPanel(QStringLiteral("Compare")));  // as the analyst would
    compare->reload();
    QTRY_VERIFY_WITH_TIMEOUT(compare->selectDataset(QStringLiteral("ml100k")), kLongWaitMs);
    compare->selectSplit(QStringLiteral("holdout"));
    compare->setK(10);
    QTRY_VERIFY_WITH_TIMEOUT(
        compare->comparison() && compare->comparison()->runs.size() == 2 && !compare->isBusy(),
        kLongWaitMs);
    QCOMPARE(compare->tableModel()->rowCount(), 2);
    const auto cli = reco::testing::runCli(
        {"--workspace", path, "compare", "--runs", "itemknn,ease", "--k", "10", "--json"});
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    const QJsonArray rows = QJsonDocument::fromJson(cli.out).array();
    QCOMPARE(rows.size(), 2);
    for (const auto& row : rows) {
      const QJsonObject object = row.toObject();
      const std::string name = object.value("run").toString().toStdString();
      bool found = false;
      for (const auto& run : compare->comparison()->runs) {
        if (run.run.name != name) continue;
        found = true;
        for (const char* metric : {"ndcg@10", "recall@10", "precision@10"}) {
          const auto* mine = run.metric(metric);
          QVERIFY(mine != nullptr);
          QVERIFY(std::abs(mine->mean -
                           object["metrics"].toObject()[metric].toObject()["mean"].toDouble()) <
                  1e-12);
        }
      }
      QVERIFY2(found, name.c_str());
    }
    // EASE is the better of the two here, and the panel marks it best.
    const auto best = compare->comparison()->bestRun("ndcg@10");
    QVERIFY(best.has_value());
    QCOMPARE(compare->comparison()->runs[*best].run.name, std::string("ease"));

    // 4. Users: user 196's lists for both runs, side by side, against `reco recommend`.
    auto* users = window.usersPanel();
    QSignalSpy usersShown(users, &reco::ui::UsersPanel::usersShown);
    QVERIFY(window.showPanel(QStringLiteral("Users")));
    users->reload();
    QTRY_VERIFY_WITH_TIMEOUT(users->selectDataset(QStringLiteral("ml100k")), kLongWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(users->selectSplit(QStringLiteral("holdout")), kLongWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(users->selectUser(kUser), kLongWaitMs);
    users->listsView()->setChosenRuns({QStringLiteral("itemknn"), QStringLiteral("ease")});
    QTRY_VERIFY_WITH_TIMEOUT(
        users->listsView()->allFinal() && users->listsView()->lists().size() == 2, kLongWaitMs);
    for (const auto& list : users->listsView()->lists()) {
      QVERIFY(list && list->final);
      QVERIFY2(list->error.empty(), list->error.c_str());
      QCOMPARE(QString::fromStdString(list->userId), kUser);
      const auto expected = reco::testing::runCli({"--workspace", path, "recommend", "--run",
                                                   QString::fromStdString(list->run.name), "--user",
                                                   kUser, "--json"});
      QVERIFY2(expected.exitCode == 0, expected.err.constData());
      const QJsonArray items =
          QJsonDocument::fromJson(expected.out).object().value("items").toArray();
      QCOMPARE(int(list->items.size()), int(items.size()));
      QCOMPARE(int(items.size()), reco::ui::RecommendationListsView::kDefaultN);
      for (int r = 0; r < items.size(); ++r) {
        const QJsonObject item = items[r].toObject();
        QCOMPARE(QString::fromStdString(list->items[std::size_t(r)].meta.externalId),
                 item.value("item").toString());
        QCOMPARE(QString::fromStdString(list->items[std::size_t(r)].meta.title),
                 item.value("title").toString());
        QCOMPARE(list->items[std::size_t(r)].inTest, item.value("in_test").toBool());
        QCOMPARE(QString::fromStdString(list->items[std::size_t(r)].reason),
                 item.value("reason").toString());
      }
    }
  }
};

QTEST_MAIN(TestWorkbenchEndToEnd)
#include "test_workbench_end_to_end.moc"
