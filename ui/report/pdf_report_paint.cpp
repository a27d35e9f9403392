// Painting the laid-out pages: text, rules, boxes and the report's drawings as QPainter
// vector calls, so QPdfWriter stores lines, shapes and text (never pixels).
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPen>
#include <QPolygonF>
#include <type_traits>

#include "ui/report/pdf_report_items.h"

namespace reco::ui::pdf {
namespace {

using namespace reco::report;

QColor toQColor(const Colour& colour) {
  return QColor(colour.r, colour.g, colour.b, colour.alpha);
}

QPen toPen(const Stroke& stroke) {
  QPen pen(toQColor(stroke.colour), stroke.width);
  pen.setCapStyle(Qt::FlatCap);
  pen.setJoinStyle(Qt::RoundJoin);
  if (stroke.dashed) {
    // In units of the pen's width: about 4 pt on, 3 pt off whatever the width.
    const double w = stroke.width > 0 ? stroke.width : 1.0;
    pen.setDashPattern({4.0 / w, 3.0 / w});
  }
  return pen;
}

void setFillAndStroke(QPainter& painter, const std::optional<Colour>& fill,
                      const std::optional<Stroke>& stroke) {
  painter.setBrush(fill ? QBrush(toQColor(*fill)) : QBrush(Qt::NoBrush));
  painter.setPen(stroke ? toPen(*stroke) : QPen(Qt::NoPen));
}

void paintTextShape(QPainter& painter, const TextShape& shape) {
  const TextStyle style{shape.size, shape.bold};
  const QString text = QString::fromStdString(shape.text);
  const QFont font = reportFont(style);
  double offset = 0;
  if (shape.anchor != TextAnchor::Start) {
    const double width = QFontMetricsF(font).horizontalAdvance(text) / kFontScale;
    offset = shape.anchor == TextAnchor::Middle ? -width / 2 : -width;
  }
  painter.save();
  painter.translate(shape.at.x, shape.at.y);
  if (shape.rotation != 0) painter.rotate(shape.rotation);
  painter.scale(1 / kFontScale, 1 / kFontScale);
  painter.setFont(font);
  painter.setPen(toQColor(shape.colour));
  painter.drawText(QPointF(offset * kFontScale, 0), text);
  painter.restore();
}

}  // namespace

QFont reportFont(const TextStyle& style) {
  static const QString kFamily = [] {
    QString preferred = QStringLiteral("DejaVu Sans");
    if (QFontDatabase::families().contains(preferred)) return preferred;
    return QFontDatabase::systemFont(QFontDatabase::GeneralFont).family();
  }();
  QFont font(kFamily);
  font.setPixelSize(qMax(1, qRound(style.size * kFontScale)));
  font.setBold(style.bold);
  font.setHintingPreference(QFont::PreferNoHinting);
  // No shaping for Latin text: no ligatures, so the PDF's text reads back (pdftotext,
  // search, copy) as the letters written ("fi", not U+FB01).
  font.setStyleStrategy(QFont::PreferNoShaping);
  return font;
}

void paintText(QPainter& painter, const QString& text, QPointF at, const TextStyle& style,
               const QColor& colour) {
  painter.save();
  painter.translate(at);
  painter.scale(1 / kFontScale, 1 / kFontScale);
  painter.setFont(reportFont(style));
  painter.setPen(colour);
  painter.drawText(QPointF(0, 0), text);
  painter.restore();
}

void paintDrawing(QPainter& painter, const Drawing& drawing) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setClipRect(QRectF(0, 0, drawing.width, drawing.height));
  for (const auto& shape : drawing.shapes) {
    std::visit(
        [&painter](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<T, LineShape>) {
            painter.setPen(toPen(s.stroke));
            painter.drawLine(QPointF(s.from.x, s.from.y), QPointF(s.to.x, s.to.y));
          } else if constexpr (std::is_same_v<T, PolylineShape>) {
            QPolygonF polygon;
            polygon.reserve(qsizetype(s.points.size()));
            for (const auto& p : s.points) polygon << QPointF(p.x, p.y);
            painter.setPen(toPen(s.stroke));
            painter.setBrush(Qt::NoBrush);
            painter.drawPolyline(polygon);
          } else if constexpr (std::is_same_v<T, RectShape>) {
            setFillAndStroke(painter, s.fill, s.stroke);
            painter.drawRect(QRectF(s.x, s.y, s.width, s.height));
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            setFillAndStroke(painter, s.fill, s.stroke);
            painter.drawEllipse(QPointF(s.centre.x, s.centre.y), s.radius, s.radius);
          } else if constexpr (std::is_same_v<T, TextShape>) {
            paintTextShape(painter, s);
          }
        },
        shape);
  }
  painter.restore();
}

void paintItem(QPainter& painter, const Item& item) {
  std::visit(
      [&painter](const auto& it) {
        using T = std::decay_t<decltype(it)>;
        if constexpr (std::is_same_v<T, TextItem>) {
          paintText(painter, it.text, QPointF(it.x, it.y), it.style, it.colour);
        } else if constexpr (std::is_same_v<T, RectItem>) {
          painter.setBrush(it.fill.isValid() ? QBrush(it.fill) : QBrush(Qt::NoBrush));
          painter.setPen(it.stroke.isValid() ? QPen(it.stroke, it.strokeWidth) : QPen(Qt::NoPen));
          painter.drawRect(it.rect);
        } else if constexpr (std::is_same_v<T, LineItem>) {
          QPen pen(it.colour, it.width);
          pen.setCapStyle(Qt::FlatCap);
          painter.setPen(pen);
          painter.drawLine(it.from, it.to);
        } else if constexpr (std::is_same_v<T, DrawingItem>) {
          painter.save();
          painter.translate(it.x, it.y);
          painter.scale(it.scale, it.scale);
          paintDrawing(painter, *it.drawing);
          painter.restore();
        }
      },
      item);
}

}  // namespace reco::ui::pdf
