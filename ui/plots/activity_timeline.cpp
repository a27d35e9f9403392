#include "ui/plots/activity_timeline.h"

#include <qcustomplot.h>

#include <algorithm>
#include <map>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

constexpr std::int64_t kDay = 86400;
const QColor kBarColor(0x4a, 0x7a, 0xb5);

// Floor division and remainder for times before 1970.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// The day of the month (1-31) of `days` since 1970-01-01 in the proleptic Gregorian calendar
// (H. Hinnant's civil_from_days).
std::int64_t dayOfMonth(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floorDiv(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  return doy - (153 * mp + 2) / 5 + 1;
}

enum class Bucket { Hour, Day, Week, Month };

// The start (Unix seconds, UTC) of the bucket holding `time`: an hour, a day, a Monday-based
// week, or a calendar month. Integer arithmetic only: an item's profile brings every time of
// its interactions (a bestseller's are hundreds of thousands), binned on the GUI thread, where
// a QDateTime per time took 100-300 ms.
std::int64_t bucketStart(std::int64_t time, Bucket bucket) {
  if (bucket == Bucket::Hour) return floorDiv(time, 3600) * 3600;
  const std::int64_t days = floorDiv(time, kDay);
  switch (bucket) {
    case Bucket::Week:
      return (days - (days + 3 - floorDiv(days + 3, 7) * 7)) * kDay;  // 1970-01-01: a Thursday
    case Bucket::Month: return (days - (dayOfMonth(days) - 1)) * kDay;
    default: return days * kDay;
  }
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
  const Bucket bucket = bucketName_ == QLatin1String("hour")   ? Bucket::Hour
                        : bucketName_ == QLatin1String("day")  ? Bucket::Day
                        : bucketName_ == QLatin1String("week") ? Bucket::Week
                                                               : Bucket::Month;
  // The times ascend, so each bucket's times are adjacent; a map keeps the few buckets of
  // any times that do not.
  std::map<std::int64_t, int> counts;
  std::int64_t runStart = bucketStart(times.front(), bucket);
  int run = 0;
  for (const std::int64_t time : times) {
    const std::int64_t start = bucketStart(time, bucket);
    if (start != runStart) {
      counts[runStart] += run;
      runStart = start;
      run = 0;
    }
    ++run;
  }
  counts[runStart] += run;
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
