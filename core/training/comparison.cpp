#include "core/training/comparison.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/eval/metrics.h"
#include "core/eval/segments.h"
#include "core/storage/split_train_counts.h"

namespace reco {

namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// The per-user values and evaluated users of the compared runs, each read once.
class UserValueCache {
 public:
  explicit UserValueCache(storage::Workspace& workspace) : workspace_(workspace) {}

  const std::vector<std::int32_t>& users(storage::RunId run) {
    auto it = users_.find(run);
    if (it == users_.end()) it = users_.emplace(run, storage::runEvalUsers(workspace_, run)).first;
    return it->second;
  }

  const std::vector<double>& values(storage::RunId run, const std::string& metric) {
    const auto key = std::make_pair(run, metric);
    auto it = values_.find(key);
    if (it == values_.end())
      it = values_.emplace(key, storage::runUserValues(workspace_, run, metric)).first;
    return it->second;
  }

  /// Values of `metric` for the users both runs evaluated, in user order; empty when either
  /// run has no per-user values of it.
  std::pair<std::vector<double>, std::vector<double>> paired(storage::RunId a, storage::RunId b,
                                                             const std::string& metric) {
    const auto& usersA = users(a);
    const auto& usersB = users(b);
    const auto& valuesA = values(a, metric);
    const auto& valuesB = values(b, metric);
    std::pair<std::vector<double>, std::vector<double>> out;
    if (valuesA.size() != usersA.size() || valuesB.size() != usersB.size()) return out;
    std::size_t i = 0, j = 0;
    while (i < usersA.size() && j < usersB.size()) {
      if (usersA[i] < usersB[j]) {
        ++i;
      } else if (usersB[j] < usersA[i]) {
        ++j;
      } else {
        out.first.push_back(valuesA[i++]);
        out.second.push_back(valuesB[j++]);
      }
    }
    return out;
  }

 private:
  storage::Workspace& workspace_;
  std::map<storage::RunId, std::vector<std::int32_t>> users_;
  std::map<std::pair<storage::RunId, std::string>, std::vector<double>> values_;
};

std::vector<std::string> perUserColumns(int k) {
  std::vector<std::string> out;
  for (const auto family : kRankingMetricFamilies) out.push_back(metricName(family, k));
  out.push_back(metricName("recall_head", k));
  out.push_back(metricName("recall_tail", k));
  out.push_back(std::string(kAucMetric));
  return out;
}

std::vector<std::string> chooseColumns(const std::vector<RunComparison>& runs,
                                       const ComparisonOptions& options) {
  const int k = options.k;
  std::vector<std::string> columns = perUserColumns(k);
  for (const char* family : {"coverage", "novelty", "gini", "avg_popularity"})
    columns.push_back(metricName(family, k));
  auto anyRunHas = [&](const std::string& name) {
    return std::any_of(runs.begin(), runs.end(),
                       [&](const RunComparison& r) { return r.metrics.count(name) > 0; });
  };
  if (options.diversityColumns)
    for (const char* family : {"ild_category", "ild_embedding"})
      if (anyRunHas(metricName(family, k))) columns.push_back(metricName(family, k));
  // Rating errors and the sampled metrics at this K join when a run stored them (sampled
  // metrics exist only when asked for: EvalOptions::sampledNegatives).
  const std::string atK = std::to_string(k);
  for (const auto& run : runs)
    for (const auto& [name, m] : run.metrics) {
      const bool rating = name == "rmse" || name == "mae";
      const bool sampledAtK = m.sampled && endsWith(name, atK);
      if ((rating || sampledAtK) &&
          std::find(columns.begin(), columns.end(), name) == columns.end())
        columns.push_back(name);
    }
  return columns;
}

}  // namespace

std::string pairedTestName(PairedTestKind kind) {
  return kind == PairedTestKind::TTest ? "paired t-test" : "wilcoxon signed-rank";
}

bool lowerIsBetter(std::string_view metric) {
  return metric == "rmse" || metric == "mae" || startsWith(metric, "gini@") ||
         startsWith(metric, "avg_popularity@");
}

bool isPerUserMetric(std::string_view metric) {
  if (startsWith(metric, kSampledPrefix) || metric == kAucMetric) return true;
  for (const auto family : kRankingMetricFamilies)
    if (startsWith(metric, std::string(family) + "@")) return true;
  return startsWith(metric, "recall_head@") || startsWith(metric, "recall_tail@");
}

const storage::MetricAggregate* RunComparison::metric(const std::string& name) const {
  const auto it = metrics.find(name);
  return it == metrics.end() ? nullptr : &it->second;
}

const MetricSignificance* RunComparison::test(const std::string& name) const {
  const auto it = significance.find(name);
  return it == significance.end() ? nullptr : &it->second;
}

std::optional<std::size_t> Comparison::bestRun(const std::string& column) const {
  const auto it = best.find(column);
  if (it == best.end()) return std::nullopt;
  return it->second;
}

bool Comparison::significantlyBetter(std::size_t run, const std::string& metric) const {
  if (run >= runs.size()) return false;
  const MetricSignificance* s = runs[run].test(metric);
  if (!s || !(s->pHolm < alpha)) return false;
  return lowerIsBetter(metric) ? s->meanDifference < 0 : s->meanDifference > 0;
}

bool Comparison::significantlyWorse(std::size_t run, const std::string& metric) const {
  if (run >= runs.size()) return false;
  const MetricSignificance* s = runs[run].test(metric);
  if (!s || !(s->pHolm < alpha)) return false;
  return lowerIsBetter(metric) ? s->meanDifference > 0 : s->meanDifference < 0;
}

Comparison compareRuns(storage::Workspace& workspace, const std::vector<storage::RunInfo>& runs,
                       const ComparisonOptions& options, JobObserver* observer,
                       std::stop_token stop) {
  RECO_CHECK(!runs.empty(), ErrorKind::Usage, "a comparison needs at least one run");
  RECO_CHECK(options.k > 0, ErrorKind::Config,
             "K must be positive, got " + std::to_string(options.k));
  Comparison out;
  out.k = options.k;
  out.test = options.test;
  out.alpha = options.alpha;
  out.baseline =
      options.baseline.empty() ? runs.front() : storage::requireRun(workspace, options.baseline);
  for (const auto& run : runs) {
    RunComparison row;
    row.run = run;
    row.isBaseline = run.id == out.baseline.id;
    for (auto& m : storage::runMetrics(workspace, run.id)) row.metrics[m.metric] = m;
    out.runs.push_back(std::move(row));
  }
  out.columns = chooseColumns(out.runs, options);

  UserValueCache cache(workspace);
  std::vector<std::string> tested;
  for (const auto& column : out.columns)
    if (isPerUserMetric(column)) tested.push_back(column);
  Progress progress{"comparing runs", 0,
                    (tested.size() + options.segmentMetrics.size()) * runs.size()};
  report(observer, progress);

  // Segments: the users each run evaluated, bucketed by training activity on its split.
  if (!options.segmentMetrics.empty()) {
    std::map<storage::SplitId, std::vector<std::int32_t>> trainCountsBySplit;
    for (auto& row : out.runs) {
      if (stop.stop_requested()) {
        out.outcome = Outcome::Stopped;
        return out;
      }
      const storage::RunInfo& run = row.run;
      if (!trainCountsBySplit.count(run.splitId)) {
        const auto split = storage::findSplit(workspace, run.splitId);
        RECO_CHECK(split.has_value(), ErrorKind::Workspace,
                   "run '" + run.name + "' lost its split");
        trainCountsBySplit[run.splitId] = storage::splitTrainCounts(workspace, *split);
      }
      std::vector<UserIndex> users;
      for (const auto u : cache.users(run.id)) users.push_back(UserIndex{u});
      const auto segments = segmentUsers(trainCountsBySplit[run.splitId], users);
      for (const auto& metric : options.segmentMetrics) {
        const auto& values = cache.values(run.id, metric);
        if (values.size() != users.size()) {
          if (options.segmentMetricsRequired)
            throw Error(ErrorKind::Config,
                        "run '" + run.name + "' has no per-user values of " + metric);
          ++progress.done;
          continue;
        }
        for (const auto& segment : segments) {
          std::vector<double> picked;
          picked.reserve(segment.rows.size());
          for (const auto r : segment.rows) picked.push_back(values[r]);
          row.segments.push_back({segment.name, segment.group, metric, meanCi(picked)});
        }
        ++progress.done;
        report(observer, progress);
      }
    }
  }

  // Significance per per-user metric: every run on the baseline's split against the
  // baseline, Holm across those runs.
  for (const auto& metric : tested) {
    if (stop.stop_requested()) {
      out.outcome = Outcome::Stopped;
      return out;
    }
    std::vector<double> raw;
    std::vector<std::size_t> which;
    for (std::size_t r = 0; r < out.runs.size(); ++r) {
      const storage::RunInfo& run = out.runs[r].run;
      if (run.id == out.baseline.id || run.splitId != out.baseline.splitId) continue;
      const auto [a, b] = cache.paired(run.id, out.baseline.id, metric);
      if (a.size() < 2) continue;
      const TestResult t =
          options.test == PairedTestKind::TTest ? pairedTTest(a, b) : wilcoxonSignedRank(a, b);
      // The mean difference over the pairs the test used: a user with no value on either
      // side (recall_head@K of a user with no head item in the test set is NaN) is left out
      // of both, so a NaN never reads as "no difference".
      double delta = 0;
      std::size_t pairs = 0;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(a[i]) && !std::isnan(b[i])) {
          delta += a[i] - b[i];
          ++pairs;
        }
      if (pairs < 2) continue;
      MetricSignificance s;
      s.p = t.pValue;
      s.meanDifference = delta / double(pairs);
      s.pairs = pairs;
      out.runs[r].significance[metric] = s;
      raw.push_back(t.pValue);
      which.push_back(r);
    }
    const auto adjusted = holmAdjust(raw);
    for (std::size_t i = 0; i < which.size(); ++i)
      out.runs[which[i]].significance[metric].pHolm = adjusted[i];
    progress.done += runs.size();
    report(observer, progress);
  }

  for (const auto& column : out.columns) {
    const bool lower = lowerIsBetter(column);
    for (std::size_t r = 0; r < out.runs.size(); ++r) {
      const storage::MetricAggregate* m = out.runs[r].metric(column);
      if (!m) continue;
      const auto [it, inserted] = out.best.emplace(column, r);
      if (inserted) continue;
      const double v = m->mean, b = out.runs[it->second].metrics.at(column).mean;
      if (lower ? v < b : v > b) it->second = r;
    }
  }
  return out;
}

}  // namespace reco
