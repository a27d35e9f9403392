#include "ui/plots/tradeoff_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/plots/compare_plot_support.h"
#include "ui/plots/plot_frame.h"

namespace reco::ui {

namespace {

/// What an axis title adds to the metric: its interval, or that it has none.
QString intervalNote(const QString& metric) {
  return reco::isPerUserMetric(toStdString(metric)) ? QStringLiteral("mean, 95% CI")
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
  drawn_.clear();
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
  labelFont.setPointSizeF(8.5 * plotTextScale());
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
    struct Placed {
      QPointF at;
      QStringList names;
      QString mark;
      QCPItemText* text;
    };
    std::vector<Placed> placed;
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

      // The mark of the test against the plain run, as in the comparison table.
      const QString mark = at.yMark > 0   ? QStringLiteral(" ▲")
                           : at.yMark < 0 ? QStringLiteral(" ▼")
                                          : QString();
      // Points at one place (the same lists for several values: MMR by category picks the
      // same items for every λ below 0.5) share one label, "λ=0, 0.1, 0.3".
      const auto same = std::find_if(placed.begin(), placed.end(), [&](const Placed& p) {
        return std::abs(p.at.x() - px) <= 1e-12 * std::max(1.0, std::abs(px)) &&
               std::abs(p.at.y() - py) <= 1e-12 * std::max(1.0, std::abs(py));
      });
      if (same != placed.end()) {
        const int equals = int(label.indexOf(QLatin1Char('=')));
        const bool sameSymbol =
            equals > 0 && same->names.front().startsWith(label.left(equals + 1));
        same->names << (sameSymbol ? label.mid(equals + 1) : label);
        same->text->setText(same->names.join(QStringLiteral(", ")) + same->mark);
      } else {
        auto* text = new QCPItemText(plot_);
        text->position->setAxes(plot_->xAxis, plot_->yAxis);
        text->position->setCoords(px, py);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        text->setPadding(QMargins(7, 0, 7, 3));
        text->setFont(labelFont);
        text->setColor(color.darker(130));
        text->setText(label + mark);
        placed.push_back({QPointF(px, py), {label}, mark, text});
      }
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
    QStringList drawn;
    for (const auto& p : placed) drawn << p.text->text();
    drawn_ << drawn;
    points_ << points;
    errors_ << errors;
  }
  if (minX > maxX) {
    showNote(QStringLiteral("No re-ranked run stored both %1 and %2 (a run evaluated at other "
                            "cut-offs, or a dataset without categories for ild).")
                 .arg(metricLabel(xMetric), metricLabel(yMetric)));
    return;
  }
  // Labels of points in the right third go left of their point, so that none runs out of
  // the plot however long ("λ=0, 0.1, 0.3, 0.5 ▼").
  const double xSpan = std::max(maxX - minX, std::max(1e-3, std::abs(maxX) * 0.05));
  for (int i = 0; i < plot_->itemCount(); ++i)
    if (auto* text = qobject_cast<QCPItemText*>(plot_->item(i));
        text && text->position->key() > maxX - xSpan / 3)
      text->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
  plot_->xAxis->setRange(minX - 0.12 * xSpan, maxX + 0.12 * xSpan);
  const double ySpan = std::max(high - low, std::max(1e-4, std::abs(high) * 0.02));
  plot_->yAxis->setRange(low - 0.1 * ySpan, high + 0.15 * ySpan);
  // Short titles (the y axis may be 200 pixels tall); the tooltip says the rest.
  plot_->xAxis->setLabel(
      QStringLiteral("%1  (%2)").arg(metricLabel(xMetric), intervalNote(xMetric)));
  plot_->yAxis->setLabel(
      QStringLiteral("%1  (%2)").arg(metricLabel(yMetric), intervalNote(yMetric)));
  plot_->setToolTip(
      QStringLiteral("<p>Each point is a run: the plain run (square) and its re-ranked runs, "
                     "joined in the order of the swept value. y: %1, the mean over users with "
                     "its 95% confidence interval (%2). x: %3 (%4)%5.</p><p>▲/▼: significantly "
                     "better/worse than the plain run (paired test, Holm-corrected).</p>")
          .arg(metricLabel(yMetric), direction(yMetric), metricLabel(xMetric), direction(xMetric),
               reco::isPerUserMetric(toStdString(xMetric))
                   ? QString()
                   : QStringLiteral(", one value per run over all lists: no interval")));
  title_->setText(QStringLiteral("%1 against %2").arg(metricLabel(yMetric), metricLabel(xMetric)));
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
