#include "ui/plots/category_bar_chart.h"

#include <qcustomplot.h>

#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

constexpr int kBarPixels = 24;      // height of one bar row
constexpr int kChromePixels = 56;   // axis, margins
constexpr int kMaxLabelChars = 38;  // longer category names are elided

const QColor kBarColor(0x4a, 0x7a, 0xb5);

QString categoryLabel(const std::string& category) {
  if (category.empty()) return QStringLiteral("(no category)");
  QString text = toQString(category);
  if (text.size() > kMaxLabelChars) text = text.left(kMaxLabelChars - 1) + QChar(0x2026);
  return text;
}

}  // namespace

CategoryBarChart::CategoryBarChart(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("categoryPlot"), kChromePixels + 3 * kBarPixels)),
      frame_(this, plot_, QStringLiteral("categoryNote")) {
  // The y axis has no label, so its label font changes nothing.
  styleAxes({plot_->xAxis, plot_->yAxis}, font(), {.tickPoints = 9.5, .labelPoints = 9.5});
  keepRoomForValueLabels(plot_);  // the value labels never run past the right edge
  fitTickCountToLength(plot_, plot_->xAxis, 60);
  plot_->yAxis->grid()->setVisible(false);
  plot_->yAxis->setTickLength(0, 0);
  plot_->yAxis->setTickLabelPadding(8);
  plot_->xAxis->setNumberFormat(QStringLiteral("f"));
  plot_->xAxis->setNumberPrecision(0);
  plot_->xAxis->setLabel(QStringLiteral("interactions"));
  clear();
}

void CategoryBarChart::clear() {
  plot_->clearPlottables();
  plot_->clearItems();
  barCount_ = 0;
  frame_.showNote(QStringLiteral("No dataset selected."));
}

void CategoryBarChart::setCategories(const std::vector<reco::CategoryShare>& categories,
                                     std::int64_t totalInteractions, int topN) {
  plot_->clearPlottables();
  plot_->clearItems();
  const int shown = std::min<int>(topN, int(categories.size()));
  const bool onlyUncategorised = categories.size() == 1 && categories.front().category.empty();
  if (shown == 0 || onlyUncategorised) {
    barCount_ = 0;
    frame_.showNote(
        QStringLiteral("No categories: the items of this dataset have no category "
                       "(import an item catalogue with a category column to see the mix)."));
    return;
  }
  barCount_ = shown;

  // The largest category gets the highest key, so that it is drawn at the top.
  QVector<double> keys;
  QVector<double> values;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  double maxValue = 0;
  for (int i = 0; i < shown; ++i) {
    const reco::CategoryShare& share = categories[std::size_t(i)];
    const double key = double(shown - i);
    keys << key;
    values << double(share.interactions);
    ticker->addTick(key, categoryLabel(share.category));
    maxValue = std::max(maxValue, double(share.interactions));
  }

  auto* bars = new QCPBars(plot_->yAxis, plot_->xAxis);
  bars->setWidth(0.7);
  bars->setPen(Qt::NoPen);
  bars->setBrush(kBarColor);
  bars->setData(keys, values, true);

  QFont valueFont = font();
  valueFont.setPointSizeF(9);
  for (int i = 0; i < shown; ++i) {
    const reco::CategoryShare& share = categories[std::size_t(i)];
    const double fraction =
        totalInteractions > 0 ? double(share.interactions) / double(totalInteractions) : 0.0;
    auto* label = new QCPItemText(plot_);
    label->setClipToAxisRect(false);
    label->position->setAxes(plot_->xAxis, plot_->yAxis);
    label->position->setCoords(values[i], keys[i]);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    label->setPadding(QMargins(6, 0, 0, 0));
    label->setFont(valueFont);
    label->setColor(kPlotTextColor);
    label->setText(
        QStringLiteral("%1 · %2").arg(formatCount(share.interactions), formatPercent(fraction)));
  }

  plot_->yAxis->setTicker(ticker);
  plot_->yAxis->setRange(0.4, double(shown) + 0.6);
  // Room to the right of the bars for their value labels: a first guess, fitted to the
  // labels' widths after each layout (keepRoomForValueLabels).
  plot_->xAxis->setRange(0, maxValue > 0 ? maxValue * 1.32 : 1.0);
  const int height = kChromePixels + shown * kBarPixels;
  plot_->setMinimumHeight(height);
  setMinimumHeight(height);
  frame_.showPlot();
  plot_->replot();
}

}  // namespace reco::ui
