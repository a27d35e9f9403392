#include "ui/plots/tradeoff_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/plots/compare_plot_support.h"

namespace reco::ui {

namespace {

/// "(catalogue metric: no CI)" for the metrics stored without per-user values.
QString intervalNote(const QString& metric) {
  return reco::isPerUserMetric(toStdString(metric)) ? QStringLiteral("mean with 95% CI")
                                                    : QStringLiteral("catalogue metric: no CI");
}

QString direction(const QString& metric) {
  return reco::lowerIsBetter(toStdString(metric)) ? QStringLiteral("lower is better")
                                                  : QStringLiteral("higher is better");
}

}  // namespace

TradeoffPlot::TradeoffPlot(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("tradeoffPlot"), 220)),
      frame_(this, plot_, QStringLiteral("chartNote")) {
  title_ = styleComparePlot(plot_, font());
  fitTickCountToLength(plot_, plot_->xAxis, 90);
  fitTickCountToLength(plot_, plot_->yAxis, 45);
  showNote(QStringLiteral("No comparison yet."));
}

QString TradeoffPlot::title() const {
  return title_->text();
}

QString TradeoffPlot::xAxisLabel() const {
  return plot_->xAxis->label();
}

QString TradeoffPlot::yAxisLabel() const {
  return plot_->yAxis->label();
}

void TradeoffPlot::clear() {
  plot_->clearPlottables();
  plot_->clearItems();
  curveNames_.clear();
  labels_.clear();
  points_.clear();
  errors_.clear();
}

void TradeoffPlot::showNote(const QString& note) {
  clear();
  frame_.showNote(note);
}

void TradeoffPlot::setTradeoff(const std::shared_ptr<const reco::Tradeoff>& tradeoff,
                               const QString& xMetric, const QString& yMetric) {
  clear();
  if (!tradeoff || tradeoff->curves.empty()) {
    showNote(QStringLiteral(
        "No re-ranked runs among the compared runs of this split. Press Re-rank… to apply a "
        "re-ranker (MMR, calibration, a popularity penalty, business rules) to a run, "
        "optionally sweeping λ or β; each curve then starts at its plain run."));
    return;
  }
  const std::string x = toStdString(xMetric), y = toStdString(yMetric);
  QFont labelFont = font();
  labelFont.setPointSizeF(8.5);
  double minX = 1e300, maxX = -1e300, low = 1e300, high = -1e300;
  bool plainInLegend = false;
  for (std::size_t c = 0; c < tradeoff->curves.size(); ++c) {
    const auto& curve = tradeoff->curves[c];
    const auto coords = reco::tradeoffCoordinates(curve, x, y);
    const QColor color = runColor(int(c));
    auto* line = new QCPCurve(plot_->xAxis, plot_->yAxis);
    line->setName(toQString(curve.curve.label));
    line->setPen(QPen(color, 1.6));
    line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 8));
    auto* bars = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
    bars->removeFromLegend();
    bars->setPen(QPen(color.darker(115), 1.1));
    bars->setWhiskerWidth(7);
    bars->setDataPlottable(line);
    QVector<double> ts, keys, values, minus, plus;
    QStringList labels;
    QVector<QPointF> points, errors;
    for (std::size_t i = 0; i < coords.size(); ++i) {
      const auto& point = curve.curve.points[i];
      const auto& at = coords[i];
      if (!at.x || !at.y || !std::isfinite(at.x->mean) || !std::isfinite(at.y->mean)) continue;
      const double px = at.x->mean, py = at.y->mean;
      const bool hasCi = at.y->ciLow && at.y->ciHigh && std::isfinite(*at.y->ciLow) &&
                         std::isfinite(*at.y->ciHigh);
      const double below = hasCi ? py - *at.y->ciLow : 0.0;
      const double above = hasCi ? *at.y->ciHigh - py : 0.0;
      ts << double(ts.size());
      keys << px;
      values << py;
      minus << below;
      plus << above;
      const QString label = toQString(point.label);
      labels << label;
      points << QPointF(px, py);
      errors << QPointF(below, above);
      minX = std::min(minX, px);
      maxX = std::max(maxX, px);
      low = std::min(low, py - below);
      high = std::max(high, py + above);

      auto* text = new QCPItemText(plot_);
      text->position->setAxes(plot_->xAxis, plot_->yAxis);
      text->position->setCoords(px, py);
      text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
      text->setPadding(QMargins(7, 0, 0, 3));
      text->setFont(labelFont);
      text->setColor(color.darker(130));
      // The mark of the test against the plain run, as in the comparison table.
      const QString mark = at.yMark > 0   ? QStringLiteral(" ▲")
                           : at.yMark < 0 ? QStringLiteral(" ▼")
                                          : QString();
      text->setText(label + mark);
      if (point.plain) {
        // The plain run: a hollow square around its disc; one legend entry for all curves.
        auto* plain = new QCPGraph(plot_->xAxis, plot_->yAxis);
        plain->setLineStyle(QCPGraph::lsNone);
        plain->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(kPlotTextColor, 1.6), Qt::NoBrush, 14));
        plain->setData({px}, {py});
        plain->setName(QStringLiteral("plain run (no re-ranking)"));
        if (plainInLegend) plain->removeFromLegend();
        plainInLegend = true;
      }
    }
    line->setData(ts, keys, values, true);
    bars->setData(minus, plus);
    curveNames_ << line->name();
    labels_ << labels;
    points_ << points;
    errors_ << errors;
  }
  if (minX > maxX) {
    showNote(QStringLiteral("No re-ranked run stored both %1 and %2 (a run evaluated at other "
                            "cut-offs, or a dataset without categories for ild).")
                 .arg(metricLabel(xMetric), metricLabel(yMetric)));
    return;
  }
  // Room on the right for the labels, some above for the top label.
  const double xSpan = std::max(maxX - minX, std::max(1e-3, std::abs(maxX) * 0.05));
  plot_->xAxis->setRange(minX - 0.08 * xSpan, maxX + 0.22 * xSpan);
  const double ySpan = std::max(high - low, std::max(1e-4, std::abs(high) * 0.02));
  plot_->yAxis->setRange(low - 0.1 * ySpan, high + 0.15 * ySpan);
  plot_->xAxis->setLabel(QStringLiteral("%1  (%2; %3)")
                             .arg(metricLabel(xMetric), intervalNote(xMetric), direction(xMetric)));
  plot_->yAxis->setLabel(QStringLiteral("%1  (%2; %3)")
                             .arg(metricLabel(yMetric), intervalNote(yMetric), direction(yMetric)));
  title_->setText(QStringLiteral("What re-ranking costs: %1 against %2")
                      .arg(metricLabel(yMetric), metricLabel(xMetric)));
  frame_.showPlot();
  plot_->replot();
}

bool TradeoffPlot::save(const QString& path, QString* error) const {
  if (curveNames_.isEmpty()) {
    if (error) *error = QStringLiteral("There is no chart to export.");
    return false;
  }
  return saveComparePlot(plot_, path, error);
}

}  // namespace reco::ui
