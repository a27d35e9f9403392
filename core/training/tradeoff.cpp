#include "core/training/tradeoff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <tuple>
#include <utility>

#include "core/common/number_text.h"
#include "core/training/derived_run.h"

namespace reco {

namespace {

std::string parameterSymbol(const std::string& parameter) {
  if (parameter == "lambda") return "λ";
  if (parameter == "beta") return "β";
  return parameter;
}

bool finished(const storage::RunInfo& run) {
  return run.status == "done";
}

// A derived run with what grouping needs.
struct Derived {
  const storage::RunInfo* run;
  DerivedRunProtocol info;
};

// The curve key: base, method, settings but the swept one.
using CurveKey =
    std::tuple<storage::RunId, std::string, std::string, std::map<std::string, std::string>>;

}  // namespace

std::string sweptParameter(std::string_view method) {
  if (method == "mmr" || method == "calibration") return "lambda";
  if (method == "popularity") return "beta";
  return {};
}

std::vector<TradeoffCurve> groupTradeoffCurves(const std::vector<storage::RunInfo>& runs) {
  std::vector<Derived> derived;
  for (const auto& run : runs)
    if (finished(run) && run.model == "rerank")
      if (auto info = readDerivedProtocol(run.protocolJson))
        derived.push_back({&run, std::move(*info)});

  auto findBase = [&](const DerivedRunProtocol& info) -> const storage::RunInfo* {
    for (const auto& run : runs)
      if (finished(run) && info.baseRunId != 0 && run.id == info.baseRunId) return &run;
    if (info.baseRunId == 0)
      for (const auto& run : runs)
        if (finished(run) && run.name == info.derivedFrom) return &run;
    return nullptr;
  };

  std::vector<TradeoffCurve> curves;
  std::map<CurveKey, std::size_t> index;
  for (const auto& d : derived) {
    const auto methodIt = d.info.rerank.find("method");
    const std::string method = methodIt == d.info.rerank.end() ? "" : methodIt->second;
    const std::string parameter = sweptParameter(method);
    std::map<std::string, std::string> fixed(d.info.rerank.begin(), d.info.rerank.end());
    fixed.erase(parameter);
    const storage::RunInfo* base = findBase(d.info);
    // A base that is gone is known by its id, else by its name.
    const storage::RunId baseId = base ? base->id : d.info.baseRunId;
    const std::string baseName = base ? base->name : d.info.derivedFrom;
    const CurveKey key{baseId, baseId == 0 ? baseName : std::string(), method, fixed};
    auto [it, inserted] = index.emplace(key, curves.size());
    if (inserted) {
      TradeoffCurve curve;
      curve.baseName = baseName;
      curve.baseRunId = baseId;
      curve.method = method;
      curve.parameter = parameter;
      curve.fixedSettings = fixed;
      if (base) {
        curve.hasPlain = true;
        TradeoffPoint plain;
        plain.run = *base;
        plain.plain = true;
        plain.label = "plain";
        curve.points.push_back(std::move(plain));
      }
      curves.push_back(std::move(curve));
    }
    TradeoffPoint point;
    point.run = *d.run;
    if (!parameter.empty()) {
      const auto value = d.info.rerank.find(parameter);
      if (value != d.info.rerank.end()) {
        if (const auto number = parseNumber(value->second)) point.value = *number;
        point.label = parameterSymbol(parameter) + "=" + value->second;
      }
    }
    if (point.label.empty()) point.label = d.info.label.empty() ? method : d.info.label;
    curves[it->second].points.push_back(std::move(point));
  }

  // From the plain end of the sweep: λ = 1 is the plain list for mmr, λ = 0 for
  // calibration and β = 0 for the popularity penalty; so a curve drawn in this order runs
  // from the plain run outwards.
  for (auto& curve : curves) {
    const bool descending = curve.method == "mmr";
    const auto first = curve.points.begin() + (curve.hasPlain ? 1 : 0);
    std::stable_sort(first, curve.points.end(), [descending](const auto& a, const auto& b) {
      const bool aNan = std::isnan(a.value), bNan = std::isnan(b.value);
      if (aNan != bNan) return bNan;
      if (!aNan && a.value != b.value) return descending ? a.value > b.value : a.value < b.value;
      return a.run.id < b.run.id;
    });
  }

  // Labels: the base, the method, `by` for mmr, and whatever tells apart two curves of the
  // same base and method.
  for (auto& curve : curves) {
    std::set<std::string> differing;
    for (const auto& other : curves) {
      if (&other == &curve || other.baseRunId != curve.baseRunId ||
          other.baseName != curve.baseName || other.method != curve.method)
        continue;
      std::set<std::string> keys;
      for (const auto& [key, value] : curve.fixedSettings) keys.insert(key);
      for (const auto& [key, value] : other.fixedSettings) keys.insert(key);
      for (const auto& key : keys) {
        const auto a = curve.fixedSettings.find(key);
        const auto b = other.fixedSettings.find(key);
        const bool same = a != curve.fixedSettings.end() && b != other.fixedSettings.end() &&
                          a->second == b->second;
        if (!same) differing.insert(key);
      }
    }
    if (curve.method == "mmr") differing.insert("by");
    std::string details;
    for (const auto& key : differing) {
      const auto it = curve.fixedSettings.find(key);
      if (it == curve.fixedSettings.end()) continue;
      if (!details.empty()) details += ", ";
      details += key + "=" + it->second;
    }
    curve.label = curve.baseName + " + " + (curve.method.empty() ? "rerank" : curve.method) +
                  (details.empty() ? "" : " (" + details + ")");
  }
  return curves;
}

Tradeoff compareTradeoff(storage::Workspace& workspace, const std::vector<storage::RunInfo>& runs,
                         const TradeoffOptions& options, JobObserver* observer,
                         std::stop_token stop) {
  Tradeoff out;
  out.k = options.k;
  auto curves = groupTradeoffCurves(runs);
  Progress progress{"comparing trade-off curves", 0, curves.size()};
  report(observer, progress);
  for (auto& curve : curves) {
    if (stop.stop_requested()) {
      out.outcome = Outcome::Stopped;
      return out;
    }
    std::vector<storage::RunInfo> members;
    for (const auto& point : curve.points) members.push_back(point.run);
    ComparisonOptions compare;
    compare.k = options.k;
    compare.test = options.test;
    compare.alpha = options.alpha;
    compare.diversityColumns = true;
    compare.baseline = members.front().name;  // the plain run when present
    Comparison comparison = compareRuns(workspace, members, compare, nullptr, stop);
    if (comparison.outcome == Outcome::Stopped) {
      out.outcome = Outcome::Stopped;
      return out;
    }
    // Without its plain run a curve has nothing to be tested against (the first derived
    // run was only a stand-in baseline).
    if (!curve.hasPlain)
      for (auto& row : comparison.runs) {
        row.significance.clear();
        row.isBaseline = false;
      }
    out.curves.push_back({std::move(curve), std::move(comparison)});
    ++progress.done;
    report(observer, progress);
  }
  return out;
}

std::vector<TradeoffCoordinates> tradeoffCoordinates(const TradeoffCurveComparison& curve,
                                                     const std::string& xMetric,
                                                     const std::string& yMetric) {
  std::vector<TradeoffCoordinates> out;
  const Comparison& comparison = curve.comparison;
  for (std::size_t i = 0; i < curve.curve.points.size() && i < comparison.runs.size(); ++i) {
    const RunComparison& row = comparison.runs[i];
    TradeoffCoordinates c;
    if (const auto* m = row.metric(xMetric)) c.x = *m;
    if (const auto* m = row.metric(yMetric)) c.y = *m;
    if (!curve.curve.points[i].plain)
      if (const auto* t = row.test(yMetric)) c.yTest = *t;
    c.yMark = comparison.significantlyBetter(i, yMetric)  ? 1
              : comparison.significantlyWorse(i, yMetric) ? -1
                                                          : 0;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace reco
