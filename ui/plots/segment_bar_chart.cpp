#include "ui/plots/segment_bar_chart.h"

#include <qcustomplot.h>

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/models/segment_table_model.h"
#include "ui/plots/compare_plot_support.h"

namespace reco::ui {

namespace {

/// A short tick label: "activity Q1 (1-17 interactions)" -> "Q1: 1-17", "cold users (<= 5
/// interactions)" -> "cold: ≤ 5", "popular head items (recall@10)" -> "popular head"; the
/// axis label says what the numbers count.
QString tickLabel(const SegmentTableModel::Row& row) {
  static const QRegularExpression range(QStringLiteral("\\(([^ )]+)"));
  const QRegularExpressionMatch match = range.match(row.name);
  const QString counts = match.hasMatch() ? match.captured(1) : QString();
  if (row.group == QStringLiteral("activity"))
    return row.name.section(QLatin1Char(' '), 1, 1) + QStringLiteral(": ") + counts;
  if (row.group == QStringLiteral("cold"))
    return QStringLiteral("cold: ≤ ") +
           row.name.section(QStringLiteral("<= "), 1).section(QLatin1Char(' '), 0, 0);
  return row.name.section(QStringLiteral(" ("), 0, 0).remove(QStringLiteral(" items"));
}
}  // namespace

SegmentBarChart::SegmentBarChart(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("segmentBarPlot"), 220)),
      frame_(this, plot_, QStringLiteral("chartNote")) {
  title_ = styleComparePlot(plot_, font());
  plot_->xAxis->grid()->setVisible(false);
  showNote(QStringLiteral("No comparison yet."));
}

QString SegmentBarChart::title() const {
  return title_->text();
}

void SegmentBarChart::showNote(const QString& note) {
  plot_->clearPlottables();
  plot_->clearItems();
  barCount_ = 0;
  frame_.showNote(note);
}

void SegmentBarChart::setSegments(const SegmentTableModel& segments) {
  plot_->clearPlottables();
  plot_->clearItems();
  barCount_ = 0;
  const auto& rows = segments.rows();
  const QStringList runs = segments.runNames();
  if (rows.empty() || runs.isEmpty()) {
    showNote(QStringLiteral("No segments: the compared runs have no per-user values of %1.")
                 .arg(metricLabel(segments.metric())));
    return;
  }
  auto* group = new QCPBarsGroup(plot_);
  group->setSpacing(1);
  const double groupWidth = 0.8;
  const double barWidth = groupWidth / double(runs.size());
  double low = 0, high = 0;
  QString itemMetric;
  for (int r = 0; r < runs.size(); ++r) {
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setName(runs[r]);
    bars->setWidth(barWidth);
    bars->setPen(QPen(runColor(r).darker(115)));
    bars->setBrush(runColor(r));
    bars->setBarsGroup(group);
    auto* errors = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
    errors->removeFromLegend();
    errors->setPen(QPen(kPlotTextColor, 1.1));
    errors->setWhiskerWidth(5);
    errors->setSymbolGap(0);
    errors->setDataPlottable(bars);
    QVector<double> keys, values, minus, plus;
    for (std::size_t s = 0; s < rows.size(); ++s) {
      const auto& value = rows[s].values[std::size_t(r)];
      if (rows[s].group == QStringLiteral("items")) itemMetric = rows[s].metric;
      if (!value || !std::isfinite(value->mean)) continue;
      const bool hasCi = std::isfinite(value->ciLow) && std::isfinite(value->ciHigh);
      keys << double(s + 1);
      values << value->mean;
      minus << (hasCi ? value->mean - value->ciLow : 0.0);
      plus << (hasCi ? value->ciHigh - value->mean : 0.0);
      low = std::min(low, hasCi ? value->ciLow : value->mean);
      high = std::max(high, hasCi ? value->ciHigh : value->mean);
      ++barCount_;
    }
    bars->setData(keys, values, true);
    errors->setData(minus, plus);
  }
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (std::size_t s = 0; s < rows.size(); ++s) ticker->addTick(double(s + 1), tickLabel(rows[s]));
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setTickLength(0, 0);
  plot_->xAxis->setRange(0.45, double(rows.size()) + 0.55);
  plot_->xAxis->setLabel(QStringLiteral(
      "users by training interactions (activity quartiles, cold users) · test items by "
      "popularity (recall)"));
  const double span = std::max(high - low, 1e-6);
  plot_->yAxis->setRange(std::min(0.0, low), high + 0.25 * span);
  plot_->yAxis->setLabel(QStringLiteral("mean with 95% CI"));
  QString title = QStringLiteral("%1 by user segment").arg(metricLabel(segments.metric()));
  if (!itemMetric.isEmpty())
    title += QStringLiteral("; recall@%1 on popular-head and long-tail items")
                 .arg(parseMetric(itemMetric).k);
  title_->setText(title);
  frame_.showPlot();
  plot_->replot();
}

bool SegmentBarChart::save(const QString& path, QString* error) const {
  if (barCount_ == 0) {
    if (error) *error = QStringLiteral("There is no chart to export.");
    return false;
  }
  return saveComparePlot(plot_, path, error);
}

}  // namespace reco::ui
