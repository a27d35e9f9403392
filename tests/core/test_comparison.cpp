// core/training/comparison.h on a real workspace: a small synthetic shop, one split, three
// trained runs (pop, itemknn, ease). The comparison's aggregates are the stored ones, the
// best marks follow each metric's direction, the tests are the paired tests on the users
// both runs evaluated with Holm across runs, and the segments partition the users.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/training/comparison.h"
#include "core/storage/dataset_import.h"
#include "core/training/experiment.h"

using namespace reco;

class TestComparison : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path_;
  std::vector<storage::RunInfo> runs_;  // pop, itemknn, ease

  /// `run`'s per-user values of `metric` for the users `other` evaluated too, in user order.
  static std::vector<double> alignedValues(storage::Workspace& ws, const storage::RunInfo& run,
                                           const storage::RunInfo& other, const std::string& metric) {
    const auto users = storage::runEvalUsers(ws, run.id), otherUsers = storage::runEvalUsers(ws, other.id);
    const auto values = storage::runUserValues(ws, run.id, metric);
    std::vector<double> out;
    for (std::size_t i = 0; i < users.size(); ++i)
      if (std::binary_search(otherUsers.begin(), otherUsers.end(), users[i])) out.push_back(values[i]);
    return out;
  }

 private slots:
  void initTestCase() {
    path_ = dir_.filePath("compare.reco").toStdString();
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    data::SyntheticOptions shop;
    shop.users = 250;
    shop.items = 70;
    shop.interactions = 9000;
    shop.seed = 7;
    io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = storage::importRecords(
        ws, "synthetic", data::syntheticRecipe(shop), importOptions,
        [&](io::RecordSink& sink) { return data::generateShop(shop, sink, nullptr, {}); }, nullptr, {});
    SplitOptions splitOptions;
    splitOptions.seed = 42;
    const auto split = storage::createSplit(ws, imported.dataset, "s1", splitOptions, nullptr, {}).split;
    for (const char* model : {"pop", "itemknn", "ease"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      options.eval.ks = {5, 10};
      const auto result = runExperiment(ws, split, options, nullptr, {});
      QCOMPARE(result.outcome, Outcome::Completed);
      runs_.push_back(result.run);
    }
  }

  void directionsAndKinds() {
    QVERIFY(lowerIsBetter("rmse") && lowerIsBetter("mae") && lowerIsBetter("gini@10") && lowerIsBetter("avg_popularity@5"));
    QVERIFY(!lowerIsBetter("ndcg@10") && !lowerIsBetter("coverage@10") && !lowerIsBetter("novelty@10"));
    QVERIFY(isPerUserMetric("ndcg@10") && isPerUserMetric("auc") && isPerUserMetric("recall_tail@5") &&
            isPerUserMetric("sampled_hit@10"));
    QVERIFY(!isPerUserMetric("coverage@10") && !isPerUserMetric("rmse") && !isPerUserMetric("ild_category@10"));
    QCOMPARE(pairedTestName(PairedTestKind::TTest), std::string("paired t-test"));
  }

  void aggregatesAndBestAreTheStoredOnes() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ComparisonOptions options;
    options.k = 10;
    const Comparison c = compareRuns(ws, runs_, options);
    QCOMPARE(c.outcome, Outcome::Completed);
    QCOMPARE(c.runs.size(), std::size_t(3));
    QCOMPARE(c.baseline.id, runs_[0].id);
    QVERIFY(c.runs[0].isBaseline && !c.runs[1].isBaseline);
    const std::vector<std::string> head = {"precision@10", "recall@10", "ndcg@10", "map@10", "mrr@10", "hit@10",
                                           "recall_head@10", "recall_tail@10", "auc", "coverage@10", "novelty@10",
                                           "gini@10", "avg_popularity@10"};
    QVERIFY(c.columns.size() >= head.size());
    QVERIFY(std::equal(head.begin(), head.end(), c.columns.begin()));
    QVERIFY(std::find(c.columns.begin(), c.columns.end(), "ild_category@10") != c.columns.end());
    for (const auto& column : c.columns) QVERIFY2(column.find("@5") == std::string::npos, column.c_str());

    for (std::size_t r = 0; r < runs_.size(); ++r)
      for (const auto& stored : storage::runMetrics(ws, runs_[r].id)) {
        const auto* m = c.runs[r].metric(stored.metric);
        QVERIFY(m);
        QCOMPARE(m->mean, stored.mean);
        QCOMPARE(m->ciLow.has_value(), stored.ciLow.has_value());
      }
    for (const auto& column : c.columns) {
      std::size_t expected = 0;
      for (std::size_t r = 1; r < runs_.size(); ++r) {
        const double v = c.runs[r].metric(column)->mean, b = c.runs[expected].metric(column)->mean;
        if (lowerIsBetter(column) ? v < b : v > b) expected = r;
      }
      QCOMPARE(c.bestRun(column).value(), expected);
    }
    // Collaborative models beat popularity on ranking accuracy; pop has the least coverage.
    QVERIFY(c.bestRun("ndcg@10").value() != 0);
    QVERIFY(c.bestRun("coverage@10").value() != 0);
    QVERIFY(c.bestRun("avg_popularity@10").value() != 0);  // lower is better: not pop's blockbusters
  }

  void testsArePairedAndHolmCorrected() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    for (const auto kind : {PairedTestKind::TTest, PairedTestKind::Wilcoxon}) {
      ComparisonOptions options;
      options.test = kind;
      const Comparison c = compareRuns(ws, runs_, options);
      QVERIFY(c.runs[0].significance.empty());  // the baseline is not tested against itself
      QVERIFY(!c.runs[1].test("coverage@10"));  // catalogue metrics have no per-user values
      for (const std::string metric : {"ndcg@10", "recall@10", "auc"}) {
        std::vector<double> raw;
        for (std::size_t r = 1; r < 3; ++r) {
          const auto a = alignedValues(ws, runs_[r], runs_[0], metric);
          const auto b = alignedValues(ws, runs_[0], runs_[r], metric);
          const TestResult t = kind == PairedTestKind::TTest ? pairedTTest(a, b) : wilcoxonSignedRank(a, b);
          const MetricSignificance* s = c.runs[r].test(metric);
          QVERIFY(s);
          QCOMPARE(s->p, t.pValue);
          QCOMPARE(s->pairs, a.size());
          double delta = 0;
          for (std::size_t i = 0; i < a.size(); ++i) delta += a[i] - b[i];
          QCOMPARE(s->meanDifference, delta / double(a.size()));
          raw.push_back(t.pValue);
        }
        const auto adjusted = holmAdjust(raw);
        QCOMPARE(c.runs[1].test(metric)->pHolm, adjusted[0]);
        QCOMPARE(c.runs[2].test(metric)->pHolm, adjusted[1]);
        QVERIFY(adjusted[0] >= raw[0] && adjusted[1] >= raw[1]);
      }
      // itemknn is far better than pop on ndcg with 250 users: marked better, not worse.
      QVERIFY(c.significantlyBetter(1, "ndcg@10"));
      QVERIFY(!c.significantlyWorse(1, "ndcg@10"));
    }
  }

  void baselineByNameMayBeOutsideTheRuns() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ComparisonOptions options;
    options.baseline = runs_[0].name;
    const Comparison c = compareRuns(ws, {runs_[1], runs_[2]}, options);
    QCOMPARE(c.baseline.id, runs_[0].id);
    QVERIFY(!c.runs[0].isBaseline && !c.runs[1].isBaseline);
    QVERIFY(c.runs[0].test("ndcg@10") && c.runs[1].test("ndcg@10"));
    options.baseline = "no-such-run";
    QVERIFY_THROWS_EXCEPTION(reco::Error, compareRuns(ws, runs_, options));
  }

  void segmentsPartitionTheUsers() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ComparisonOptions options;
    options.segmentMetrics = {"ndcg@10", "recall@5"};
    const Comparison c = compareRuns(ws, runs_, options);
    for (const auto& row : c.runs) {
      QVERIFY(!row.segments.empty());
      std::size_t users = 0;
      double weighted = 0;
      for (const auto& s : row.segments) {
        if (s.metric != "ndcg@10" || s.group != "activity") continue;
        users += s.value.n;
        weighted += s.value.mean * double(s.value.n);
      }
      const auto* ndcg = row.metric("ndcg@10");
      QCOMPARE(std::int64_t(users), ndcg->n);
      QVERIFY(std::abs(weighted / double(users) - ndcg->mean) < 1e-9);
      QVERIFY(std::any_of(row.segments.begin(), row.segments.end(), [](const SegmentValue& s) { return s.metric == "recall@5"; }));
    }
    options.segmentMetrics = {"nosuch@10"};
    QVERIFY_THROWS_EXCEPTION(reco::Error, compareRuns(ws, runs_, options));
    options.segmentMetricsRequired = false;  // the GUI's way: no segments for that metric
    options.segmentMetrics = {"nosuch@10", "ndcg@5"};
    const Comparison lenient = compareRuns(ws, runs_, options);
    for (const auto& row : lenient.runs) {
      QVERIFY(!row.segments.empty());
      for (const auto& s : row.segments) QCOMPARE(s.metric, std::string("ndcg@5"));
    }
  }

  void stopsWhenAsked() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    std::stop_source stop;
    stop.request_stop();
    const Comparison c = compareRuns(ws, runs_, ComparisonOptions{}, nullptr, stop.get_token());
    QCOMPARE(c.outcome, Outcome::Stopped);
  }
};

QTEST_GUILESS_MAIN(TestComparison)
#include "test_comparison.moc"
