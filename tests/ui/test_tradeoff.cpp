// The Compare panel's trade-off of re-ranked runs, offscreen. On stored runs with chosen
// metrics (tests/support/derived_runs.h: a plain ease and itemknn run, a λ sweep of ease and
// one itemknn point), the Trade-off tab draws one curve per base run with the plain run and
// one point per swept value, at the stored metric values, in λ order, and its table tests
// each point against its own plain run. The Re-rank dialog builds the settings the core
// reads and shows the core's message for a bad one. Making derived runs from the panel
// (rerankRun in the background) stores them and draws their curve.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/rerank/rerank_options.h"
#include "core/storage/dataset_import.h"
#include "core/training/experiment.h"
#include "tests/support/derived_runs.h"
#include "tests/support/numeric.h"
#include "ui/application_setup.h"
#include "ui/dialogs/rerank_dialog.h"
#include "ui/models/tradeoff_table_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/plots/tradeoff_plot.h"
#include "ui/workers/job_tracker.h"

using reco::testing::nearlyEqual;
using reco::ui::ComparePanel;
using reco::ui::RerankDialog;
using reco::ui::TradeoffTableModel;

namespace {

constexpr int kTimeoutMs = 30000;
constexpr int kUsers = 80;

std::map<std::string, std::string> mmr(const std::string& lambda) {
  return {{"method", "mmr"}, {"lambda", lambda}, {"by", "category"}, {"depth", "50"}};
}

/// The stored aggregate of `metric` of the run called `name`.
reco::storage::MetricAggregate stored(const QString& path, const QString& name,
                                      const std::string& metric) {
  reco::storage::Workspace ws(path.toStdString(), reco::storage::Workspace::OpenMode::OpenExisting);
  const auto run = reco::storage::requireRun(ws, name.toStdString());
  for (const auto& m : reco::storage::runMetrics(ws, run.id))
    if (m.metric == metric) return m;
  qFatal("run %s has no %s", qPrintable(name), metric.c_str());
}

int curveNamed(const reco::ui::TradeoffPlot& plot, const QString& prefix) {
  for (int c = 0; c < plot.curveCount(); ++c)
    if (plot.curveNames()[c].startsWith(prefix)) return c;
  return -1;
}

}  // namespace

class TestTradeoff : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  reco::storage::SplitInfo split_;

  /// Run names of the ease curve, from the plain end (λ descending: λ = 1 is plain).
  const QStringList easeRuns_ = {"ease", "ease mmr 0.5", "ease mmr 0.3", "ease mmr 0.1",
                                 "ease mmr 0"};

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    path_ = dir_.filePath("tradeoff.reco");
    reco::storage::Workspace ws(path_.toStdString(),
                                reco::storage::Workspace::OpenMode::CreateIfMissing);
    reco::data::SyntheticOptions shop;
    shop.users = 200;
    shop.items = 60;
    shop.interactions = 6000;
    shop.seed = 11;
    reco::io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = reco::storage::importRecords(
        ws, "synthetic", reco::data::syntheticRecipe(shop), importOptions,
        [&](reco::io::RecordSink& sink) {
          return reco::data::generateShop(shop, sink, nullptr, {});
        },
        nullptr, {});
    split_ = reco::storage::createSplit(ws, imported.dataset, "random-42", reco::SplitOptions{},
                                        nullptr, {})
                 .split;

    auto values = [](double level, double slope) {
      std::vector<double> v(kUsers);
      for (int u = 0; u < kUsers; ++u) v[u] = level + 0.04 * (u % 5) - slope * double(u % 3);
      return v;
    };
    const auto ease =
        reco::testing::saveRunWithMetrics(ws, split_, "ease", "ease", "{}", values(0.3, 0),
                                          {{"ild_category@10", 0.35}, {"coverage@10", 0.20}});
    const auto knn =
        reco::testing::saveRunWithMetrics(ws, split_, "itemknn", "itemknn", "{}", values(0.25, 0),
                                          {{"ild_category@10", 0.45}, {"coverage@10", 0.30}});
    // Stored out of λ order, so that a plot in storage order would be caught.
    for (const char* lambda : {"0.3", "0", "0.5", "0.1"}) {
      const double l = QString::fromLatin1(lambda).toDouble();
      reco::testing::saveRunWithMetrics(
          ws, split_, std::string("ease mmr ") + lambda, "rerank",
          reco::testing::derivedProtocol(ease, mmr(lambda), "mmr"), values(0.3, (1 - l) * 0.02),
          {{"ild_category@10", 0.35 + (1 - l) * 0.4}, {"coverage@10", 0.20 + (1 - l) * 0.1}});
    }
    reco::testing::saveRunWithMetrics(ws, split_, "itemknn mmr 0.3", "rerank",
                                      reco::testing::derivedProtocol(knn, mmr("0.3"), "mmr"),
                                      values(0.24, 0.01),
                                      {{"ild_category@10", 0.6}, {"coverage@10", 0.33}});
  }

  void tradeoffTabDrawsOnePointPerValuePlusThePlainRun() {
    reco::ui::JobTracker jobs;
    ComparePanel panel(&jobs);
    panel.resize(1280, 800);
    panel.show();
    QSignalSpy shown(&panel, &ComparePanel::tradeoffShown);
    panel.setWorkspace(path_);
    QVERIFY(shown.wait(kTimeoutMs));
    panel.showTradeoffTab();
    QVERIFY(panel.setTradeoffMetrics(QStringLiteral("ild_category"), QStringLiteral("ndcg")));

    const reco::ui::TradeoffPlot& plot = *panel.tradeoffPlot();
    QVERIFY(!plot.isShowingNote());
    // The legend and table of two curves still fit a 1280-pixel window beside the navigation.
    QVERIFY2(panel.minimumSizeHint().width() <= 1280 - 180,
             qPrintable(QString::number(panel.minimumSizeHint().width())));
    QCOMPARE(plot.curveCount(), 2);
    const int ease = curveNamed(plot, QStringLiteral("ease + mmr"));
    const int knn = curveNamed(plot, QStringLiteral("itemknn + mmr"));
    QVERIFY(ease >= 0 && knn >= 0);
    QCOMPARE(plot.pointLabels(ease), QStringList({"plain", "λ=0.5", "λ=0.3", "λ=0.1", "λ=0"}));
    QCOMPARE(plot.pointLabels(knn), QStringList({"plain", "λ=0.3"}));
    // Each point sits at its own run's stored values, with its CI as the error bar.
    const auto points = plot.points(ease);
    const auto errors = plot.errors(ease);
    QCOMPARE(points.size(), easeRuns_.size());
    for (int i = 0; i < easeRuns_.size(); ++i) {
      const auto x = stored(path_, easeRuns_[i], "ild_category@10");
      const auto y = stored(path_, easeRuns_[i], "ndcg@10");
      QVERIFY2(nearlyEqual(points[i].x(), x.mean), qPrintable(easeRuns_[i]));
      QVERIFY2(nearlyEqual(points[i].y(), y.mean), qPrintable(easeRuns_[i]));
      QVERIFY(nearlyEqual(errors[i].x(), y.mean - *y.ciLow, 1e-9));
      QVERIFY(nearlyEqual(errors[i].y(), *y.ciHigh - y.mean, 1e-9));
    }
    QVERIFY(plot.xAxisLabel().contains(QStringLiteral("no CI")));
    QVERIFY(plot.yAxisLabel().contains(QStringLiteral("95% CI")));

    // The table: a row per point, each derived point tested against its own plain run.
    TradeoffTableModel& table = *panel.tradeoffModel();
    QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(table.rowCount(), 7);
    const double plainY = stored(path_, QStringLiteral("ease"), "ndcg@10").mean;
    int tested = 0;
    for (int r = 0; r < table.rowCount(); ++r) {
      const QString run = table.index(r, TradeoffTableModel::kRunColumn).data().toString();
      const QVariant p =
          table.index(r, TradeoffTableModel::kPColumn).data(TradeoffTableModel::ValueRole);
      QCOMPARE(p.isValid(), run != QLatin1String("ease") && run != QLatin1String("itemknn"));
      if (!run.startsWith(QLatin1String("ease mmr"))) continue;
      const double delta = table.index(r, TradeoffTableModel::kDeltaColumn)
                               .data(TradeoffTableModel::ValueRole)
                               .toDouble();
      QVERIFY(nearlyEqual(delta, stored(path_, run, "ndcg@10").mean - plainY, 1e-9));
      // λ=0 and 0.1 lose accuracy for two users in three: significantly worse, marked.
      if (run.endsWith(QLatin1String(" 0")) || run.endsWith(QLatin1String(" 0.1"))) {
        QCOMPARE(
            table.index(r, TradeoffTableModel::kPColumn).data(TradeoffTableModel::MarkRole).toInt(),
            -1);
      }
      ++tested;
    }
    QCOMPARE(tested, 4);

    // Coverage on x moves the points to the stored coverage.
    QVERIFY(panel.setTradeoffMetrics(QStringLiteral("coverage"), QStringLiteral("ndcg")));
    QVERIFY(nearlyEqual(plot.points(ease)[1].x(), stored(path_, easeRuns_[1], "coverage@10").mean));

    // Unchecking the plain run keeps it on its curve (it is what the points are tested
    // against); unchecking a derived run removes its point.
    QVERIFY(panel.setRunChecked(QStringLiteral("ease"), false));
    QVERIFY(shown.wait(kTimeoutMs));
    QVERIFY(panel.setRunChecked(QStringLiteral("ease mmr 0.3"), false));
    QVERIFY(shown.wait(kTimeoutMs));
    const int again = curveNamed(plot, QStringLiteral("ease + mmr"));
    QCOMPARE(plot.pointLabels(again), QStringList({"plain", "λ=0.5", "λ=0.1", "λ=0"}));

    QTemporaryDir out;
    QString error;
    QVERIFY2(panel.exportTradeoffPlot(out.filePath("tradeoff.png"), &error), qPrintable(error));
    QVERIFY(QFileInfo(out.filePath("tradeoff.png")).size() > 1000);
  }

  void rerankDialogBuildsValidSettingsAndShowsTheCoreError() {
    QTemporaryDir files;
    const QString list = files.filePath("out-of-stock.txt");
    {
      QFile file(list);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("i1\n# sold out this week\n  i2 \ni3\n\n");
    }
    RerankDialog dialog({"ease", "itemknn"}, QStringLiteral("itemknn"), {"Books", "Toys"},
                        {"in_stock"});
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    QVERIFY(ok->isEnabled());
    auto request = dialog.request();
    QVERIFY(request.has_value());
    QCOMPARE(request->run.baseRun, std::string("itemknn"));
    QCOMPARE(request->sweepParameter, std::string("lambda"));
    QCOMPARE(request->values, (std::vector<double>{0, 0.1, 0.3, 0.5}));
    QCOMPARE(request->run.rerank.method, reco::RerankMethod::Mmr);

    // Rules become the core's settings, and the core reads them back.
    dialog.findChild<QLineEdit*>("rerankItemsFile")->setText(list);
    dialog.findChild<QLineEdit*>("rerankExcludeAttributes")->setText(" in_stock=0 ; ");
    auto* categories = dialog.findChild<QListWidget*>("rerankExcludeCategories");
    categories->item(1)->setCheckState(Qt::Checked);
    dialog.findChild<QLineEdit*>("rerankBoostCategories")->setText("Books:1.5");
    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    const auto settings = dialog.settings();
    QCOMPARE(settings.at("exclude_items"), std::string("i1;i2;i3"));
    QCOMPARE(settings.at("exclude_attribute"), std::string("in_stock=0"));
    QCOMPARE(settings.at("exclude_category"), std::string("Toys"));
    QCOMPARE(settings.at("boost_category"), std::string("Books:1.5"));
    request = dialog.request();
    QVERIFY(request.has_value());
    QCOMPARE(request->run.rerank.excludeItems, (std::vector<std::string>{"i1", "i2", "i3"}));
    QCOMPARE(request->run.rerank.excludeCategories, (std::vector<std::string>{"Toys"}));
    QCOMPARE(request->run.rerank.categoryBoosts.size(), std::size_t(1));
    QCOMPARE(request->run.rerank.categoryBoosts[0].factor, 1.5);

    // A bad boost: the core's own message, OK disabled, no request.
    dialog.findChild<QLineEdit*>("rerankBoostCategories")->setText("Books:lots");
    QString coreMessage;
    try {
      reco::RerankOptions::fromSettings(dialog.settings());
    } catch (const reco::Error& e) {
      coreMessage = QString::fromUtf8(e.what());
    }
    QVERIFY(!coreMessage.isEmpty());
    QCOMPARE(dialog.problem(), coreMessage);
    QVERIFY(!ok->isEnabled());
    QVERIFY(!dialog.request().has_value());
    dialog.findChild<QLineEdit*>("rerankBoostCategories")->clear();
    QVERIFY(dialog.problem().isEmpty());

    // A swept value out of range is refused as the run using it would be.
    dialog.findChild<QLineEdit*>("rerankSweepValues")->setText("0; 1.5");
    QVERIFY(!dialog.problem().isEmpty());
    QVERIFY(dialog.problem().contains(QStringLiteral("lambda")));
    dialog.findChild<QLineEdit*>("rerankSweepValues")->setText("0; zero");
    QVERIFY(dialog.problem().contains(QStringLiteral("numbers")));
    dialog.findChild<QLineEdit*>("rerankSweepValues")->setText("0 0.2");
    QVERIFY(dialog.problem().isEmpty());

    // The popularity penalty sweeps β.
    auto* method = dialog.findChild<QComboBox*>("rerankMethod");
    method->setCurrentIndex(method->findData(QStringLiteral("popularity")));
    request = dialog.request();
    QVERIFY(request.has_value());
    QCOMPARE(request->sweepParameter, std::string("beta"));
    QCOMPARE(request->values, (std::vector<double>{0, 0.2}));

    // A file that cannot be read is named.
    dialog.findChild<QLineEdit*>("rerankItemsFile")->setText(files.filePath("missing.txt"));
    QVERIFY(dialog.problem().contains(QStringLiteral("missing.txt")));
    QVERIFY(!ok->isEnabled());
  }

  void rerankFromThePanelStoresRunsAndDrawsTheirCurve() {
    {
      reco::storage::Workspace ws(path_.toStdString(),
                                  reco::storage::Workspace::OpenMode::OpenExisting);
      reco::ExperimentOptions options;
      options.model = "pop";
      options.runName = "pop-trained";
      options.compute.threads = 1;
      const auto trained = reco::runExperiment(ws, split_, options, nullptr, {});
      QCOMPARE(int(trained.outcome), int(reco::Outcome::Completed));
    }
    reco::ui::JobTracker jobs;
    ComparePanel panel(&jobs);
    panel.resize(1280, 800);
    panel.show();
    QSignalSpy shown(&panel, &ComparePanel::tradeoffShown);
    panel.setWorkspace(path_);
    QVERIFY(shown.wait(kTimeoutMs));

    QVERIFY(panel.findChild<QPushButton*>(QStringLiteral("rerankButton"))->isEnabled());

    reco::ui::RerankRequest request;
    request.run.baseRun = "pop-trained";
    request.run.rerank = reco::RerankOptions::fromSettings({{"method", "popularity"}});
    request.sweepParameter = "beta";
    request.values = {0.2, 1.0};
    QSignalSpy finished(&panel, &ComparePanel::rerankFinished);
    panel.startRerank(request);
    QVERIFY(panel.isReranking());
    QVERIFY(finished.wait(120000));
    QVERIFY(!panel.isReranking());
    QCOMPARE(panel.findChild<QLabel*>(QStringLiteral("rerankLabel"))->text(),
             QStringLiteral("2 derived runs stored"));
    QVERIFY2(finished.at(0).at(0).toInt() == 2, qPrintable(finished.at(0).at(1).toString()));
    // The runs are read again and the new curve is drawn from its stored metrics.
    const reco::ui::TradeoffPlot& plot = *panel.tradeoffPlot();
    QTRY_VERIFY_WITH_TIMEOUT(curveNamed(plot, QStringLiteral("pop-trained + popularity")) >= 0,
                             kTimeoutMs);
    const int curve = curveNamed(plot, QStringLiteral("pop-trained + popularity"));
    QCOMPARE(plot.pointLabels(curve), QStringList({"plain", "β=0.2", "β=1"}));
    auto* tabs = panel.findChild<QTabWidget*>(QStringLiteral("compareTabs"));
    QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Trade-off"));

    // A bad request fails with the core's message and stores nothing.
    request.run.baseRun = "no such run";
    panel.startRerank(request);
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.at(1).at(0).toInt(), 0);
    QVERIFY(finished.at(1).at(1).toString().contains(QStringLiteral("no such run")));
  }
};

QTEST_MAIN(TestTradeoff)
#include "test_tradeoff.moc"
