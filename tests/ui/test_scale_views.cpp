// What the GUI thread does with a bestseller's data on a large workspace (issue 19), made
// linear: the activity timeline's buckets (hour, day, Monday-based week, calendar month, UTC)
// come from integer arithmetic instead of a QDateTime per time, and the audience table's
// default order (by rank) from a counting sort instead of a stable sort. The results must not
// change: the bars are those of the calendar (checked against QDate on edge cases and on
// random times of every span), and the audience's order is the stable sort's.

#include <QDateTime>
#include <QTimeZone>
#include <QtTest>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ui/application_setup.h"
#include "ui/models/item_audience_model.h"
#include "ui/plots/activity_timeline.h"

using reco::ui::ActivityTimeline;
using reco::ui::ItemAudienceModel;

namespace {

std::int64_t utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return QDateTime(QDate(year, month, day), QTime(hour, minute, second), QTimeZone::utc())
      .toSecsSinceEpoch();
}

/// The bars the calendar says `times` make in `bucket`, the slow way.
int calendarBuckets(const std::vector<std::int64_t>& times, const QString& bucket) {
  std::set<std::int64_t> starts;
  for (const std::int64_t time : times) {
    if (bucket == QLatin1String("hour")) {
      starts.insert(time - (((time % 3600) + 3600) % 3600));
      continue;
    }
    const QDate date = QDateTime::fromSecsSinceEpoch(time, QTimeZone::utc()).date();
    QDate start = date;
    if (bucket == QLatin1String("week")) start = date.addDays(1 - date.dayOfWeek());
    if (bucket == QLatin1String("month")) start = QDate(date.year(), date.month(), 1);
    starts.insert(start.toJulianDay());
  }
  return int(starts.size());
}

}  // namespace

class TestScaleViews : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { reco::ui::setUpApplication(*qApp); }

  void weeksStartOnMondayAcrossTheNewYear() {
    ActivityTimeline timeline;
    // Mon 2024-12-30 .. Sun 2025-01-05 is one week; Mon 2025-01-06 starts the next.
    timeline.setTimes({utc(2024, 12, 30), utc(2025, 1, 1, 12), utc(2025, 1, 5, 23, 59, 59),
                       utc(2025, 1, 6), utc(2025, 6, 1)});
    QCOMPARE(timeline.bucketName(), QStringLiteral("week"));
    QCOMPARE(timeline.barCount(), 3);
    // Mon 1969-12-29 .. Sun 1970-01-04: one week around the epoch (a Thursday).
    timeline.setTimes({utc(1969, 12, 29), utc(1970, 1, 1), utc(1970, 1, 4, 23, 59, 59),
                       utc(1970, 1, 5), utc(1970, 6, 1)});
    QCOMPARE(timeline.barCount(), 3);
  }

  void monthsFollowTheCalendar() {
    ActivityTimeline timeline;
    timeline.setTimes({utc(1969, 12, 31, 23, 59, 59), utc(1970, 1, 1), utc(2020, 1, 31, 23, 59),
                       utc(2020, 2, 1), utc(2020, 2, 29, 12), utc(2020, 3, 1), utc(2023, 4, 30),
                       utc(2023, 5, 1)});
    QCOMPARE(timeline.bucketName(), QStringLiteral("month"));
    QCOMPARE(timeline.barCount(), 7);  // Dec 1969, Jan 1970, Jan/Feb/Mar 2020, Apr/May 2023
  }

  void everySpanAgreesWithTheCalendar() {
    ActivityTimeline timeline;
    std::mt19937_64 random(19);
    // Spans that choose hours, days, weeks and months, from before 1970 to 2100.
    const std::int64_t day = 86400;
    for (const std::int64_t span : {day, 60 * day, 700 * day, 20000 * day}) {
      for (const std::int64_t from : {utc(1965, 3, 7, 5), utc(2024, 2, 27, 13)}) {
        std::uniform_int_distribution<std::int64_t> pick(from, from + span);
        std::vector<std::int64_t> times(5000);
        for (auto& time : times) time = pick(random);
        std::sort(times.begin(), times.end());
        timeline.setTimes(times);
        QCOMPARE(timeline.barCount(), calendarBuckets(times, timeline.bucketName()));
      }
    }
  }

  void theAudienceByRankIsTheStableSortsOrder() {
    auto audience = std::make_shared<reco::ui::ItemAudienceList>();
    std::mt19937 random(7);
    std::uniform_int_distribution<std::int32_t> rank(1, 20);
    for (std::int32_t user = 0; user < 3000; ++user) {
      audience->members.push_back({user, rank(random), float(user % 13)});
      audience->userIds.push_back(std::to_string(100000 + user));
    }
    audience->listedUsers = 3000;
    ItemAudienceModel model;
    for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
      model.sort(ItemAudienceModel::RankColumn, order);
      model.setAudience(audience);
      std::vector<std::size_t> expected(audience->members.size());
      std::iota(expected.begin(), expected.end(), std::size_t(0));
      std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) {
        const auto ra = audience->members[a].rank, rb = audience->members[b].rank;
        return order == Qt::AscendingOrder ? ra < rb : rb < ra;
      });
      QCOMPARE(model.rowCount(), int(expected.size()));
      for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.userIdAt(row), QString::fromStdString(audience->userIds[expected[row]]));
    }
  }
};

QTEST_MAIN(TestScaleViews)
#include "test_scale_views.moc"
