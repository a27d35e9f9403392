#include "ui/plots/category_bar_chart.h"

#include <QLabel>
#include <QStackedLayout>

#include <algorithm>

#include <qcustomplot.h>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

constexpr int kBarPixels = 24;       // height of one bar row
constexpr int kChromePixels = 56;    // axis, margins
constexpr int kMaxLabelChars = 38;   // longer category names are elided

const QColor kBarColor(0x4a, 0x7a, 0xb5);
const QColor kTextColor(0x33, 0x3b, 0x45);
const QColor kGridColor(0xe3, 0xe7, 0xec);

QString categoryLabel(const std::string& category) {
  if (category.empty()) return QStringLiteral("(no category)");
  QString text = toQString(category);
  if (text.size() > kMaxLabelChars) text = text.left(kMaxLabelChars - 1) + QChar(0x2026);
  return text;
}

}  // namespace

CategoryBarChart::CategoryBarChart(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("categoryPlot"));
  plot_->setLocale(displayLocale());
  plot_->setBackground(Qt::white);
  plot_->setMinimumHeight(kChromePixels + 3 * kBarPixels);

  QFont tickFont = font();
  tickFont.setPointSizeF(9.5);
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
    axis->setTickLabelFont(tickFont);
    axis->setTickLabelColor(kTextColor);
    axis->setBasePen(QPen(kGridColor));
    axis->setTickPen(QPen(kGridColor));
    axis->setSubTickPen(Qt::NoPen);
    axis->grid()->setPen(QPen(kGridColor, 1, Qt::SolidLine));
  }
  plot_->yAxis->grid()->setVisible(false);
  plot_->yAxis->setTickLength(0, 0);
  plot_->yAxis->setTickLabelPadding(8);
  plot_->xAxis->setNumberFormat(QStringLiteral("f"));
  plot_->xAxis->setNumberPrecision(0);
  plot_->xAxis->setLabel(QStringLiteral("interactions"));
  plot_->xAxis->setLabelFont(tickFont);
  plot_->xAxis->setLabelColor(kTextColor);

  note_ = new QLabel(this);
  note_->setObjectName(QStringLiteral("categoryNote"));
  note_->setAlignment(Qt::AlignCenter);
  note_->setWordWrap(true);

  stack_ = new QStackedLayout(this);
  stack_->setContentsMargins(0, 0, 0, 0);
  stack_->addWidget(plot_);
  stack_->addWidget(note_);
  clear();
}

void CategoryBarChart::clear() {
  plot_->clearPlottables();
  plot_->clearItems();
  barCount_ = 0;
  note_->setText(QStringLiteral("No dataset selected."));
  stack_->setCurrentWidget(note_);
}

void CategoryBarChart::setCategories(const std::vector<reco::CategoryShare>& categories,
                                     std::int64_t totalInteractions, int topN) {
  plot_->clearPlottables();
  plot_->clearItems();
  const int shown = std::min<int>(topN, int(categories.size()));
  const bool onlyUncategorised = categories.size() == 1 && categories.front().category.empty();
  if (shown == 0 || onlyUncategorised) {
    barCount_ = 0;
    note_->setText(QStringLiteral("No categories: the items of this dataset have no category "
                                  "(import an item catalogue with a category column to see the mix)."));
    stack_->setCurrentWidget(note_);
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
    const double fraction = totalInteractions > 0 ? double(share.interactions) / double(totalInteractions) : 0.0;
    auto* label = new QCPItemText(plot_);
    label->setClipToAxisRect(false);
    label->position->setAxes(plot_->xAxis, plot_->yAxis);
    label->position->setCoords(values[i], keys[i]);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    label->setPadding(QMargins(6, 0, 0, 0));
    label->setFont(valueFont);
    label->setColor(kTextColor);
    label->setText(QStringLiteral("%1  (%2)").arg(formatCount(share.interactions), formatPercent(fraction)));
  }

  plot_->yAxis->setTicker(ticker);
  plot_->yAxis->setRange(0.4, double(shown) + 0.6);
  // Room to the right of the longest bar for its value label.
  plot_->xAxis->setRange(0, maxValue > 0 ? maxValue * 1.32 : 1.0);
  const int height = kChromePixels + shown * kBarPixels;
  plot_->setMinimumHeight(height);
  setMinimumHeight(height);
  stack_->setCurrentWidget(plot_);
  plot_->replot();
}

}  // namespace reco::ui
