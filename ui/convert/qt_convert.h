#pragma once
/// The one place where std and Qt types meet: strings, Unix times and number formatting
/// for display. Every function is cheap, pure and safe to call from any thread.
///
/// Numbers are formatted with the system locale, except that the C/POSIX locale (the
/// default in containers and tests) still gets "," thousands separators, so that a count
/// such as 1234567 always reads "1,234,567" rather than "1234567".

#include <QDateTime>
#include <QLocale>
#include <QString>
#include <QTextDocument>
#include <QTimeZone>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace reco::ui {

inline QString toQString(const std::string& text) {
  return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

inline std::string toStdString(const QString& text) {
  return text.toUtf8().toStdString();
}

/// `text` as a tooltip that shows exactly these characters: Qt renders a tooltip that looks
/// like markup ("<b>x</b>" in a dataset or run name) as rich text, so such a text is
/// converted to escaped HTML; any other text is returned as it is. Every tooltip that
/// carries user text (names, titles, file lines, errors) goes through it.
inline QString plainToolTip(const QString& text) {
  return Qt::mightBeRichText(text) ? Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal) : text;
}

/// The locale numbers are shown in: the system one, with group separators switched on.
inline QLocale displayLocale() {
  QLocale locale;
  locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
  return locale;
}

/// 1234567 -> "1,234,567".
inline QString formatCount(std::int64_t value) {
  return displayLocale().toString(qlonglong(value));
}

/// A fixed-point number with thousands separators: (1234.5, 1) -> "1,234.5".
inline QString formatNumber(double value, int decimals) {
  if (!std::isfinite(value)) return QStringLiteral("–");
  return displayLocale().toString(value, 'f', decimals);
}

/// A statistic that is usually an integer (a quantile of counts): no decimals when the
/// value is whole, one decimal otherwise. 12 -> "12", 12.25 -> "12.3".
inline QString formatStatistic(double value) {
  if (!std::isfinite(value)) return QStringLiteral("–");
  return formatNumber(value, std::abs(value - std::round(value)) < 1e-9 ? 0 : 1);
}

/// A fraction in [0, 1] as a percentage with three significant digits for small values:
/// 0.063 -> "6.30%", 0.000123 -> "0.0123%", 0 -> "0%".
inline QString formatPercent(double fraction) {
  if (!std::isfinite(fraction)) return QStringLiteral("–");
  const double percent = fraction * 100.0;
  if (percent == 0.0) return QStringLiteral("0%");
  int decimals = 2;
  if (std::abs(percent) < 1.0) {
    decimals = std::min(8, 2 - int(std::floor(std::log10(std::abs(percent)))));
  }
  return displayLocale().toString(percent, 'f', decimals) + QLatin1Char('%');
}

/// Unix seconds as a UTC QDateTime (the workspace stores UTC).
inline QDateTime toDateTime(std::int64_t unixSeconds) {
  return QDateTime::fromSecsSinceEpoch(qint64(unixSeconds), QTimeZone::utc());
}

/// "2011-01-31", or "–" for no time.
inline QString formatDate(const std::optional<std::int64_t>& unixSeconds) {
  if (!unixSeconds) return QStringLiteral("–");
  return toDateTime(*unixSeconds).toString(QStringLiteral("yyyy-MM-dd"));
}

/// "2011-01-31 08:26 UTC", or "–" for no time.
inline QString formatDateTime(const std::optional<std::int64_t>& unixSeconds) {
  if (!unixSeconds) return QStringLiteral("–");
  return toDateTime(*unixSeconds).toString(QStringLiteral("yyyy-MM-dd HH:mm")) +
         QStringLiteral(" UTC");
}

/// The length of [first, last] in words: "215 days", "3.2 years", "5 hours", "–".
inline QString formatDuration(const std::optional<std::int64_t>& first,
                              const std::optional<std::int64_t>& last) {
  if (!first || !last || *last < *first) return QStringLiteral("–");
  const double seconds = double(*last - *first);
  const double days = seconds / 86400.0;
  if (days >= 730.0) return QStringLiteral("%1 years").arg(formatNumber(days / 365.25, 1));
  if (days >= 2.0)
    return QStringLiteral("%1 days").arg(formatCount(std::int64_t(std::llround(days))));
  const double hours = seconds / 3600.0;
  if (hours >= 2.0) return QStringLiteral("%1 hours").arg(formatNumber(hours, 0));
  return QStringLiteral("%1 minutes").arg(formatNumber(seconds / 60.0, 0));
}

}  // namespace reco::ui
