// core/training/tradeoff.h: derived runs are grouped into curves by base run, method and
// every setting but the swept one, each curve starting at its plain run with its points in
// value order; a curve's comparison tests each point against its own plain run; the
// coordinates are the stored aggregates. The protocol JSON is written as
// training/derived_run.h documents it (tests/support/derived_runs.h).

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/common/number_text.h"
#include "core/eval/statistics.h"
#include "core/training/tradeoff.h"
#include "tests/support/derived_runs.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

storage::RunInfo plainRun(storage::RunId id, const std::string& name, const std::string& model) {
  storage::RunInfo run;
  run.id = id;
  run.name = name;
  run.model = model;
  run.status = "done";
  return run;
}

std::map<std::string, std::string> mmr(const std::string& lambda,
                                       const std::string& by = "category",
                                       const std::string& depth = "50") {
  return {{"method", "mmr"}, {"lambda", lambda}, {"by", by},
          {"beta", "0.5"},   {"depth", depth},   {"candidates", "200"}};
}

storage::RunInfo derivedRun(storage::RunId id, const std::string& name,
                            const storage::RunInfo& base,
                            const std::map<std::string, std::string>& settings,
                            const std::string& status = "done") {
  storage::RunInfo run = plainRun(id, name, "rerank");
  run.status = status;
  run.protocolJson = reco::testing::derivedProtocol(base, settings, name);
  return run;
}

std::vector<std::string> labels(const TradeoffCurve& curve) {
  std::vector<std::string> out;
  for (const auto& p : curve.points) out.push_back(p.label);
  return out;
}

std::vector<std::string> names(const TradeoffCurve& curve) {
  std::vector<std::string> out;
  for (const auto& p : curve.points) out.push_back(p.run.name);
  return out;
}

}  // namespace

TEST(TradeoffCurves, OnlyFinishedDerivedRunsStartACurve) {
  const auto ease = plainRun(1, "ease", "ease");
  auto notDerived = derivedRun(2, "ease-copy", ease, mmr("0.3"));
  notDerived.model = "ease";  // a protocol alone does not make a derived run
  auto malformed = derivedRun(3, "broken", ease, mmr("0.3"));
  malformed.protocolJson = "{\"derived_from\": \"ease\", \"rerank\": ";
  const auto failed = derivedRun(4, "failed", ease, mmr("0.3"), "failed");
  EXPECT_TRUE(groupTradeoffCurves({ease, notDerived, malformed, failed}).empty());
  EXPECT_EQ(sweptParameter("mmr"), "lambda");
  EXPECT_EQ(sweptParameter("calibration"), "lambda");
  EXPECT_EQ(sweptParameter("popularity"), "beta");
  EXPECT_EQ(sweptParameter("none"), "");
}

TEST(TradeoffCurves, GroupByBaseMethodAndEverySettingButTheSweptOne) {
  const auto ease = plainRun(1, "ease", "ease");
  const auto knn = plainRun(2, "itemknn", "itemknn");
  const auto gone = plainRun(99, "deleted-base", "pop");
  std::vector<storage::RunInfo> runs = {
      ease,
      knn,
      derivedRun(3, "ease-l0.5", ease, mmr("0.5")),
      derivedRun(4, "ease-l0", ease, mmr("0")),
      derivedRun(5, "ease-l0.3", ease, mmr("0.3")),
      derivedRun(6, "ease-l0.1", ease, mmr("0.1")),
      derivedRun(7, "ease-emb", ease, mmr("0.3", "embedding")),
      derivedRun(8, "knn-b0.2", knn,
                 {{"method", "popularity"}, {"beta", "0.2"}, {"lambda", "0.5"}}),
      derivedRun(9, "knn-b0.5-failed", knn,
                 {{"method", "popularity"}, {"beta", "0.5"}, {"lambda", "0.5"}}, "failed"),
      derivedRun(10, "orphan", gone, mmr("0.1")),
      derivedRun(11, "ease-d20", ease, mmr("0.1", "category", "20")),
      derivedRun(12, "knn-b0", knn, {{"method", "popularity"}, {"beta", "0"}, {"lambda", "0.9"}}),
      derivedRun(13, "knn-cal0.6", knn, {{"method", "calibration"}, {"lambda", "0.6"}}),
      derivedRun(14, "knn-cal0.2", knn, {{"method", "calibration"}, {"lambda", "0.2"}}),
  };
  const auto curves = groupTradeoffCurves(runs);
  ASSERT_EQ(curves.size(), 7u);

  // ease + mmr by category, depth 50: the plain run, then lambda descending (from the
  // plain end: lambda = 1 is the plain list).
  const TradeoffCurve& a = curves[0];
  EXPECT_EQ(a.baseName, "ease");
  EXPECT_EQ(a.baseRunId, 1);
  EXPECT_TRUE(a.hasPlain);
  EXPECT_EQ(a.parameter, "lambda");
  EXPECT_EQ(names(a),
            (std::vector<std::string>{"ease", "ease-l0.5", "ease-l0.3", "ease-l0.1", "ease-l0"}));
  EXPECT_EQ(labels(a), (std::vector<std::string>{"plain", "λ=0.5", "λ=0.3", "λ=0.1", "λ=0"}));
  EXPECT_TRUE(a.points[0].plain && std::isnan(a.points[0].value));
  EXPECT_DOUBLE_EQ(a.points[2].value, 0.3);
  EXPECT_EQ(a.fixedSettings.count("lambda"), 0u);
  EXPECT_EQ(a.fixedSettings.at("depth"), "50");
  // Two other ease + mmr curves: by embedding, and depth 20; the labels tell them apart.
  EXPECT_EQ(a.label, "ease + mmr (by=category, depth=50)");
  EXPECT_EQ(curves[1].label, "ease + mmr (by=embedding, depth=50)");
  EXPECT_EQ(names(curves[1]), (std::vector<std::string>{"ease", "ease-emb"}));

  // itemknn + popularity sweeps beta; lambda is just another fixed setting and differs, so
  // the two runs are two curves; the failed run is in none.
  EXPECT_EQ(curves[2].parameter, "beta");
  EXPECT_EQ(labels(curves[2]), (std::vector<std::string>{"plain", "β=0.2"}));
  EXPECT_EQ(curves[2].label, "itemknn + popularity (lambda=0.5)");

  // The orphan's base is gone: no plain point, known by its stored name and id.
  EXPECT_FALSE(curves[3].hasPlain);
  EXPECT_EQ(curves[3].baseName, "deleted-base");
  EXPECT_EQ(curves[3].baseRunId, 99);
  EXPECT_EQ(names(curves[3]), (std::vector<std::string>{"orphan"}));

  EXPECT_EQ(names(curves[4]), (std::vector<std::string>{"ease", "ease-d20"}));
  EXPECT_EQ(curves[4].label, "ease + mmr (by=category, depth=20)");
  EXPECT_EQ(names(curves[5]), (std::vector<std::string>{"itemknn", "knn-b0"}));
  // Calibration's plain end is lambda = 0: ascending.
  EXPECT_EQ(names(curves[6]), (std::vector<std::string>{"itemknn", "knn-cal0.2", "knn-cal0.6"}));
  EXPECT_EQ(curves[6].label, "itemknn + calibration");

  // Without derived runs there is nothing to draw.
  EXPECT_TRUE(groupTradeoffCurves({ease, knn}).empty());
}

TEST(TradeoffCurves, ComparesEachPointWithItsPlainRun) {
  reco::testing::TempDir dir;
  storage::Workspace ws(dir.file("tradeoff.reco"), storage::Workspace::OpenMode::CreateIfMissing);
  const auto dataset = reco::testing::importSyntheticShop(ws, 60, 30, 900, 3);
  const auto split = reco::testing::createHoldoutSplit(ws, dataset);

  constexpr int kUsers = 80;
  std::vector<double> plain(kUsers);
  for (int u = 0; u < kUsers; ++u) plain[u] = 0.2 + 0.05 * (u % 7);
  const auto base = reco::testing::saveRunWithMetrics(
      ws, split, "ease", "ease", "{}", plain, {{"ild_category@10", 0.40}, {"coverage@10", 0.30}});
  std::vector<storage::RunInfo> runs = {base};
  std::map<std::string, std::vector<double>> values;
  const std::vector<std::string> lambdas = {"0.5", "0", "0.3"};
  for (const auto& lambda : lambdas) {
    const double l = *parseNumber(lambda);
    std::vector<double> v(kUsers);
    // Smaller lambda: more diverse and less accurate, user by user.
    for (int u = 0; u < kUsers; ++u) v[u] = plain[u] - (1 - l) * 0.02 * double(1 + u % 3);
    values[lambda] = v;
    runs.push_back(reco::testing::saveRunWithMetrics(
        ws, split, "ease-mmr-" + lambda, "rerank",
        reco::testing::derivedProtocol(base, mmr(lambda), "mmr"), v,
        {{"ild_category@10", 0.40 + (1 - l) * 0.3}, {"coverage@10", 0.30 + (1 - l) * 0.1}}));
  }

  TradeoffOptions options;
  const Tradeoff tradeoff = compareTradeoff(ws, runs, options);
  ASSERT_EQ(tradeoff.outcome, Outcome::Completed);
  ASSERT_EQ(tradeoff.curves.size(), 1u);
  const auto& curve = tradeoff.curves[0];
  EXPECT_EQ(names(curve.curve),
            (std::vector<std::string>{"ease", "ease-mmr-0.5", "ease-mmr-0.3", "ease-mmr-0"}));
  EXPECT_EQ(curve.comparison.baseline.id, base.id);

  const auto coords = tradeoffCoordinates(curve, "ild_category@10", "ndcg@10");
  ASSERT_EQ(coords.size(), 4u);
  const MeanCi plainCi = meanCi(plain);
  ASSERT_TRUE(coords[0].y && coords[0].x);
  EXPECT_CLOSE(coords[0].y->mean, plainCi.mean, 1e-12);
  EXPECT_CLOSE(*coords[0].y->ciLow, plainCi.ciLow, 1e-12);
  EXPECT_CLOSE(coords[0].x->mean, 0.40, 1e-12);
  EXPECT_FALSE(coords[0].x->ciLow.has_value());  // a catalogue metric has no interval
  EXPECT_FALSE(coords[0].yTest.has_value());     // the plain run is not tested against itself

  // The p-values are the paired t-tests against the plain run, Holm-adjusted over the three.
  std::vector<double> raw;
  const char* order[] = {"0.5", "0.3", "0"};
  for (const char* lambda : order) raw.push_back(pairedTTest(values[lambda], plain).pValue);
  const auto holm = holmAdjust(raw);
  for (std::size_t i = 1; i < 4; ++i) {
    const auto& c = coords[i];
    const auto& v = values[order[i - 1]];
    ASSERT_TRUE(c.y && c.x && c.yTest) << i;
    EXPECT_CLOSE(c.y->mean, meanCi(v).mean, 1e-12);
    EXPECT_CLOSE(c.x->mean, 0.40 + (1 - *parseNumber(order[i - 1])) * 0.3, 1e-12);
    EXPECT_CLOSE(c.yTest->p, raw[i - 1], 1e-12);
    EXPECT_CLOSE(c.yTest->pHolm, holm[i - 1], 1e-12);
    EXPECT_LT(c.yTest->meanDifference, 0);
    EXPECT_EQ(c.yMark, -1);  // every user lost accuracy: significantly worse
  }

  // A curve whose plain run is not among the runs has points but no tests.
  const std::vector<storage::RunInfo> withoutBase(runs.begin() + 1, runs.end());
  const Tradeoff orphan = compareTradeoff(ws, withoutBase, options);
  ASSERT_EQ(orphan.curves.size(), 1u);
  EXPECT_FALSE(orphan.curves[0].curve.hasPlain);
  for (const auto& c : tradeoffCoordinates(orphan.curves[0], "coverage@10", "ndcg@10")) {
    EXPECT_TRUE(c.x && c.y);
    EXPECT_FALSE(c.yTest.has_value());
    EXPECT_EQ(c.yMark, 0);
  }

  // Stopped before the first curve: nothing, and the outcome says so.
  std::stop_source stop;
  stop.request_stop();
  const Tradeoff stopped = compareTradeoff(ws, runs, options, nullptr, stop.get_token());
  EXPECT_EQ(stopped.outcome, Outcome::Stopped);
  EXPECT_TRUE(stopped.curves.empty());
}
