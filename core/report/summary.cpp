// The report's summary sentences, generated from a Comparison (summary.h).
#include "core/report/summary.h"

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/common/number_text.h"
#include "core/training/comparison.h"

namespace reco::report {

std::string formatMetric(double value) {
  if (!std::isfinite(value)) return "n/a";
  return formatFixed(value, 4);
}

namespace {

/// "p < 0.001" or "p = 0.012": the Holm-corrected p of a test, as a reader quotes it.
std::string pText(double p) {
  if (p < 0.001) return "p < 0.001";
  return "p = " + formatFixed(p, 3);
}

std::string testWords(const Comparison& comparison) {
  return pairedTestName(comparison.test) + ", Holm-corrected";
}

/// "bpr (p < 0.001)" joined as "a, b and c".
std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string valueWithCi(const storage::MetricAggregate& m) {
  std::string text = formatMetric(m.mean);
  if (m.ciLow && m.ciHigh)
    text += ", 95% CI " + formatMetric(*m.ciLow) + "-" + formatMetric(*m.ciHigh);
  return text;
}

}  // namespace

std::vector<std::string> summarise(const Comparison& comparison, const std::string& metric) {
  std::vector<std::string> out;
  const std::optional<std::size_t> best = comparison.bestRun(metric);
  if (!best) return out;
  const auto& runs = comparison.runs;
  const auto& bestRow = runs[*best];
  const storage::MetricAggregate* bestValue = bestRow.metric(metric);
  if (!bestValue) return out;

  // The baseline's row, when it is among the compared runs (it need not be).
  std::optional<std::size_t> baselineRow;
  for (std::size_t r = 0; r < runs.size(); ++r)
    if (runs[r].isBaseline) baselineRow = r;
  const std::string& baselineName = comparison.baseline.name;

  // The runs that stored the metric, and those that did not (an older run, another K).
  std::vector<std::string> lacking;
  std::size_t having = 0;
  for (const auto& row : runs) {
    if (row.metric(metric))
      ++having;
    else
      lacking.push_back(row.run.name);
  }
  const bool perUser = isPerUserMetric(metric);

  // Runs with exactly the best mean share the first place: none is "best" alone.
  std::vector<std::string> tiedBest{bestRow.run.name};
  for (std::size_t r = 0; r < runs.size(); ++r)
    if (r != *best && runs[r].metric(metric) && runs[r].metric(metric)->mean == bestValue->mean)
      tiedBest.push_back(runs[r].run.name);

  std::string first;
  if (having == 1 && runs.size() > 1) {
    first =
        bestRow.run.name + " is the only run with " + metric + " (" + valueWithCi(*bestValue) + ")";
  } else if (tiedBest.size() > 1) {
    first = joinNames(tiedBest) + " are tied best on " + metric + " (" +
            formatMetric(bestValue->mean) + ")";
  } else {
    first = bestRow.run.name + " is best on " + metric + " (" + valueWithCi(*bestValue) + ")";
  }
  if (runs.size() == 1 || having == 1) {
    out.push_back(first + ".");
  } else if (baselineRow && *baselineRow == *best) {
    // The baseline is best: say which runs it beats, from its own viewpoint.
    std::vector<std::string> beaten;
    for (std::size_t r = 0; r < runs.size(); ++r)
      if (r != *best && comparison.significantlyWorse(r, metric))
        beaten.push_back(runs[r].run.name + " (" + pText(runs[r].test(metric)->pHolm) + ")");
    if (!beaten.empty())
      first +=
          ", significantly better than " + joinNames(beaten) + " (" + testWords(comparison) + ")";
    out.push_back(first + ".");
  } else {
    const MetricSignificance* test = bestRow.test(metric);
    const bool tested = test && !std::isnan(test->pHolm) && !std::isnan(test->meanDifference);
    if (comparison.significantlyBetter(*best, metric) && test)
      first += ", significantly better than the baseline " + baselineName + " (" +
               pText(test->pHolm) + ", " + testWords(comparison) + ")";
    else if (tested && tiedBest.size() == 1)
      first += ", but not significantly better than the baseline " + baselineName + " (" +
               pText(test->pHolm) + ", " + testWords(comparison) + ")";
    out.push_back(first + ".");
  }
  if (!lacking.empty())
    out.push_back(joinNames(lacking) + (lacking.size() == 1 ? " has" : " have") + " no " + metric +
                  " stored.");

  // Every other run against the baseline: better, worse, or no significant difference.
  std::vector<std::string> better, worse, tied, untested;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (runs[r].isBaseline || r == *best || !runs[r].metric(metric)) continue;
    const MetricSignificance* test = runs[r].test(metric);
    const std::string& name = runs[r].run.name;
    // A NaN mean difference cannot say better or worse: untested, never "tied".
    if (!test || std::isnan(test->pHolm) || std::isnan(test->meanDifference)) {
      untested.push_back(name);
    } else if (comparison.significantlyBetter(r, metric)) {
      better.push_back(name + " (" + pText(test->pHolm) + ")");
    } else if (comparison.significantlyWorse(r, metric)) {
      if (!(baselineRow && *baselineRow == *best))  // already said from the baseline's side
        worse.push_back(name + " (" + pText(test->pHolm) + ")");
    } else {
      tied.push_back(name);
    }
  }
  if (!better.empty())
    out.push_back(joinNames(better) + (better.size() == 1 ? " is" : " are") +
                  " significantly better than the baseline " + baselineName + " (" +
                  testWords(comparison) + ").");
  if (!worse.empty())
    out.push_back(joinNames(worse) + (worse.size() == 1 ? " is" : " are") +
                  " significantly worse than the baseline " + baselineName + " (" +
                  testWords(comparison) + ").");
  if (!tied.empty())
    out.push_back("There is no significant difference between " + baselineName + " and " +
                  (tied.size() == 1 ? tied.front() : "each of " + joinNames(tied)) + " (" +
                  testWords(comparison) + ", alpha " + formatNumber(comparison.alpha) + ").");
  if (!perUser && having > 1)
    out.push_back(metric +
                  " is a catalogue metric: no per-user test, so no run is tested "
                  "against the baseline " +
                  baselineName + ".");
  else if (!untested.empty())
    out.push_back(joinNames(untested) + (untested.size() == 1 ? " was" : " were") +
                  " not tested against " + baselineName +
                  " (another split, or no per-user values).");

  // The worst run, when there are at least three (with two, "best" already says it).
  if (runs.size() >= 3) {
    std::optional<std::size_t> worst;
    const bool lower = lowerIsBetter(metric);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const auto* m = runs[r].metric(metric);
      if (!m) continue;
      const auto* w = worst ? runs[*worst].metric(metric) : nullptr;
      if (!w || (lower ? m->mean > w->mean : m->mean < w->mean)) worst = r;
    }
    if (worst && *worst != *best)
      out.push_back(runs[*worst].run.name + " is worst (" +
                    formatMetric(runs[*worst].metric(metric)->mean) + ").");
  }

  bool sampled = false;
  for (const auto& row : runs)
    for (const auto& column : comparison.columns)
      if (const auto* m = row.metric(column); m && m->sampled) sampled = true;
  if (sampled)
    out.push_back(
        "The sampled_ columns rank each test item among sampled negatives only; they "
        "overstate accuracy and are not comparable with the full-ranking metrics.");
  return out;
}

}  // namespace reco::report
