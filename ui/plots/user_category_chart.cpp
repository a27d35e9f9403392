#include "ui/plots/user_category_chart.h"

#include <qcustomplot.h>

#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
constexpr int kMaxLabelChars = 24;
const QColor kBarColor(0x4a, 0x7a, 0xb5);
}  // namespace

QString UserCategoryChart::shortLabel(const std::string& category) {
  if (category.empty()) return QStringLiteral("(no category)");
  QString text = toQString(category);
  const qsizetype at = text.lastIndexOf(QStringLiteral(" > "));
  if (at >= 0) text = text.mid(at + 3);
  if (text.size() > kMaxLabelChars) text = text.left(kMaxLabelChars - 1) + QChar(0x2026);
  return text;
}

UserCategoryChart::UserCategoryChart(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("userCategoryPlot"), 150)),
      frame_(this, plot_, QStringLiteral("chartNote")) {
  styleAxes({plot_->xAxis, plot_->yAxis}, font(), {});
  keepRoomForValueLabels(plot_);  // the value labels never run past the right edge
  fitTickCountToLength(plot_, plot_->xAxis, 60);
  plot_->yAxis->grid()->setVisible(false);
  plot_->yAxis->setTickLength(0, 0);
  plot_->yAxis->setTickLabelPadding(6);
  // Few ticks: the value labels on the bars carry the numbers, and the chart is narrow.
  plot_->xAxis->ticker()->setTickStepStrategy(QCPAxisTicker::tssMeetTickCount);
  plot_->xAxis->ticker()->setTickCount(2);
  plot_->xAxis->setNumberFormat(QStringLiteral("f"));
  plot_->xAxis->setNumberPrecision(0);
  plot_->xAxis->setLabel(QStringLiteral("interactions"));
  clear();
}

void UserCategoryChart::clear(const QString& note) {
  plot_->clearPlottables();
  plot_->clearItems();
  labels_.clear();
  setToolTip(QString());
  frame_.showNote(note.isEmpty() ? emptyNote_ : note);
}

void UserCategoryChart::setCounting(const QString& unit, const QString& emptyNote) {
  unit_ = unit;
  emptyNote_ = emptyNote;
  plot_->xAxis->setLabel(unit);
  if (labels_.isEmpty()) frame_.showNote(emptyNote_);
  plot_->replot();
}

void UserCategoryChart::setCategories(const std::vector<reco::CategoryShare>& categories,
                                      std::int64_t totalInteractions, int topN) {
  const int shown = std::min<int>(topN, int(categories.size()));
  const bool onlyUncategorised = categories.size() == 1 && categories.front().category.empty();
  if (shown == 0 || onlyUncategorised) {
    clear(QStringLiteral("No categories: this user's items have no category."));
    return;
  }
  plot_->clearPlottables();
  plot_->clearItems();
  labels_.clear();
  QVector<double> keys, values;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  QStringList tip;
  double maxValue = 0;
  for (int i = 0; i < shown; ++i) {
    const reco::CategoryShare& share = categories[std::size_t(i)];
    const double key = double(shown - i);  // the largest at the top
    keys << key;
    values << double(share.interactions);
    labels_ << shortLabel(share.category);
    ticker->addTick(key, labels_.back());
    maxValue = std::max(maxValue, double(share.interactions));
    const QString name =
        share.category.empty() ? QStringLiteral("(no category)") : toQString(share.category);
    tip << (unit_ == QStringLiteral("interactions")
                ? QStringLiteral("%1: %2 interactions with %3 items")
                      .arg(name, formatCount(share.interactions), formatCount(share.items))
                : QStringLiteral("%1: %2 %3").arg(name, formatCount(share.interactions), unit_));
  }
  setToolTip(tip.join(QLatin1Char('\n')));
  auto* bars = new QCPBars(plot_->yAxis, plot_->xAxis);
  bars->setName(unit_);
  bars->setWidth(0.7);
  bars->setPen(Qt::NoPen);
  bars->setBrush(kBarColor);
  bars->setData(keys, values, true);

  QFont valueFont = font();
  valueFont.setPointSizeF(8.5);
  for (int i = 0; i < shown; ++i) {
    const double fraction = totalInteractions > 0 ? values[i] / double(totalInteractions) : 0.0;
    auto* label = new QCPItemText(plot_);
    label->setClipToAxisRect(false);
    label->position->setAxes(plot_->xAxis, plot_->yAxis);
    label->position->setCoords(values[i], keys[i]);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    label->setPadding(QMargins(4, 0, 0, 0));
    label->setFont(valueFont);
    label->setColor(kPlotTextColor);
    label->setText(
        QStringLiteral("%1 · %2%")
            .arg(formatCount(std::int64_t(values[i])), formatNumber(fraction * 100.0, 0)));
  }
  plot_->yAxis->setTicker(ticker);
  plot_->yAxis->setRange(0.4, double(shown) + 0.6);
  // Room to the right of the bars for their value labels: a first guess, fitted to the
  // labels' widths after each layout (keepRoomForValueLabels).
  plot_->xAxis->setRange(0, maxValue > 0 ? maxValue * 1.9 : 1.0);
  frame_.showPlot();
  plot_->replot();
}

}  // namespace reco::ui
