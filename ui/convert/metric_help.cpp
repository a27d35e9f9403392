#include "ui/convert/metric_help.h"

#include <QHash>
#include <QRegularExpression>

#include "core/training/comparison.h"

namespace reco::ui {

namespace {

/// What each metric family measures, with "K" standing for the cut-off.
const QHash<QString, QString>& familyHelp() {
  static const QHash<QString, QString> help = {
      {QStringLiteral("precision"),
       QStringLiteral(
           "Share of the top K recommendations that are in the user's held-out test items "
           "(hits / K), averaged over the evaluated users.")},
      {QStringLiteral("recall"),
       QStringLiteral(
           "Share of the user's held-out test items that appear in the top K (hits / test items), "
           "averaged over the evaluated users.")},
      {QStringLiteral("ndcg"),
       QStringLiteral(
           "Normalised discounted cumulative gain: hits near the top of the list count more "
           "(1 / log2(rank + 1)), divided by the best possible for the user's test items; 0 to "
           "1.")},
      {QStringLiteral("map"),
       QStringLiteral("Mean average precision: the precision at each hit's rank, averaged over "
                      "min(test items, K); rewards putting all hits early.")},
      {QStringLiteral("mrr"), QStringLiteral("Mean reciprocal rank: 1 / the rank of the first hit "
                                             "within the top K (0 without a hit).")},
      {QStringLiteral("hit"),
       QStringLiteral("Hit rate: share of users with at least one test item in their top K.")},
      {QStringLiteral("auc"),
       QStringLiteral(
           "Area under the ROC curve over the whole catalogue: the chance that a test item scores "
           "above an item the user never touched (0.5 is random, 1 perfect). Independent of K.")},
      {QStringLiteral("recall_head"),
       QStringLiteral(
           "Recall restricted to popular 'head' test items: the most popular items that together "
           "hold 20% of the training interactions.")},
      {QStringLiteral("recall_tail"),
       QStringLiteral(
           "Recall restricted to long-tail test items: every item outside the popular head. "
           "Shows whether a model finds what popularity alone would miss.")},
      {QStringLiteral("coverage"),
       QStringLiteral(
           "Catalogue coverage: share of all items that appear in at least one user's top K. "
           "A catalogue metric: one value per run, no confidence interval.")},
      {QStringLiteral("novelty"),
       QStringLiteral("Mean self-information -log2(share of users who know the item) of the "
                      "recommended items: "
                      "higher means less obvious recommendations. One value per run.")},
      {QStringLiteral("gini"),
       QStringLiteral(
           "Gini index of how often each item is recommended in the top K: 0 when every item is "
           "shown equally often, near 1 when a few items take everything. One value per run.")},
      {QStringLiteral("avg_popularity"),
       QStringLiteral(
           "Average popularity (training users) of the recommended items: a measure of popularity "
           "bias. One value per run.")},
      {QStringLiteral("ild_category"),
       QStringLiteral(
           "Intra-list diversity by category: share of item pairs in a top-K list that belong to "
           "different categories, averaged over lists. One value per run.")},
      {QStringLiteral("ild_embedding"),
       QStringLiteral(
           "Intra-list diversity by embedding: mean 1 - cosine similarity of the model's item "
           "embeddings over the pairs of a top-K list. One value per run.")},
      {QStringLiteral("rmse"),
       QStringLiteral(
           "Root mean squared error of predicted against held-out ratings (rating models only).")},
      {QStringLiteral("mae"),
       QStringLiteral(
           "Mean absolute error of predicted against held-out ratings (rating models only).")},
  };
  return help;
}

}  // namespace

MetricParts parseMetric(const QString& metric) {
  MetricParts parts;
  QString rest = metric;
  if (rest.startsWith(QStringLiteral("sampled_"))) {
    parts.sampled = true;
    rest = rest.mid(8);
  }
  const qsizetype at = rest.lastIndexOf(QLatin1Char('@'));
  if (at >= 0) {
    bool ok = false;
    const int k = rest.mid(at + 1).toInt(&ok);
    if (ok) {
      parts.k = k;
      rest = rest.left(at);
    }
  }
  parts.family = rest;
  return parts;
}

QString metricLabel(const QString& metric) {
  const MetricParts parts = parseMetric(metric);
  QString label = parts.family;
  label.replace(QLatin1Char('_'), QLatin1Char(' '));
  if (parts.k > 0) label += QStringLiteral("@%1").arg(parts.k);
  if (parts.sampled) label += QStringLiteral(" (sampled)");
  return label;
}

QString metricHelp(const QString& metric) {
  const MetricParts parts = parseMetric(metric);
  QString text = QStringLiteral("<b>%1</b><br>").arg(metricLabel(metric).toHtmlEscaped());
  const auto found = familyHelp().find(parts.family);
  text += found != familyHelp().end() ? *found : QStringLiteral("A metric stored with the run.");
  // "the top K" reads "the top 10" for the metric at hand.
  if (parts.k > 0)
    text.replace(QRegularExpression(QStringLiteral("\\bK\\b")), QString::number(parts.k));
  if (parts.sampled)
    text += QStringLiteral(
        "<br><i>Sampled:</i> each test item is ranked only against a sample of negative items, "
        "not the whole catalogue, so the value is optimistic and not comparable with the "
        "full-ranking metrics.");
  const bool perUser = isPerUserMetric(metric.toStdString());
  if (perUser)
    text += QStringLiteral(
        "<br>Mean over users with a 95% confidence interval; tested per user against the "
        "baseline.");
  text += lowerIsBetter(metric.toStdString()) ? QStringLiteral("<br><b>Lower is better.</b>")
                                              : QStringLiteral("<br><b>Higher is better.</b>");
  return text;
}

int metricDecimals(const QString& metric) {
  return parseMetric(metric).family == QStringLiteral("avg_popularity") ? 1 : 4;
}

}  // namespace reco::ui
