// The item map's painting: the title line, the cached drawing of the points (moved and
// scaled to the current view while a newer one is under way), the axes and the legend. A
// frame costs one image blit plus O(categories + ticks), whatever the number of points.
#include <QFontMetrics>
#include <QPainter>
#include <QSet>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/plots/item_map_view.h"
#include "ui/plots/plot_frame.h"

namespace reco::ui {

namespace {

constexpr int kMargin = 8;
constexpr int kLegendWidth = 200;
const QColor kFrameColour(0xa0, 0xa6, 0xae);
const QColor kNoteColour(0x5a, 0x62, 0x6c);

// Sizes are for the normal window; presenter mode scales them (plot_frame.h plotTextScale).
QFont pixelFont(const QFont& base, int pixels, bool bold = false) {
  QFont font = base;
  font.setPixelSize(std::max(1, int(std::lround(pixels * plotTextScale()))));
  font.setBold(bold);
  return font;
}

bool isPca(const ItemMap& map) {
  return map.layout.explained[0] > 0 || map.layout.explained[1] > 0;
}

/// A round step (1, 2 or 5 times a power of ten) near `rough`.
double niceStep(double rough) {
  if (!(rough > 0) || !std::isfinite(rough)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  const double fraction = rough / power;
  return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power;
}

}  // namespace

ItemMapView::Geometry ItemMapView::geometry(QSize size) const {
  Geometry g;
  const QFontMetrics titleMetrics(pixelFont(font(), 14, true));
  g.title = QRect(kMargin, kMargin / 2, size.width() - 2 * kMargin, titleMetrics.height() + 4);
  const int top = g.title.bottom() + 8;
  const int legendWidth = std::min(kLegendWidth, std::max(120, size.width() / 4));
  g.legend =
      QRect(size.width() - kMargin - legendWidth, top, legendWidth, size.height() - top - kMargin);
  const bool pca = map_ && isPca(*map_);
  const int left = kMargin + (pca ? 50 : 0);
  const int bottom = pca ? 40 : 24;
  g.plot = QRect(left, top, std::max(0, g.legend.left() - 16 - left),
                 std::max(0, size.height() - top - bottom - kMargin));
  g.xAxis = QRect(g.plot.left(), g.plot.bottom() + 1, g.plot.width(), bottom);
  g.yAxis = QRect(kMargin, g.plot.top(), left - kMargin, g.plot.height());
  return g;
}

void ItemMapView::paintAll(QPainter& painter, QSize size, const MapRaster& raster) const {
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  const Geometry g = geometry(size);
  painter.setFont(pixelFont(font(), 14, true));
  painter.setPen(kPlotTextColor);
  painter.drawText(g.title, Qt::AlignLeft | Qt::AlignVCenter,
                   painter.fontMetrics().elidedText(title(), Qt::ElideRight, g.title.width()));
  if (!map_) {
    painter.setFont(font());
    painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter,
                     QStringLiteral("No item map yet: choose a run with item vectors."));
    return;
  }
  const MapTransform now = transformFor(size);
  painter.save();
  painter.setClipRect(g.plot);
  if (!raster.image.isNull() && raster.transform.size.isValid()) {
    // The drawing covers the plane's rectangle under its own transform; shown where that
    // rectangle is now (exact when the view has not moved since).
    const MapTransform& then = raster.transform;
    const QPointF a = then.toPlane(QPointF(0, 0));
    const QPointF b = then.toPlane(QPointF(then.size.width(), then.size.height()));
    const QRectF target =
        QRectF(now.toScreen(a.x(), a.y()), now.toScreen(b.x(), b.y())).translated(g.plot.topLeft());
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (then.scale == now.scale)  // a pan: a plain blit at whole pixels, the fast path
      painter.drawImage(target.topLeft().toPoint(), raster.image);
    else
      painter.drawImage(target, raster.image);
  }
  if (!index_) {
    painter.setFont(font());
    painter.setPen(kNoteColour);
    painter.drawText(g.plot, Qt::AlignCenter,
                     QStringLiteral("Preparing the map of %1 items…")
                         .arg(formatCount(std::int64_t(map_->size()))));
  }
  painter.restore();
  painter.setPen(kFrameColour);
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(g.plot.adjusted(-1, -1, 0, 0));
  paintAxes(painter, g, now);
  paintLegend(painter, g, raster);
}

void ItemMapView::paintAxes(QPainter& painter, const Geometry& g,
                            const MapTransform& transform) const {
  painter.save();
  painter.setPen(kPlotTextColor);
  painter.setFont(pixelFont(font(), 11));
  const QFontMetrics metrics = painter.fontMetrics();
  if (!isPca(*map_)) {
    painter.setPen(kNoteColour);
    painter.drawText(g.xAxis, Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(QStringLiteral("Neighbour layout: distances are not to "
                                                       "scale; only which items are near each "
                                                       "other means something."),
                                        Qt::ElideRight, g.xAxis.width()));
    painter.restore();
    return;
  }
  const QLocale locale = displayLocale();
  const QPointF low = transform.toPlane(QPointF(0, transform.size.height()));
  const QPointF high = transform.toPlane(QPointF(transform.size.width(), 0));
  const double xStep = niceStep((high.x() - low.x()) / std::max(2, g.plot.width() / 90));
  const double yStep = niceStep((high.y() - low.y()) / std::max(2, g.plot.height() / 60));
  const QColor tickColour(0x8a, 0x92, 0x9c);
  for (double v = std::ceil(low.x() / xStep) * xStep; v <= high.x(); v += xStep) {
    const double x = g.plot.left() + transform.toScreen(v, 0).x();
    painter.setPen(tickColour);
    painter.drawLine(QPointF(x, g.plot.bottom() + 1), QPointF(x, g.plot.bottom() + 5));
    painter.setPen(kPlotTextColor);
    const double shown = std::abs(v) < xStep * 1e-6 ? 0.0 : v;
    painter.drawText(QRectF(x - 40, g.plot.bottom() + 6, 80, metrics.height()), Qt::AlignHCenter,
                     locale.toString(shown, 'g', 4));
  }
  for (double v = std::ceil(low.y() / yStep) * yStep; v <= high.y(); v += yStep) {
    const double y = g.plot.top() + transform.toScreen(0, v).y();
    painter.setPen(tickColour);
    painter.drawLine(QPointF(g.plot.left() - 5, y), QPointF(g.plot.left() - 2, y));
    painter.setPen(kPlotTextColor);
    const double shown = std::abs(v) < yStep * 1e-6 ? 0.0 : v;
    painter.drawText(QRectF(g.yAxis.left() + 14, y - metrics.height() / 2.0, g.yAxis.width() - 20,
                            metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, locale.toString(shown, 'g', 4));
  }
  const auto axisTitle = [](int axis, double share) {
    return QStringLiteral("PC%1 (%2 of variance)").arg(axis).arg(formatPercent(share));
  };
  painter.drawText(
      QRect(g.xAxis.left(), g.xAxis.bottom() - metrics.height(), g.xAxis.width(), metrics.height()),
      Qt::AlignHCenter, axisTitle(1, map_->layout.explained[0]));
  painter.translate(g.yAxis.left() + metrics.ascent(), g.yAxis.center().y());
  painter.rotate(-90);
  painter.drawText(
      QRect(-g.yAxis.height() / 2, -metrics.ascent(), g.yAxis.height(), metrics.height()),
      Qt::AlignHCenter, axisTitle(2, map_->layout.explained[1]));
  painter.restore();
}

void ItemMapView::paintLegend(QPainter& painter, const Geometry& g, const MapRaster& raster) const {
  painter.save();
  const QRect& box = g.legend;
  int y = box.top();
  const auto heading = [&](const QString& text) {
    painter.setFont(pixelFont(font(), 12, true));
    painter.setPen(kPlotTextColor);
    painter.drawText(QRect(box.left(), y, box.width(), 18), Qt::AlignLeft | Qt::AlignVCenter, text);
    y += 20;
  };
  const auto note = [&](const QString& text) {
    painter.setFont(pixelFont(font(), 10));
    painter.setPen(kNoteColour);
    const QRect rect(box.left(), y, box.width(), std::max(0, box.bottom() - y));
    const QRect used = painter.boundingRect(rect, Qt::TextWordWrap, text);
    painter.drawText(rect, Qt::TextWordWrap, text);
    y += used.height() + 8;
  };
  painter.setFont(pixelFont(font(), 11));
  const QFontMetrics metrics(pixelFont(font(), 11));
  const int line = std::max(15, metrics.height() + 1);
  if (colouring_ == MapColouring::Category) {
    heading(QStringLiteral("Colour: category"));
    const std::size_t shown = std::min<std::size_t>(map_->categories.size(), kCategoryColours);
    // Category paths ("Electronics > Headphones") by their last part, as the profile charts
    // label them, unless two of the shown categories would then read the same.
    QStringList names;
    for (std::size_t c = 0; c < shown; ++c) {
      const QString full = toQString(map_->categories[c]);
      const qsizetype cut = full.lastIndexOf(QStringLiteral(" > "));
      names << (cut >= 0 ? full.mid(cut + 3) : full);
    }
    if (QSet<QString>(names.begin(), names.end()).size() != names.size()) {
      names.clear();
      for (std::size_t c = 0; c < shown; ++c) names << toQString(map_->categories[c]);
    }
    for (std::size_t c = 0; c < shown; ++c) {
      painter.setFont(pixelFont(font(), 11));
      painter.setPen(Qt::NoPen);
      painter.setBrush(categoryColour(int(c)));
      painter.setRenderHint(QPainter::Antialiasing, true);
      painter.drawEllipse(QPointF(box.left() + 5, y + line / 2.0), 4.5, 4.5);
      painter.setPen(kPlotTextColor);
      QString text = names[qsizetype(c)];
      if (text.isEmpty()) text = QStringLiteral("(empty)");
      if (index_ && c < index_->categoryItems.size())
        text = metrics.elidedText(text, Qt::ElideRight, box.width() - 70) +
               QStringLiteral(" (%1)").arg(formatCount(index_->categoryItems[c]));
      painter.drawText(QRect(box.left() + 14, y, box.width() - 14, line),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       metrics.elidedText(text, Qt::ElideRight, box.width() - 14));
      y += line;
    }
    const std::size_t others = map_->categories.size() - shown;
    if (others > 0 || (index_ && index_->uncategorised > 0)) {
      painter.setPen(Qt::NoPen);
      painter.setBrush(kOtherCategoryColour);
      painter.drawEllipse(QPointF(box.left() + 5, y + line / 2.0), 4.5, 4.5);
      painter.setPen(kPlotTextColor);
      const QString text = others > 0 ? QStringLiteral("%1 other categories, or none")
                                            .arg(formatCount(std::int64_t(others)))
                                      : QStringLiteral("no category");
      painter.drawText(QRect(box.left() + 14, y, box.width() - 14, line),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       metrics.elidedText(text, Qt::ElideRight, box.width() - 14));
      y += line;
    }
    y += 8;
  } else {
    heading(QStringLiteral("Colour: popularity"));
    note(QStringLiteral("interactions, log scale"));
    const std::int64_t top = index_ ? index_->maxPopularity : 10;
    const ColourScale scale = popularityScale(top);
    std::vector<ColourTick> ticks;
    for (std::int64_t v = 1; double(v) <= std::pow(10.0, scale.high()) + 0.5; v *= 10)
      ticks.push_back({std::log10(double(v)), formatCount(v)});
    const int barHeight = std::clamp(box.bottom() - y - 200, 60, 180);
    painter.setFont(pixelFont(font(), 11));
    paintColourBar(painter, QRect(box.left(), y, 16, barHeight), scale, ticks);
    y += barHeight + 12;
  }
  note(QStringLiteral("Size grows with popularity (log scale)."));
  if (index_ && !raster.image.isNull()) {
    note(raster.density
             ? QStringLiteral("Density view of %1 items: each pixel shows its most popular "
                              "item, more opaque where items overlap. Zoom in (wheel) to see "
                              "single items.")
                   .arg(formatCount(std::int64_t(raster.visible)))
             : QStringLiteral("%1 items in view, each drawn.")
                   .arg(formatCount(std::int64_t(raster.visible))));
  }
  if (highlight_)
    note(QStringLiteral("Search “%1”: %2 matches, others paled.")
             .arg(highlightText_.trimmed(), formatCount(std::int64_t(highlightCount_))));
  if (!selectedItems_.empty())
    note(QStringLiteral("%1 selected (outlined).")
             .arg(formatCount(std::int64_t(selectedItems_.size()))));
  note(
      QStringLiteral("Wheel: zoom · drag: pan · shift-drag: select · double-click: open the "
                     "item (on empty ground: the whole map)."));
  painter.restore();
}

}  // namespace reco::ui
