#include "ui/plots/price_band_chart.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
const QColor kBarColor(0x7d, 0x9c, 0xc4);
const QColor kBandColor(0xf2, 0xc9, 0x7d, 90);
const QColor kMedianColor(0xb2, 0x6b, 0x00);

/// The plot page: the caption over the plot.
QWidget* captionedPage(QLabel* caption, QCustomPlot* plot) {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(caption);
  layout->addWidget(plot, 1);
  return page;
}
}  // namespace

PriceBandChart::PriceBandChart(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(nullptr, QStringLiteral("pricePlot"), 150)),
      caption_(new QLabel),
      frame_(this, captionedPage(caption_, plot_), QStringLiteral("chartNote")) {
  styleAxes({plot_->xAxis, plot_->yAxis}, font(), {});
  fitTickCountToLength(plot_, plot_->xAxis, 55);  // "1,000" and its neighbours apart at any width
  plot_->xAxis->grid()->setVisible(false);
  plot_->xAxis->setLabel(QStringLiteral("price"));
  plot_->yAxis->setLabel(QStringLiteral("interactions"));
  plot_->yAxis->setNumberFormat(QStringLiteral("f"));
  plot_->yAxis->setNumberPrecision(0);
  // The legend in one row under the axis, where it never hides a bar.
  QFont legendFont = font();
  legendFont.setPointSizeF(9);
  plot_->legend->setVisible(true);
  plot_->legend->setFont(legendFont);
  plot_->legend->setBorderPen(Qt::NoPen);
  plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot_->legend->setWrap(2);  // two entries a row: the chart is often a third of a panel wide
  plot_->axisRect()->insetLayout()->take(plot_->legend);
  plot_->plotLayout()->addElement(1, 0, plot_->legend);
  plot_->plotLayout()->setRowStretchFactor(1, 0.001);

  caption_->setObjectName(QStringLiteral("priceCaption"));
  caption_->setWordWrap(true);
  caption_->setToolTip(
      QStringLiteral("Prices of the items in the user's history, one per interaction: the lowest, "
                     "the median (half paid less), and the highest; the shaded band holds the "
                     "middle half (lower to upper quartile)"));
  clear();
}

QString PriceBandChart::caption() const {
  return caption_->text();
}

void PriceBandChart::clear(const QString& note) {
  plot_->clearPlottables();
  plot_->clearItems();
  binCount_ = 0;
  caption_->clear();
  frame_.showNote(note.isEmpty() ? emptyNote_ : note);
}

void PriceBandChart::setCounting(const QString& unit, const QString& captionToolTip,
                                 const QString& emptyNote) {
  unit_ = unit;
  emptyNote_ = emptyNote;
  plot_->yAxis->setLabel(unit);
  caption_->setToolTip(captionToolTip);
  if (binCount_ == 0) frame_.showNote(emptyNote_);
  plot_->replot();
}

void PriceBandChart::setPrices(const std::vector<double>& sortedPrices,
                               const std::optional<reco::storage::PriceBand>& band) {
  if (!band || sortedPrices.empty()) {
    clear(
        QStringLiteral("No prices: the items of this user have no price "
                       "(import an item catalogue with a price column to see the band)."));
    return;
  }
  plot_->clearPlottables();
  plot_->clearItems();
  const double low = band->min, high = band->max;
  // Shop prices are heavy-tailed: bins of equal width on a log scale when they span more
  // than a factor of 20, so that the cheap items are not all in the first bin.
  const bool logScale = low > 0 && high / low >= 20;
  const auto forward = [&](double price) { return logScale ? std::log10(price) : price; };
  const auto back = [&](double position) { return logScale ? std::pow(10.0, position) : position; };
  const int bins =
      high > low ? std::clamp(int(std::ceil(std::sqrt(double(sortedPrices.size())))), 1, kMaxBins)
                 : 1;
  const double from = forward(low), to = forward(high);
  const double step = high > low ? (to - from) / bins : 1.0;
  QVector<double> keys(bins), counts(bins, 0.0);
  for (int b = 0; b < bins; ++b) keys[b] = high > low ? back(from + step * (b + 0.5)) : low;
  for (const double price : sortedPrices) {
    const int b = high > low ? std::clamp(int((forward(price) - from) / step), 0, bins - 1) : 0;
    counts[b] += 1;
  }
  const double top = *std::max_element(counts.begin(), counts.end()) * 1.15;

  // The middle half (lower to upper quartile) as a shaded band behind the bars.
  auto* quartiles = new QCPGraph(plot_->xAxis, plot_->yAxis);
  quartiles->setName(QStringLiteral("Q1–Q3"));
  quartiles->setPen(Qt::NoPen);
  quartiles->setBrush(kBandColor);
  quartiles->setData({band->q25, band->q25, band->q75, band->q75}, {0, top, top, 0}, true);

  auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars->setName(unit_);
  bars->setPen(QPen(Qt::white));
  bars->setBrush(kBarColor);
  // Equal widths on screen whatever the scale.
  bars->setWidthType(QCPBars::wtAxisRectRatio);
  bars->setWidth(0.8 / (bins + 1.4));
  bars->setData(keys, counts, true);
  binCount_ = bins;

  auto* median = new QCPGraph(plot_->xAxis, plot_->yAxis);
  median->setName(QStringLiteral("median"));
  median->setPen(QPen(kMedianColor, 2, Qt::DashLine));
  median->setData({band->median, band->median}, {0, top});

  if (logScale) {
    plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot_->xAxis->setNumberFormat(QStringLiteral("gb"));
  } else {
    plot_->xAxis->setScaleType(QCPAxis::stLinear);
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->xAxis->setNumberFormat(QStringLiteral("g"));
  }
  plot_->xAxis->setLabel(logScale ? QStringLiteral("price (log scale)") : QStringLiteral("price"));
  const double margin = (high > low ? step : 1.0) * 0.7;
  plot_->xAxis->setRange(high > low ? back(from - margin) : low - margin,
                         high > low ? back(to + margin) : low + margin);
  plot_->yAxis->setRange(0, top);
  caption_->setText(QStringLiteral("min %1 · median %2 · max %3")
                        .arg(formatNumber(band->min, 2), formatNumber(band->median, 2),
                             formatNumber(band->max, 2)));
  plot_->setToolTip(QStringLiteral("%1 %2 with a price; the middle half from %3 to %4")
                        .arg(formatCount(std::int64_t(band->count)), unit_,
                             formatNumber(band->q25, 2), formatNumber(band->q75, 2)));
  frame_.showPlot();
  plot_->replot();
}

}  // namespace reco::ui
