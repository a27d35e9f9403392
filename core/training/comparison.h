#pragma once
/// Stored runs side by side (the Compare screen and `reco compare`): per-run metric aggregates at
/// one cut-off K with their 95% confidence intervals, the best run of each column, paired
/// significance of every run against a baseline run on the per-user values of the users both
/// evaluated (Holm-corrected across the compared runs), and breakdowns by user segment. `reco
/// compare` prints it and the workbench's Compare screen shows it; both call compareRuns(), so they
/// always agree.
///
/// Everything is read from the workspace through run_store.h: nothing is re-evaluated. The
/// per-user values behind a test or a segment are the ones the run's aggregates came from.

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/eval/statistics.h"
#include "core/storage/run_store.h"

namespace reco {

enum class PairedTestKind {
  TTest,     ///< paired two-sided t-test (statistics.h pairedTTest)
  Wilcoxon,  ///< Wilcoxon signed-rank (statistics.h wilcoxonSignedRank)
};

/// "paired t-test" or "wilcoxon signed-rank" (the names `reco compare --json` writes).
std::string pairedTestName(PairedTestKind kind);

/// Which direction of a metric is better. Lower is better for the errors (rmse, mae), for
/// gini@K (recommendations concentrated on few items) and avg_popularity@K (a list of
/// blockbusters tells the user little); higher for everything else: accuracy, coverage,
/// novelty, diversity (ild), head/tail recall and the sampled metrics.
bool lowerIsBetter(std::string_view metric);

/// True for metrics stored per user (and so testable and segmentable): the ranking metrics,
/// recall_head/recall_tail, auc and the sampled_ metrics; false for catalogue metrics
/// (coverage, novelty, gini, avg_popularity, ild) and rmse/mae.
bool isPerUserMetric(std::string_view metric);

struct ComparisonOptions {
  int k = 10;  ///< the cut-off of the columns (> 0)
  PairedTestKind test = PairedTestKind::TTest;
  /// The run every other run is tested against, by name (it need not be among the compared
  /// runs); empty: the first compared run.
  std::string baseline;
  /// Metrics to break down by user segment (activity quartiles, cold users; segments.h);
  /// empty: no segments. Each must be stored per user by every compared run (Config
  /// otherwise). Costs one split load per split.
  std::vector<std::string> segmentMetrics;
  /// true: a run without per-user values of a segment metric is a Config error (the CLI's
  /// --metric). false: that run simply has no segments of that metric (the GUI asks for
  /// every per-user metric at once).
  bool segmentMetricsRequired = true;
  /// Adds ild_category@K and ild_embedding@K columns where stored. Off for `reco compare`,
  /// whose columns scripts rely on.
  bool diversityColumns = true;
  /// Significance level of the marks (significantlyBetter/Worse), on Holm-corrected p.
  double alpha = 0.05;
};

/// One run's test against the baseline on one metric. p and pHolm are NaN when the metric
/// was not tested (fewer than 2 paired users, no per-user values).
struct MetricSignificance {
  double p = std::numeric_limits<double>::quiet_NaN();
  double pHolm = std::numeric_limits<double>::quiet_NaN();
  /// Mean of (run - baseline) over the pairs the test used: users both runs evaluated with
  /// a value on each side (a NaN, e.g. recall_head@K of a user with no head item, is left out).
  double meanDifference = 0;
  std::size_t pairs = 0;  ///< the pairs the test used
};

/// A metric's mean, 95% CI and users over one user segment of one run.
struct SegmentValue {
  std::string segment;  ///< "activity Q1 (1-17 interactions)", "cold users (<= 5 interactions)"
  std::string group;    ///< "activity" or "cold"
  std::string metric;
  MeanCi value;
};

struct RunComparison {
  storage::RunInfo run;
  bool isBaseline = false;
  /// Every stored aggregate of the run, by name (also those not among the columns).
  std::map<std::string, storage::MetricAggregate> metrics;
  /// By metric: only metrics that were tested (per-user columns; runs on the baseline's split).
  std::map<std::string, MetricSignificance> significance;
  /// For each of ComparisonOptions::segmentMetrics in order, the run's segments in
  /// segmentUsers() order.
  std::vector<SegmentValue> segments;

  /// The aggregate of a metric, or null.
  const storage::MetricAggregate* metric(const std::string& name) const;
  /// The test of a metric, or null when it was not tested.
  const MetricSignificance* test(const std::string& name) const;
};

struct Comparison {
  Outcome outcome = Outcome::Completed;  ///< Stopped: everything below may be partial
  int k = 10;
  PairedTestKind test = PairedTestKind::TTest;
  double alpha = 0.05;
  storage::RunInfo baseline;
  /// The metric columns in display order: precision, recall, ndcg, map, mrr, hit,
  /// recall_head, recall_tail (at K), auc, coverage, novelty, gini, avg_popularity (at K),
  /// then ild_category@K and ild_embedding@K (with diversityColumns), then rmse, mae and the
  /// sampled metrics at K where any run stored them (in the order first found).
  std::vector<std::string> columns;
  /// Aligned with the compared runs, in the order given.
  std::vector<RunComparison> runs;
  /// Column -> index of the best run (lowerIsBetter() decides; ties: the first run). A
  /// column no run stored has no entry.
  std::map<std::string, std::size_t> best;

  /// The best run's index for a column, or nullopt.
  std::optional<std::size_t> bestRun(const std::string& column) const;
  /// Holm-corrected p < alpha and the run better (worse) than the baseline on `metric`,
  /// direction-aware.
  bool significantlyBetter(std::size_t run, const std::string& metric) const;
  bool significantlyWorse(std::size_t run, const std::string& metric) const;
};

/// Compares `runs` (at least one; stored runs of this workspace). Progress goes to
/// `observer` (may be null) once per run and metric; `stop` is polled between metrics.
/// Throws Config for an unknown baseline name, K <= 0, or a segment metric a run did not
/// store per user; Workspace when a run's split is gone. Cost: per tested metric, two
/// per-user value lists per run (O(users) each, read once and cached); segments add one
/// loadSplit() per split.
Comparison compareRuns(storage::Workspace& workspace, const std::vector<storage::RunInfo>& runs,
                       const ComparisonOptions& options, JobObserver* observer = nullptr,
                       std::stop_token stop = {});

}  // namespace reco
