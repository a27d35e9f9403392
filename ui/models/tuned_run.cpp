#include "ui/models/tuned_run.h"

#include <QFontMetrics>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QStringList>

namespace reco::ui {

std::optional<TuningMark> tuningMarkOf(const std::string& protocolJson) {
  // A quick test first: most runs are not tuned, and parsing every protocol of a long run
  // list would be wasted work.
  if (protocolJson.find("\"tuning\"") == std::string::npos) return std::nullopt;
  const QJsonDocument document =
      QJsonDocument::fromJson(QByteArray(protocolJson.data(), qsizetype(protocolJson.size())));
  if (!document.isObject()) return std::nullopt;
  const QJsonValue tuning = document.object().value(QStringLiteral("tuning"));
  if (!tuning.isObject()) return std::nullopt;
  const QJsonObject object = tuning.toObject();
  TuningMark mark;
  mark.study = object.value(QStringLiteral("study")).toString();
  mark.search = object.value(QStringLiteral("search")).toString();
  mark.metric = object.value(QStringLiteral("metric")).toString();
  mark.candidates = int(object.value(QStringLiteral("candidates")).toArray().size());
  return mark;
}

QString resolvedOptionsOf(const std::string& protocolJson) {
  if (protocolJson.find("\"resolved\"") == std::string::npos) return {};
  const QJsonDocument document =
      QJsonDocument::fromJson(QByteArray(protocolJson.data(), qsizetype(protocolJson.size())));
  if (!document.isObject()) return {};
  const QJsonObject resolved = document.object().value(QStringLiteral("resolved")).toObject();
  QStringList parts;
  for (auto it = resolved.begin(); it != resolved.end(); ++it)
    parts << it.key() + QLatin1Char(' ') + it.value().toString();
  return parts.join(QStringLiteral(", "));
}

QSize tunedBadgeSize(const QFont& font) {
  QFont small = font;
  small.setPointSizeF(font.pointSizeF() * 0.85);
  const QFontMetrics metrics(small);
  return {metrics.horizontalAdvance(QStringLiteral("tuned")) + 10, metrics.height() + 2};
}

QPixmap tunedBadge(const QFont& font) {
  const QSize size = tunedBadgeSize(font);
  QPixmap badge(size);
  badge.fill(Qt::transparent);
  QPainter painter(&badge);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(0xd9, 0xe8, 0xf6));
  painter.drawRoundedRect(QRectF(0.5, 0.5, size.width() - 1, size.height() - 1), 4, 4);
  QFont small = font;
  small.setPointSizeF(font.pointSizeF() * 0.85);
  painter.setFont(small);
  painter.setPen(QColor(0x1d, 0x3f, 0x66));
  painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, QStringLiteral("tuned"));
  return badge;
}

QString tunedSuffix() {
  return QStringLiteral("  (tuned)");
}

QString tuningDescription(const TuningMark& mark) {
  QString text = mark.study.isEmpty() ? QStringLiteral("Tuned with reco tune")
                                      : QStringLiteral("Tuned in study '%1'").arg(mark.study);
  QStringList details;
  if (!mark.search.isEmpty()) details << QStringLiteral("%1 search").arg(mark.search);
  if (mark.candidates > 0)
    details << QStringLiteral("%1 options tried on the validation part").arg(mark.candidates);
  if (!mark.metric.isEmpty()) details << QStringLiteral("best %1").arg(mark.metric);
  if (!details.isEmpty()) text += QStringLiteral(" (%1)").arg(details.join(QStringLiteral(", ")));
  return text + QLatin1Char('.');
}

}  // namespace reco::ui
