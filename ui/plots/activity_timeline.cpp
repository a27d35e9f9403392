#include "ui/plots/activity_timeline.h"

#include <qcustomplot.h>

#include <algorithm>
#include <map>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

constexpr std::int64_t kDay = 86400;
const QColor kBarColor(0x4a, 0x7a, 0xb5);

// The start (Unix seconds, UTC) of the bucket holding `time`: a day, a Monday-based week,
// or a calendar month.
std::int64_t bucketStart(std::int64_t time, const QString& bucket) {
  if (bucket == QLatin1String("hour")) return time - ((time % 3600) + 3600) % 3600;
  const QDate date = toDateTime(time).date();
  QDate start = date;
  if (bucket == QLatin1String("week")) start = date.addDays(1 - date.dayOfWeek());
  if (bucket == QLatin1String("month")) start = QDate(date.year(), date.month(), 1);
  return QDateTime(start, QTime(0, 0), QTimeZone::utc()).toSecsSinceEpoch();
}

std::int64_t bucketSeconds(const QString& bucket) {
  if (bucket == QLatin1String("hour")) return 3600;
  if (bucket == QLatin1String("week")) return 7 * kDay;
  if (bucket == QLatin1String("month")) return 30 * kDay;
  return kDay;
}

}  // namespace

ActivityTimeline::ActivityTimeline(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("activityPlot"), 170)),
      frame_(this, plot_, QStringLiteral("chartNote")) {
  styleAxes({plot_->xAxis, plot_->yAxis}, font(), {});
  plot_->xAxis->grid()->setVisible(false);
  QSharedPointer<QCPAxisTickerDateTime> dates(new QCPAxisTickerDateTime);
  dates->setTimeZone(QTimeZone::utc());
  dates->setTickCount(3);
  plot_->xAxis->setTicker(dates);
  fitTickCountToLength(plot_, plot_->xAxis, 70);  // "May\n2025" needs about 45 px
  plot_->xAxis->setLabel(QStringLiteral("date (UTC)"));
  plot_->yAxis->setNumberFormat(QStringLiteral("f"));
  plot_->yAxis->setNumberPrecision(0);
  clear();
}

void ActivityTimeline::clear(const QString& note) {
  plot_->clearPlottables();
  barCount_ = 0;
  bucketName_.clear();
  frame_.showNote(note.isEmpty() ? QStringLiteral("No user selected.") : note);
}

void ActivityTimeline::setTimes(const std::vector<std::int64_t>& times) {
  if (times.empty()) {
    clear(QStringLiteral("The interactions of this user carry no time."));
    return;
  }
  plot_->clearPlottables();
  const std::int64_t span = times.back() - times.front();
  bucketName_ = span <= 2 * kDay         ? QStringLiteral("hour")
                : span <= 90 * kDay      ? QStringLiteral("day")
                : span <= 3 * 365 * kDay ? QStringLiteral("week")
                                         : QStringLiteral("month");
  std::map<std::int64_t, int> counts;
  for (const std::int64_t time : times) ++counts[bucketStart(time, bucketName_)];
  const double width = double(bucketSeconds(bucketName_));
  QVector<double> keys, values;
  double maxValue = 0;
  for (const auto& [start, count] : counts) {
    keys << double(start) + width / 2;
    values << double(count);
    maxValue = std::max(maxValue, double(count));
  }
  auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars->setWidth(width * 0.85);
  bars->setPen(Qt::NoPen);
  bars->setBrush(kBarColor);
  bars->setData(keys, values, true);
  barCount_ = int(keys.size());

  auto dates = qSharedPointerCast<QCPAxisTickerDateTime>(plot_->xAxis->ticker());
  dates->setDateTimeFormat(bucketName_ == QLatin1String("hour")  ? QStringLiteral("MM-dd\nHH:mm")
                           : bucketName_ == QLatin1String("day") ? QStringLiteral("MM-dd\nyyyy")
                                                                 : QStringLiteral("MMM\nyyyy"));
  const double margin = width;
  plot_->xAxis->setRange(keys.front() - margin, keys.back() + margin);
  plot_->yAxis->setRange(0, std::max(1.0, maxValue * 1.15));
  plot_->yAxis->setLabel(QStringLiteral("interactions per %1").arg(bucketName_));
  frame_.showPlot();
  plot_->replot();
}

}  // namespace reco::ui
