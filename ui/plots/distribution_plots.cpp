#include "ui/plots/distribution_plots.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QTimeZone>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

constexpr int kPlotMinimumHeight = 220;
constexpr int kMaxLabelledBars = 16;  // value labels above bars up to this many bars

const QColor kSeriesColor(0x4a, 0x7a, 0xb5);
const QColor kFillColor(0x4a, 0x7a, 0xb5, 60);
const QColor kHeadColor(0xd9, 0x82, 0x2b);

QFont sizedFont(const QFont& base, double points, bool bold = false) {
  QFont font = base;
  font.setPointSizeF(points);
  font.setBold(bold);
  return font;
}

/// "1", "2–3", "1,024–2,047": the interaction counts of an activity bin.
QString binLabel(const reco::ActivityBin& bin) {
  if (bin.low == bin.high) return formatCount(bin.low);
  return QStringLiteral("%1–%2").arg(formatCount(bin.low), formatCount(bin.high));
}

/// A logarithmic axis whose ticks read as plain numbers (1, 10, 100, 1,000).
void makeLogarithmic(QCPAxis* axis) {
  axis->setScaleType(QCPAxis::stLogarithmic);
  QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
  ticker->setLogBase(10);
  ticker->setSubTickCount(8);
  axis->setTicker(ticker);
  axis->setNumberFormat(QStringLiteral("f"));
  axis->setNumberPrecision(0);
}

}  // namespace

DistributionPlot::DistributionPlot(const QString& objectName, const QString& title, QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, objectName + QStringLiteral("Canvas"), kPlotMinimumHeight)),
      frame_(this, plot_, QStringLiteral("plotNote")) {
  setObjectName(objectName);
  plot_->setAntialiasedElements(QCP::aePlottables);
  styleAxes({plot_->xAxis, plot_->yAxis}, font(),
            {.tickPoints = 9.5,
             .labelPoints = 10,
             .axisColor = kPlotTextColor.lighter(180),
             .subTickColor = kPlotGridColor.darker(110)});

  plot_->plotLayout()->insertRow(0);
  title_ = new QCPTextElement(plot_, title, sizedFont(font(), 11, true));
  title_->setTextColor(kPlotTextColor);
  plot_->plotLayout()->addElement(0, 0, title_);

  plot_->legend->setVisible(true);
  plot_->legend->setFont(sizedFont(font(), 9.5));
  plot_->legend->setTextColor(kPlotTextColor);
  plot_->legend->setBrush(QColor(255, 255, 255, 230));
  plot_->legend->setBorderPen(QPen(kPlotGridColor.darker(115)));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

  frame_.note()->setMinimumHeight(80);
  showNote(QStringLiteral("No dataset selected."));
}

void DistributionPlot::showNote(const QString& text) {
  plot_->clearPlottables();
  plot_->clearItems();
  frame_.showNote(text);
}

bool DistributionPlot::isShowingNote() const {
  return frame_.isShowingNote();
}
QString DistributionPlot::noteText() const {
  return frame_.noteText();
}
QString DistributionPlot::title() const {
  return title_->text();
}
QString DistributionPlot::xLabel() const {
  return plot_->xAxis->label();
}
QString DistributionPlot::yLabel() const {
  return plot_->yAxis->label();
}

void DistributionPlot::setTitle(const QString& title) {
  title_->setText(title);
}

void DistributionPlot::showPlot() {
  frame_.showPlot();
  plot_->replot();
}

// ---------------------------------------------------------------------------------------

LongTailPlot::LongTailPlot(QWidget* parent)
    : DistributionPlot(QStringLiteral("longTailPlot"),
                       QStringLiteral("Item popularity: the long tail"), parent) {
  plot_->xAxis->setLabel(QStringLiteral("item rank (1 = most popular), log scale"));
  plot_->yAxis->setLabel(QStringLiteral("interactions, log scale"));
  makeLogarithmic(plot_->xAxis);
  makeLogarithmic(plot_->yAxis);
  // The curve falls from the top left: the bottom left stays free for the legend.
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
  setToolTip(QStringLiteral(
      "Every item with at least one interaction, ranked by its number of interactions.\n"
      "A straight falling line on these log-log axes is a power law: a few items get most\n"
      "interactions and most items few (the long tail), which popularity-biased models exploit."));
}

int LongTailPlot::pointCount() const {
  return isShowingNote() || plot_->graphCount() == 0 ? 0 : plot_->graph(0)->dataCount();
}

void LongTailPlot::setDistributions(const reco::DatasetDistributions& d) {
  if (d.popularity.empty()) {
    showNote(QStringLiteral("No item has an interaction."));
    return;
  }
  plot_->clearPlottables();
  plot_->clearItems();
  QVector<double> ranks, counts;
  ranks.reserve(qsizetype(d.popularity.size()));
  counts.reserve(qsizetype(d.popularity.size()));
  for (const reco::RankedCount& point : d.popularity) {
    ranks << double(point.rank);
    counts << double(point.interactions);
  }
  const double maxCount = counts.front();
  const double minCount = std::max(1.0, counts.back());

  QCPGraph* curve = plot_->addGraph();
  curve->setName(
      QStringLiteral("interactions of the item at each rank (%1 items)").arg(formatCount(d.items)));
  curve->setPen(QPen(kSeriesColor, 2));
  if (d.popularity.size() <= 60)
    curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kSeriesColor, 5));
  curve->setData(ranks, counts, true);

  // The head: the most popular fifth of the items, and the share of interactions it takes.
  const double head = std::ceil(double(d.items) * 0.2);
  QCPGraph* marker = plot_->addGraph();
  marker->setName(QStringLiteral("top 20% of items (rank ≤ %1): %2 of interactions")
                      .arg(formatCount(std::int64_t(head)), formatPercent(d.headShare)));
  marker->setPen(QPen(kHeadColor, 1.6, Qt::DashLine));
  marker->setData({head, head}, {minCount / 1.5, maxCount * 2.0}, true);

  plot_->xAxis->setRange(0.8, std::max(2.0, double(d.items) * 1.3));
  plot_->yAxis->setRange(minCount / 1.5, maxCount * 2.0);
  showPlot();
}

// ---------------------------------------------------------------------------------------

ActivityHistogram::ActivityHistogram(QWidget* parent)
    : DistributionPlot(QStringLiteral("activityPlot"), QStringLiteral("User activity"), parent) {
  plot_->xAxis->setLabel(QStringLiteral("interactions per user (bins double in width)"));
  plot_->yAxis->setLabel(QStringLiteral("users"));
  plot_->xAxis->grid()->setVisible(false);
  plot_->yAxis->setNumberFormat(QStringLiteral("f"));
  plot_->yAxis->setNumberPrecision(0);
  setToolTip(QStringLiteral(
      "How many users have how many interactions. Bins are powers of two (1, 2–3, 4–7, …),\n"
      "so that both the many light users and the few heavy ones are visible.\n"
      "A tall left part means many cold users, for whom models have little to go on."));
}

void ActivityHistogram::setDistributions(const reco::DatasetDistributions& d) {
  if (d.activity.empty()) {
    barCount_ = 0;
    showNote(QStringLiteral("No user has an interaction."));
    return;
  }
  plot_->clearPlottables();
  plot_->clearItems();
  QVector<double> keys, values;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  double maxUsers = 0;
  for (std::size_t i = 0; i < d.activity.size(); ++i) {
    const double key = double(i + 1);
    keys << key;
    values << double(d.activity[i].users);
    ticker->addTick(key, binLabel(d.activity[i]));
    maxUsers = std::max(maxUsers, double(d.activity[i].users));
  }
  barCount_ = int(keys.size());

  auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars->setName(QStringLiteral("users in each bin (%1 users)").arg(formatCount(d.users)));
  bars->setWidth(0.75);
  bars->setPen(Qt::NoPen);
  bars->setBrush(kSeriesColor);
  bars->setData(keys, values, true);

  if (barCount_ <= kMaxLabelledBars) {
    const QFont valueFont = sizedFont(font(), 8.5);
    for (int i = 0; i < barCount_; ++i) {
      if (values[i] <= 0) continue;
      auto* label = new QCPItemText(plot_);
      label->position->setAxes(plot_->xAxis, plot_->yAxis);
      label->position->setCoords(keys[i], values[i]);
      label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
      label->setPadding(QMargins(0, 0, 0, 2));
      label->setFont(valueFont);
      label->setColor(kPlotTextColor);
      label->setText(formatCount(std::int64_t(values[i])));
    }
  }

  plot_->xAxis->setTicker(ticker);
  // Long labels ("65,536–131,071") stand at an angle when there are many bins.
  plot_->xAxis->setTickLabelRotation(barCount_ > 8 ? -35 : 0);
  plot_->xAxis->setRange(0.4, double(barCount_) + 0.6);
  plot_->yAxis->setRange(0, maxUsers * 1.22);
  showPlot();
}

// ---------------------------------------------------------------------------------------

InteractionsOverTimePlot::InteractionsOverTimePlot(QWidget* parent)
    : DistributionPlot(QStringLiteral("overTimePlot"), QStringLiteral("Interactions per week"),
                       parent) {
  plot_->xAxis->setLabel(QStringLiteral("week starting (Monday, UTC)"));
  plot_->yAxis->setLabel(QStringLiteral("interactions"));
  plot_->yAxis->setNumberFormat(QStringLiteral("f"));
  plot_->yAxis->setNumberPrecision(0);
  QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
  ticker->setTimeZone(QTimeZone::utc());
  ticker->setDateTimeFormat(QStringLiteral("yyyy-MM-dd"));
  ticker->setTickCount(6);
  plot_->xAxis->setTicker(ticker);
  setToolTip(QStringLiteral(
      "Interactions in each week, Monday to Sunday (UTC). Gaps, spikes and trends show\n"
      "when the data was collected and whether a temporal split would see a changing shop."));
}

void InteractionsOverTimePlot::setDistributions(const reco::DatasetDistributions& d) {
  if (d.overTime.empty()) {
    binCount_ = 0;
    showNote(
        QStringLiteral("This dataset has no times, so there are no interactions over time to show "
                       "(a temporal split needs times too)."));
    return;
  }
  plot_->clearPlottables();
  plot_->clearItems();
  const std::int64_t weeks = std::max<std::int64_t>(1, d.binSeconds / reco::kSecondsPerWeek);
  const QString period =
      weeks == 1 ? QStringLiteral("week") : QStringLiteral("%1 weeks").arg(weeks);
  setTitle(QStringLiteral("Interactions per %1").arg(period));
  plot_->xAxis->setLabel(weeks == 1
                             ? QStringLiteral("week starting (Monday, UTC)")
                             : QStringLiteral("%1-week period starting (Monday, UTC)").arg(weeks));

  QVector<double> keys, values;
  double maxValue = 0;
  for (const reco::TimeBin& bin : d.overTime) {
    keys << double(bin.start);
    values << double(bin.interactions);
    maxValue = std::max(maxValue, double(bin.interactions));
  }
  // The step line ends at the end of the last bin.
  keys << double(d.overTime.back().start + d.binSeconds);
  values << values.back();
  binCount_ = int(d.overTime.size());

  QCPGraph* series = plot_->addGraph();
  series->setName(QStringLiteral("interactions per %1").arg(period));
  series->setLineStyle(QCPGraph::lsStepLeft);
  series->setPen(QPen(kSeriesColor, 1.8));
  series->setBrush(kFillColor);
  series->setData(keys, values, true);

  const double span = keys.back() - keys.front();
  auto ticker = qSharedPointerCast<QCPAxisTickerDateTime>(plot_->xAxis->ticker());
  ticker->setDateTimeFormat(span > 2 * 365.25 * 86400 ? QStringLiteral("yyyy-MM")
                                                      : QStringLiteral("yyyy-MM-dd"));
  plot_->xAxis->setRange(keys.front() - span * 0.02, keys.back() + span * 0.02);
  plot_->yAxis->setRange(0, maxValue * 1.25 + 1);
  showPlot();
}

}  // namespace reco::ui
