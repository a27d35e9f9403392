// core/training/comparison.h on a real workspace: a small synthetic shop, one split, three
// trained runs (pop, itemknn, ease). The comparison's aggregates are the stored ones, the
// best marks follow each metric's direction, the tests are the paired tests on the users
// both runs evaluated with Holm across runs, and the segments partition the users.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/storage/dataset_import.h"
#include "core/training/comparison.h"
#include "core/training/experiment.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

/// One workspace for the suite: the shop, the split "s1" and the runs pop, itemknn, ease
/// (in that order), trained once; each test opens the workspace again and only reads.
class Comparing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("compare.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const auto dataset = reco::testing::importSyntheticShop(ws, 250, 70, 9000, 7);
    SplitOptions splitOptions;
    splitOptions.seed = 42;
    const auto split = storage::createSplit(ws, dataset, "s1", splitOptions, nullptr, {}).split;
    for (const char* model : {"pop", "itemknn", "ease"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      options.eval.ks = {5, 10};
      const auto result = runExperiment(ws, split, options, nullptr, {});
      // A failure here skips every test of the suite (GoogleTest does not run them).
      ASSERT_EQ(result.outcome, Outcome::Completed) << model;
      runs_.push_back(result.run);
    }
  }
  static void TearDownTestSuite() {
    runs_.clear();
    dir_.reset();
  }

  /// `run`'s per-user values of `metric` for the users `other` evaluated too, in user order.
  static std::vector<double> alignedValues(storage::Workspace& ws, const storage::RunInfo& run,
                                           const storage::RunInfo& other,
                                           const std::string& metric) {
    const auto users = storage::runEvalUsers(ws, run.id);
    const auto otherUsers = storage::runEvalUsers(ws, other.id);
    const auto values = storage::runUserValues(ws, run.id, metric);
    std::vector<double> out;
    for (std::size_t i = 0; i < users.size(); ++i)
      if (std::binary_search(otherUsers.begin(), otherUsers.end(), users[i]))
        out.push_back(values[i]);
    return out;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline std::vector<storage::RunInfo> runs_;  // pop, itemknn, ease
};

TEST(ComparisonMetrics, DirectionsAndKinds) {
  EXPECT_TRUE(lowerIsBetter("rmse") && lowerIsBetter("mae") && lowerIsBetter("gini@10") &&
              lowerIsBetter("avg_popularity@5"));
  EXPECT_TRUE(!lowerIsBetter("ndcg@10") && !lowerIsBetter("coverage@10") &&
              !lowerIsBetter("novelty@10"));
  EXPECT_TRUE(isPerUserMetric("ndcg@10") && isPerUserMetric("auc") &&
              isPerUserMetric("recall_tail@5") && isPerUserMetric("sampled_hit@10"));
  EXPECT_TRUE(!isPerUserMetric("coverage@10") && !isPerUserMetric("rmse") &&
              !isPerUserMetric("ild_category@10"));
  EXPECT_EQ(pairedTestName(PairedTestKind::TTest), std::string("paired t-test"));
}

TEST_F(Comparing, AggregatesAndBestAreTheStoredOnes) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ComparisonOptions options;
  options.k = 10;
  const Comparison c = compareRuns(ws, runs_, options);
  EXPECT_EQ(c.outcome, Outcome::Completed);
  ASSERT_EQ(c.runs.size(), std::size_t(3));
  EXPECT_EQ(c.baseline.id, runs_[0].id);
  EXPECT_TRUE(c.runs[0].isBaseline && !c.runs[1].isBaseline);
  const std::vector<std::string> head = {
      "precision@10", "recall@10",      "ndcg@10",          "map@10", "mrr@10",
      "hit@10",       "recall_head@10", "recall_tail@10",   "auc",    "coverage@10",
      "novelty@10",   "gini@10",        "avg_popularity@10"};
  ASSERT_GE(c.columns.size(), head.size());
  EXPECT_TRUE(std::equal(head.begin(), head.end(), c.columns.begin()));
  EXPECT_NE(std::find(c.columns.begin(), c.columns.end(), "ild_category@10"), c.columns.end());
  for (const auto& column : c.columns) EXPECT_EQ(column.find("@5"), std::string::npos) << column;

  for (std::size_t r = 0; r < runs_.size(); ++r)
    for (const auto& stored : storage::runMetrics(ws, runs_[r].id)) {
      const auto* m = c.runs[r].metric(stored.metric);
      ASSERT_NE(m, nullptr) << stored.metric;
      EXPECT_CLOSE(m->mean, stored.mean, 1e-12) << stored.metric;
      EXPECT_EQ(m->ciLow.has_value(), stored.ciLow.has_value()) << stored.metric;
    }
  for (const auto& column : c.columns) {
    std::size_t expected = 0;
    for (std::size_t r = 1; r < runs_.size(); ++r) {
      const double v = c.runs[r].metric(column)->mean, b = c.runs[expected].metric(column)->mean;
      if (lowerIsBetter(column) ? v < b : v > b) expected = r;
    }
    EXPECT_EQ(c.bestRun(column).value(), expected) << column;
  }
  // Collaborative models beat popularity on ranking accuracy; pop has the least coverage.
  EXPECT_NE(c.bestRun("ndcg@10").value(), 0u);
  EXPECT_NE(c.bestRun("coverage@10").value(), 0u);
  EXPECT_NE(c.bestRun("avg_popularity@10").value(), 0u);  // lower is better: not pop's blockbusters
}

TEST_F(Comparing, TestsArePairedAndHolmCorrected) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  for (const auto kind : {PairedTestKind::TTest, PairedTestKind::Wilcoxon}) {
    SCOPED_TRACE(pairedTestName(kind));
    ComparisonOptions options;
    options.test = kind;
    const Comparison c = compareRuns(ws, runs_, options);
    ASSERT_EQ(c.runs.size(), std::size_t(3));
    EXPECT_TRUE(c.runs[0].significance.empty());  // the baseline is not tested against itself
    EXPECT_FALSE(c.runs[1].test("coverage@10"));  // catalogue metrics have no per-user values
    for (const std::string metric : {"ndcg@10", "recall@10", "auc"}) {
      SCOPED_TRACE(metric);
      std::vector<double> raw;
      for (std::size_t r = 1; r < 3; ++r) {
        const auto a = alignedValues(ws, runs_[r], runs_[0], metric);
        const auto b = alignedValues(ws, runs_[0], runs_[r], metric);
        const TestResult t =
            kind == PairedTestKind::TTest ? pairedTTest(a, b) : wilcoxonSignedRank(a, b);
        const MetricSignificance* s = c.runs[r].test(metric);
        ASSERT_NE(s, nullptr);
        EXPECT_CLOSE(s->p, t.pValue, 1e-12);
        EXPECT_EQ(s->pairs, a.size());
        double delta = 0;
        for (std::size_t i = 0; i < a.size(); ++i) delta += a[i] - b[i];
        EXPECT_CLOSE(s->meanDifference, delta / double(a.size()), 1e-12);
        raw.push_back(t.pValue);
      }
      const auto adjusted = holmAdjust(raw);
      EXPECT_CLOSE(c.runs[1].test(metric)->pHolm, adjusted[0], 1e-12);
      EXPECT_CLOSE(c.runs[2].test(metric)->pHolm, adjusted[1], 1e-12);
      EXPECT_TRUE(adjusted[0] >= raw[0] && adjusted[1] >= raw[1]);
    }
    // itemknn is far better than pop on ndcg with 250 users: marked better, not worse.
    EXPECT_TRUE(c.significantlyBetter(1, "ndcg@10"));
    EXPECT_FALSE(c.significantlyWorse(1, "ndcg@10"));
  }
}

// recall_head@K is NaN for a user with no head item among the test items: the test and
// the mean difference both use only the users with a value on each side, so a clear
// difference is marked better or worse instead of reading as NaN (and as "tied").
TEST_F(Comparing, MetricsWithNanValuesAreTestedOnTheirFinitePairs) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const Comparison c = compareRuns(ws, runs_, ComparisonOptions{});
  bool sawNan = false;
  for (const std::string metric : {"recall_head@10", "recall_tail@10"}) {
    SCOPED_TRACE(metric);
    for (std::size_t r = 1; r < 3; ++r) {
      const auto a = alignedValues(ws, runs_[r], runs_[0], metric);
      const auto b = alignedValues(ws, runs_[0], runs_[r], metric);
      double delta = 0;
      std::size_t pairs = 0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) || std::isnan(b[i])) {
          sawNan = true;
          continue;
        }
        delta += a[i] - b[i];
        ++pairs;
      }
      ASSERT_GE(pairs, std::size_t(2));
      const MetricSignificance* s = c.runs[r].test(metric);
      ASSERT_NE(s, nullptr);
      EXPECT_EQ(s->pairs, pairs);
      EXPECT_TRUE(std::isfinite(s->meanDifference));
      EXPECT_CLOSE(s->meanDifference, delta / double(pairs), 1e-12);
      EXPECT_CLOSE(s->p, pairedTTest(a, b).pValue, 1e-12);
      if (s->pHolm < c.alpha) {
        EXPECT_NE(c.significantlyBetter(r, metric), c.significantlyWorse(r, metric));
      }
    }
  }
  EXPECT_TRUE(sawNan);  // the shop has users with no head (or no tail) test item
}

TEST_F(Comparing, BaselineByNameMayBeOutsideTheRuns) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ComparisonOptions options;
  options.baseline = runs_[0].name;
  const Comparison c = compareRuns(ws, {runs_[1], runs_[2]}, options);
  EXPECT_EQ(c.baseline.id, runs_[0].id);
  ASSERT_EQ(c.runs.size(), std::size_t(2));
  EXPECT_TRUE(!c.runs[0].isBaseline && !c.runs[1].isBaseline);
  EXPECT_TRUE(c.runs[0].test("ndcg@10") && c.runs[1].test("ndcg@10"));
  options.baseline = "no-such-run";
  EXPECT_THROW(compareRuns(ws, runs_, options), reco::Error);
}

TEST_F(Comparing, SegmentsPartitionTheUsers) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ComparisonOptions options;
  options.segmentMetrics = {"ndcg@10", "recall@5"};
  const Comparison c = compareRuns(ws, runs_, options);
  for (const auto& row : c.runs) {
    SCOPED_TRACE(row.run.name);
    EXPECT_FALSE(row.segments.empty());
    std::size_t users = 0;
    double weighted = 0;
    for (const auto& s : row.segments) {
      if (s.metric != "ndcg@10" || s.group != "activity") continue;
      users += s.value.n;
      weighted += s.value.mean * double(s.value.n);
    }
    const auto* ndcg = row.metric("ndcg@10");
    ASSERT_NE(ndcg, nullptr);
    EXPECT_EQ(std::int64_t(users), ndcg->n);
    EXPECT_LT(std::abs(weighted / double(users) - ndcg->mean), 1e-9);
    EXPECT_TRUE(std::any_of(row.segments.begin(), row.segments.end(),
                            [](const SegmentValue& s) { return s.metric == "recall@5"; }));
  }
  options.segmentMetrics = {"nosuch@10"};
  EXPECT_THROW(compareRuns(ws, runs_, options), reco::Error);
  options.segmentMetricsRequired = false;  // the GUI's way: no segments for that metric
  options.segmentMetrics = {"nosuch@10", "ndcg@5"};
  const Comparison lenient = compareRuns(ws, runs_, options);
  for (const auto& row : lenient.runs) {
    EXPECT_FALSE(row.segments.empty());
    for (const auto& s : row.segments) EXPECT_EQ(s.metric, std::string("ndcg@5"));
  }
}

TEST_F(Comparing, StopsWhenAsked) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  std::stop_source stop;
  stop.request_stop();
  const Comparison c = compareRuns(ws, runs_, ComparisonOptions{}, nullptr, stop.get_token());
  EXPECT_EQ(c.outcome, Outcome::Stopped);
}

}  // namespace
