#pragma once
/// The accuracy-diversity trade-off of re-ranked runs (issue 14), as the Compare panel's
/// "Trade-off" tab draws it: derived runs grouped into curves, one curve per base run and
/// re-ranker with every setting fixed but the swept one (lambda for mmr and calibration,
/// beta for popularity), each curve starting at its plain base run. Each curve's runs are
/// compared (comparison.h compareRuns) against its own plain run, so that every point
/// carries its metrics with 95% CIs and its paired significance against the plain list.
///
/// A derived run is an ordinary stored run with model "rerank" whose protocolJson is
///   {"derived_from": "<base run name>", "base_run_id": N,
///    "rerank": {"method": "mmr", "lambda": "0.3", ...}, "label": "mmr(λ=0.3, by=category)"}
/// (training/derived_run.h writes and reads it: readDerivedProtocol).

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/storage/run_store.h"
#include "core/training/comparison.h"

namespace reco {

/// The setting a re-ranking method sweeps: "lambda" (mmr, calibration), "beta"
/// (popularity), "" for anything else (none: rules only).
std::string sweptParameter(std::string_view method);

/// One point of a curve: the plain base run or one derived run.
struct TradeoffPoint {
  storage::RunInfo run;
  bool plain = false;  ///< the base run itself (the curve's first point)
  /// The swept setting's value; NaN for the plain run and for an unswept method.
  double value = std::numeric_limits<double>::quiet_NaN();
  std::string label;  ///< "plain", "λ=0.1", "β=0.5"; an unswept run's stored label ("rules")
};

struct TradeoffCurve {
  std::string baseName;  ///< the plain run's name (its stored name when present)
  storage::RunId baseRunId = 0;
  std::string method;     ///< the re-ranking method ("mmr", ...)
  std::string parameter;  ///< the swept setting ("lambda", "beta"), or ""
  /// Every setting of the curve's derived runs but the swept one (equal across them).
  std::map<std::string, std::string> fixedSettings;
  /// For legends: "ease + mmr (by=category)"; settings that tell apart two curves of the
  /// same base run and method are added ("ease + mmr (by=category, depth=20)").
  std::string label;
  bool hasPlain = false;  ///< the base run was among the grouped runs: points.front() is it
  /// The plain run first (when present), then the derived runs from the plain end of the
  /// sweep outwards: λ descending for mmr (λ = 1 is the plain list), ascending for
  /// calibration (λ = 0 is) and popularity (β = 0 is); NaN last, ties by run id.
  std::vector<TradeoffPoint> points;
};

/// Groups the finished derived runs among `runs` into curves: same base run (by
/// base_run_id, else by derived_from name), same method, same settings but the swept one.
/// A curve's plain point is its base run when `runs` holds it (finished). Runs that are not
/// derived, or not finished, start no curve. Curves come in the order of their first
/// derived run in `runs`. Pure: O(runs^2) (runs are few) plus reading the JSON of each run.
std::vector<TradeoffCurve> groupTradeoffCurves(const std::vector<storage::RunInfo>& runs);

struct TradeoffOptions {
  int k = 10;  ///< the cut-off of the metrics (> 0)
  PairedTestKind test = PairedTestKind::TTest;
  double alpha = 0.05;  ///< on Holm-corrected p, within each curve
};

/// A curve with its runs compared against its plain run: comparison.runs is aligned with
/// curve.points (so comparison.runs[i].metric("ndcg@10") is point i's value), its baseline
/// is the plain run, and significance is tested per curve (Holm across the curve's points).
/// A curve without its plain run has no significance (its comparison's tests are cleared).
struct TradeoffCurveComparison {
  TradeoffCurve curve;
  Comparison comparison;
};

struct Tradeoff {
  Outcome outcome = Outcome::Completed;  ///< Stopped: `curves` may be partial
  int k = 10;
  std::vector<TradeoffCurveComparison> curves;
};

/// Groups `runs` (stored runs of `workspace`) into curves and compares each curve's runs
/// with compareRuns (no segments, diversity columns on). Progress goes to `observer` (may
/// be null); `stop` is polled between curves and inside each comparison. Throws what
/// compareRuns throws. Cost: one compareRuns per curve.
Tradeoff compareTradeoff(storage::Workspace& workspace, const std::vector<storage::RunInfo>& runs,
                         const TradeoffOptions& options, JobObserver* observer = nullptr,
                         std::stop_token stop = {});

/// One point's coordinates for a plot or a table: the means of `xMetric` and `yMetric`,
/// their 95% CIs where stored (catalogue metrics such as ild and coverage have none) and
/// the test of `yMetric` against the plain run.
struct TradeoffCoordinates {
  std::optional<storage::MetricAggregate> x, y;
  std::optional<MetricSignificance> yTest;  ///< absent for the plain run and untested metrics
  int yMark = 0;  ///< +1 significantly better than plain, -1 worse, 0 neither
};

/// The coordinates of every point of `curve` (aligned with curve.curve.points).
std::vector<TradeoffCoordinates> tradeoffCoordinates(const TradeoffCurveComparison& curve,
                                                     const std::string& xMetric,
                                                     const std::string& yMetric);

}  // namespace reco
