#pragma once
/// Names and explanations of the evaluation metrics for display: the short label a header
/// shows ("NDCG@10", "hit@10 (sampled)") and the paragraph its tooltip shows (what the
/// metric measures, its range and which direction is better). Shared by every panel that
/// shows metrics. Pure functions, safe from any thread.
///
/// Metric names are the core's ("ndcg@10", "auc", "sampled_hit@10", "coverage@10",
/// "recall_head@10", "rmse"; core/eval/metrics.h and evaluator.h).

#include <QString>
#include <string>

namespace reco::ui {

/// A metric name taken apart: "sampled_ndcg@10" -> {family "ndcg", k 10, sampled true}.
struct MetricParts {
  QString family;        ///< "ndcg", "auc", "avg_popularity"
  int k = 0;             ///< 0 when the metric has no cut-off
  bool sampled = false;  ///< ranked against sampled negatives, not the whole catalogue
};
MetricParts parseMetric(const QString& metric);

/// A short column label: "precision@10", "avg popularity@10", "hit@10 (sampled)". Every
/// sampled metric's label says "sampled".
QString metricLabel(const QString& metric);
inline QString metricLabel(const std::string& metric) {
  return metricLabel(QString::fromStdString(metric));
}

/// Rich-text tooltip: the label in bold, what it measures, and "Higher is better." or
/// "Lower is better." (core/training/comparison.h lowerIsBetter decides).
QString metricHelp(const QString& metric);
inline QString metricHelp(const std::string& metric) {
  return metricHelp(QString::fromStdString(metric));
}

/// Decimals a metric reads well with: 1 for avg_popularity, 4 otherwise.
int metricDecimals(const QString& metric);

}  // namespace reco::ui
