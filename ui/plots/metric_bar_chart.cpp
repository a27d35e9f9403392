#include "ui/plots/metric_bar_chart.h"

#include <qcustomplot.h>

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/plots/compare_plot_support.h"
#include "ui/plots/plot_frame.h"

namespace reco::ui {

namespace {
const QColor kBaselineColor(0x9a, 0xa6, 0xb4);
const QColor kBestOutline(0x1f, 0x27, 0x30);
constexpr int kMaxTickChars = 18;

QString elided(const QString& text, int chars = kMaxTickChars) {
  return text.size() > chars ? text.left(chars - 1) + QChar(0x2026) : text;
}

/// The run's name over its model, unless the run is simply named after it. A re-ranked
/// run ("ease + mmr(λ=0.3)") shows its base over its re-ranker instead; among many bars
/// (`chars` below kMaxTickChars), over the re-ranker's parameters only ("λ=0.3"), so that
/// a sweep's bars stay told apart and their names within their bar.
QString tickLabel(const reco::storage::RunInfo& run, int chars) {
  const QString name = toQString(run.name);
  const bool crowded = chars < kMaxTickChars;
  const auto plus = name.indexOf(QStringLiteral(" + "));
  if (plus > 0) {
    QString reranker = name.mid(plus + 1);
    static const QRegularExpression kCall(QStringLiteral("^\\+ \\w+\\((.*)\\)$"));
    if (const auto match = kCall.match(reranker); crowded && match.hasMatch())
      reranker = match.captured(1);
    return elided(name.left(plus), chars) + QLatin1Char('\n') + elided(reranker, chars);
  }
  if (run.name == run.model) return elided(name, chars);
  return elided(name, chars) + QLatin1Char('\n') + elided(toQString(run.model), chars);
}

/// One series of bars with its error bars, sharing the key axis with the others.
struct Series {
  QCPBars* bars = nullptr;
  QCPErrorBars* errors = nullptr;
  QVector<double> keys, values, minus, plus;
};

Series makeSeries(QCustomPlot* plot, const QString& name, const QColor& color) {
  Series s;
  s.bars = new QCPBars(plot->xAxis, plot->yAxis);
  s.bars->setName(name);
  s.bars->setWidth(0.6);
  s.bars->setPen(QPen(color.darker(115)));
  s.bars->setBrush(color);
  s.errors = new QCPErrorBars(plot->xAxis, plot->yAxis);
  s.errors->removeFromLegend();
  s.errors->setPen(QPen(kPlotTextColor, 1.3));
  s.errors->setWhiskerWidth(10);
  s.errors->setSymbolGap(0);
  s.errors->setDataPlottable(s.bars);
  return s;
}

}  // namespace

MetricBarChart::MetricBarChart(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("metricBarPlot"), 220)),
      frame_(this, plot_, QStringLiteral("chartNote")) {
  title_ = styleComparePlot(plot_, font());
  plot_->xAxis->grid()->setVisible(false);
  plot_->xAxis->setTickLength(0, 4);
  showNote(QStringLiteral("No comparison yet."));
}

void MetricBarChart::showNote(const QString& note) {
  plot_->clearPlottables();
  plot_->clearItems();
  barCount_ = 0;
  errorBarCount_ = 0;
  frame_.showNote(note);
}

QString MetricBarChart::title() const {
  return title_->text();
}

void MetricBarChart::setComparison(const std::shared_ptr<const reco::Comparison>& comparison,
                                   const QString& metric) {
  plot_->clearPlottables();
  plot_->clearItems();
  barCount_ = 0;
  errorBarCount_ = 0;
  if (!comparison) {
    showNote(QStringLiteral("No comparison yet."));
    return;
  }
  const std::string name = toStdString(metric);
  const auto best = comparison->bestRun(name);
  Series baseline =
      makeSeries(plot_, QStringLiteral("baseline (%1)").arg(toQString(comparison->baseline.name)),
                 kBaselineColor);
  Series others = makeSeries(plot_, QStringLiteral("compared runs"), runColor(0));
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  // Past this many bars 18-character names under each bar run into each other (a sweep of
  // re-ranked runs makes a dozen): shorter ones then.
  constexpr int kMaxUprightBars = 7;
  const auto bars =
      std::count_if(comparison->runs.begin(), comparison->runs.end(), [&](const auto& run) {
        const auto* m = run.metric(name);
        return m && std::isfinite(m->mean);
      });
  const int tickChars = bars > 12 ? 7 : bars > kMaxUprightBars ? 9 : kMaxTickChars;
  double low = 0, high = 0;
  bool anyCi = false;
  QFont valueFont = font();
  valueFont.setPointSizeF(8.5 * plotTextScale());
  for (std::size_t r = 0; r < comparison->runs.size(); ++r) {
    const auto& run = comparison->runs[r];
    const auto* m = run.metric(name);
    if (!m || !std::isfinite(m->mean)) continue;
    const double key = double(barCount_ + 1);
    ++barCount_;
    ticker->addTick(key, tickLabel(run.run, tickChars));
    Series& s = run.isBaseline ? baseline : others;
    s.keys << key;
    s.values << m->mean;
    const bool hasCi =
        m->ciLow && m->ciHigh && std::isfinite(*m->ciLow) && std::isfinite(*m->ciHigh);
    s.minus << (hasCi ? m->mean - *m->ciLow : 0.0);
    s.plus << (hasCi ? *m->ciHigh - m->mean : 0.0);
    if (hasCi) {
      ++errorBarCount_;
      anyCi = true;
    }
    low = std::min(low, hasCi ? *m->ciLow : m->mean);
    high = std::max(high, hasCi ? *m->ciHigh : m->mean);

    auto* label = new QCPItemText(plot_);
    label->position->setAxes(plot_->xAxis, plot_->yAxis);
    label->position->setCoords(key, hasCi ? *m->ciHigh : m->mean);
    label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    label->setPadding(QMargins(0, 0, 0, 3));
    label->setFont(valueFont);
    label->setColor(kPlotTextColor);
    QString text = formatNumber(m->mean, metricDecimals(metric));
    if (best == r) text += QStringLiteral(" ★");
    label->setText(text);
    if (best == r) {
      // The best run: outlined, on top of its series' colour.
      auto* outline = new QCPItemRect(plot_);
      outline->topLeft->setCoords(key - 0.3, m->mean);
      outline->bottomRight->setCoords(key + 0.3, 0);
      outline->setPen(QPen(kBestOutline, 2));
      outline->setBrush(Qt::NoBrush);
    }
  }
  for (Series* s : {&baseline, &others}) {
    s->bars->setData(s->keys, s->values, true);
    s->errors->setData(s->minus, s->plus);
    if (s->keys.isEmpty()) {
      s->bars->removeFromLegend();
      s->errors->setVisible(false);
    }
  }
  if (barCount_ == 0) {
    showNote(QStringLiteral("No compared run has %1 stored (evaluate the runs at this K).")
                 .arg(metricLabel(metric)));
    return;
  }
  if (anyCi) {
    // A legend entry for the whiskers: an invisible graph drawn as an error-bar glyph.
    auto* ciKey = new QCPGraph(plot_->xAxis, plot_->yAxis);
    ciKey->setName(QStringLiteral("95% confidence interval"));
    ciKey->setPen(QPen(kPlotTextColor, 1.3));
    ciKey->setLineStyle(QCPGraph::lsNone);
    ciKey->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssPlus, kPlotTextColor, 9));
  }
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(0.4, double(barCount_) + 0.6);
  plot_->xAxis->setLabel(QString());
  plot_->yAxis->setLabel(metricLabel(metric) + (reco::lowerIsBetter(name)
                                                    ? QStringLiteral("  (lower is better)")
                                                    : QStringLiteral("  (higher is better)")));
  const double span = std::max(high - low, 1e-9);
  plot_->yAxis->setRange(std::min(0.0, low - 0.05 * span), high + 0.18 * span);
  title_->setText(
      QStringLiteral("%1 per run%2")
          .arg(metricLabel(metric), anyCi ? QStringLiteral(" (mean with 95% CI)") : QString()));
  frame_.showPlot();
  plot_->replot();
}

bool MetricBarChart::save(const QString& path, QString* error) const {
  if (barCount_ == 0) {
    if (error) *error = QStringLiteral("There is no chart to export.");
    return false;
  }
  return saveComparePlot(plot_, path, error);
}

}  // namespace reco::ui
