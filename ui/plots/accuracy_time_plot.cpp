#include "ui/plots/accuracy_time_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/plots/compare_plot_support.h"
#include "ui/plots/plot_frame.h"

namespace reco::ui {

AccuracyTimePlot::AccuracyTimePlot(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("accuracyTimePlot"), 220)),
      frame_(this, plot_, QStringLiteral("chartNote")) {
  title_ = styleComparePlot(plot_, font());
  plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
  QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
  ticker->setLogBase(10);
  ticker->setSubTickCount(8);
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setNumberFormat(QStringLiteral("gb"));
  plot_->xAxis->setLabel(QStringLiteral("training time (seconds, log scale)"));
  showNote(QStringLiteral("No comparison yet."));
}

QString AccuracyTimePlot::title() const {
  return title_->text();
}

bool AccuracyTimePlot::xAxisIsLogarithmic() const {
  return plot_->xAxis->scaleType() == QCPAxis::stLogarithmic;
}

void AccuracyTimePlot::showNote(const QString& note) {
  plot_->clearPlottables();
  plot_->clearItems();
  labels_.clear();
  frame_.showNote(note);
}

void AccuracyTimePlot::setComparison(const std::shared_ptr<const reco::Comparison>& comparison,
                                     const QString& metric) {
  plot_->clearPlottables();
  plot_->clearItems();
  labels_.clear();
  if (!comparison) {
    showNote(QStringLiteral("No comparison yet."));
    return;
  }
  const std::string name = toStdString(metric);
  auto* points = new QCPGraph(plot_->xAxis, plot_->yAxis);
  points->setName(QStringLiteral("run (mean with 95% CI)"));
  points->setLineStyle(QCPGraph::lsNone);
  points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, runColor(0), runColor(0), 10));
  auto* errors = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
  errors->removeFromLegend();
  errors->setPen(QPen(runColor(0).darker(120), 1.2));
  errors->setWhiskerWidth(8);
  errors->setDataPlottable(points);

  QVector<double> xs, ys, minus, plus;
  double minX = 1e300, maxX = 0, low = 1e300, high = -1e300;
  QFont labelFont = font();
  labelFont.setPointSizeF(9 * plotTextScale());
  int reranked = 0;
  for (const auto& row : comparison->runs) {
    // A re-ranked run trained nothing (its base did): it is on the Trade-off tab instead.
    if (row.run.model == "rerank") {
      ++reranked;
      continue;
    }
    const auto* m = row.metric(name);
    if (!m || !std::isfinite(m->mean) || !row.run.trainSeconds) continue;
    const double x = std::max(*row.run.trainSeconds, kMinSeconds);
    const bool hasCi =
        m->ciLow && m->ciHigh && std::isfinite(*m->ciLow) && std::isfinite(*m->ciHigh);
    xs << x;
    ys << m->mean;
    minus << (hasCi ? m->mean - *m->ciLow : 0.0);
    plus << (hasCi ? *m->ciHigh - m->mean : 0.0);
    minX = std::min(minX, x);
    maxX = std::max(maxX, x);
    low = std::min(low, hasCi ? *m->ciLow : m->mean);
    high = std::max(high, hasCi ? *m->ciHigh : m->mean);
    const QString label = toQString(row.run.name);
    labels_ << label;
    auto* text = new QCPItemText(plot_);
    text->position->setAxes(plot_->xAxis, plot_->yAxis);
    text->position->setCoords(x, m->mean);
    text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    text->setPadding(QMargins(8, 0, 0, 4));
    text->setFont(labelFont);
    text->setColor(kPlotTextColor);
    QString shown = row.isBaseline ? label + QStringLiteral(" (baseline)") : label;
    if (*row.run.trainSeconds < kMinSeconds) shown += QStringLiteral(", < 1 ms");
    text->setText(shown);
  }
  if (xs.isEmpty()) {
    showNote(QStringLiteral("No compared run has both %1 and a training time%2.")
                 .arg(metricLabel(metric),
                      reranked > 0 ? QStringLiteral(" (re-ranked runs train nothing: see the "
                                                    "Trade-off tab)")
                                   : QString()));
    return;
  }
  // setData sorts by x; the error bars follow the points' order, so sort all four together.
  std::vector<int> order(std::size_t(xs.size()));
  for (int i = 0; i < xs.size(); ++i) order[std::size_t(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return xs[a] < xs[b]; });
  QVector<double> sx, sy, sm, sp;
  for (const int i : order) {
    sx << xs[i];
    sy << ys[i];
    sm << minus[i];
    sp << plus[i];
  }
  points->setData(sx, sy, true);
  errors->setData(sm, sp);

  // A decade of room on the left and two on the right (for the labels).
  plot_->xAxis->setRange(minX / 3.0, maxX * 12.0);
  const double span = std::max(high - low, 1e-6);
  plot_->yAxis->setRange(low - 0.12 * span, high + 0.2 * span);
  plot_->yAxis->setLabel(metricLabel(metric) + (reco::lowerIsBetter(name)
                                                    ? QStringLiteral("  (lower is better)")
                                                    : QStringLiteral("  (higher is better)")));
  title_->setText(QStringLiteral("%1 against training time%2")
                      .arg(metricLabel(metric),
                           reranked > 0
                               ? QStringLiteral(" (%1 re-ranked runs: see Trade-off)").arg(reranked)
                               : QString()));
  frame_.showPlot();
  plot_->replot();
}

bool AccuracyTimePlot::save(const QString& path, QString* error) const {
  if (labels_.isEmpty()) {
    if (error) *error = QStringLiteral("There is no chart to export.");
    return false;
  }
  return saveComparePlot(plot_, path, error);
}

}  // namespace reco::ui
