#pragma once
/// The report's summary in words, generated from a Comparison, never hand-written: "ease is
/// best on ndcg@10 (0.450, 95% CI 0.438-0.462), significantly better than bpr (p < 0.001,
/// paired t-test, Holm-corrected); pop is worst (0.102)." Numbers are formatted as in the
/// table, so the sentences and the table agree digit for digit.

#include <string>
#include <vector>

namespace reco {
struct Comparison;
}

namespace reco::report {

/// Sentences about `metric` (a column of the comparison, "ndcg@10"): the best run with its
/// CI (runs with the very same mean are "tied best"; a run alone with the metric is "the only
/// run with" it, and the runs without it are named), whether it is significantly better than
/// the baseline or not, each run significantly better or worse than the baseline or tied
/// with it (a catalogue metric has no per-user test, and says so), the worst run, and whether
/// any result is on sampled metrics. Empty when no run stored the metric.
std::vector<std::string> summarise(const Comparison& comparison, const std::string& metric);

/// A metric value as the report prints it: 4 significant decimals ("0.4502").
std::string formatMetric(double value);

}  // namespace reco::report
