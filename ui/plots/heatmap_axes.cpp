// The heatmap's painting: where each part goes, the cells, the labels, the dendrograms, the
// category bands and the legend. Everything is drawn from the cached cell image and the
// precomputed tree, so a frame costs O(visible labels + n) whatever the matrix size.
#include <QFontMetrics>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/plots/plot_frame.h"
#include "ui/plots/similarity_heatmap.h"

namespace reco::ui {

namespace {

constexpr int kMargin = 8;
constexpr int kLegendWidth = 170;
constexpr int kTreePixels = 36;
constexpr int kBandPixels = 10;
constexpr int kLabelPixels = 116;    // room for labels (elided to it)
constexpr double kMinLabelCell = 9;  // cells smaller than this get no labels
constexpr int kMaxLabelFontPixels = 12;
constexpr int kLegendSwatches = 12;  // category bands listed in the legend, at most
const QColor kFrameColour(0xa0, 0xa6, 0xae);
const QColor kTreeColour(0x55, 0x5d, 0x68);

// Sizes are for the normal window; presenter mode scales them (plot_frame.h plotTextScale).
QFont pixelFont(const QFont& base, int pixels, bool bold = false) {
  QFont font = base;
  font.setPixelSize(std::max(1, int(std::lround(pixels * plotTextScale()))));
  font.setBold(bold);
  return font;
}

QString labelText(const SimilarityLabel& label) {
  return label.title.empty() ? toQString(label.externalId) : toQString(label.title);
}

}  // namespace

SimilarityHeatmap::Geometry SimilarityHeatmap::geometry(QSize size, double span) const {
  Geometry g;
  const QFontMetrics titleMetrics(pixelFont(font(), 14, true));
  g.title = QRect(kMargin, kMargin / 2, size.width() - 2 * kMargin, titleMetrics.height() + 4);
  const int top = g.title.bottom() + 8;
  const int legendWidth = std::min(kLegendWidth, std::max(120, size.width() / 4));
  g.legend =
      QRect(size.width() - kMargin - legendWidth, top, legendWidth, size.height() - top - kMargin);
  const QRect area(kMargin, top, g.legend.left() - 14 - kMargin, size.height() - top - kMargin);
  if (!matrix_ || area.width() <= 0 || area.height() <= 0) return g;

  const int tree = treeNodes_.empty() ? 0 : kTreePixels;
  const int bands = matrix_->bands.empty() ? 0 : kBandPixels + 2;
  const int fixed = tree + bands;
  // Row labels first (the rows and columns are the same entities), column labels too when
  // the cells stay readable with both.
  const auto side = [&](int left, int above) {
    return std::max(0, std::min(area.width() - fixed - left, area.height() - fixed - above));
  };
  int rowLabels = 0;
  int columnLabels = 0;
  if (side(kLabelPixels, 0) / span >= kMinLabelCell) rowLabels = kLabelPixels;
  if (rowLabels && side(kLabelPixels, kLabelPixels) / span >= kMinLabelCell)
    columnLabels = kLabelPixels;
  const int cellSide = side(rowLabels, columnLabels);
  g.cellPixels = cellSide / span;
  if (rowLabels) g.labelPixels = std::min(kMaxLabelFontPixels, int(g.cellPixels));

  const int left = area.left() + fixed + rowLabels;
  const int upper = area.top() + fixed + columnLabels;
  g.cells = QRect(left, upper, cellSide, cellSide);
  g.rowTree = QRect(area.left(), upper, tree, cellSide);
  g.columnTree = QRect(left, area.top(), cellSide, tree);
  g.rowLabels = QRect(area.left() + tree, upper, rowLabels, cellSide);
  g.columnLabels = QRect(left, area.top() + tree, cellSide, columnLabels);
  g.rowBands = QRect(left - bands, upper, bands ? kBandPixels : 0, cellSide);
  g.columnBands = QRect(left, upper - bands, cellSide, bands ? kBandPixels : 0);
  return g;
}

void SimilarityHeatmap::paintAll(QPainter& painter, QSize size) const {
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  const Geometry g = geometry(size);
  painter.setFont(pixelFont(font(), 14, true));
  painter.setPen(kPlotTextColor);
  painter.drawText(g.title, Qt::AlignLeft | Qt::AlignVCenter,
                   painter.fontMetrics().elidedText(title(), Qt::ElideRight, g.title.width()));
  if (!matrix_) {
    painter.setFont(font());
    painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter,
                     QStringLiteral("No similarity matrix yet: choose a run and a set of items."));
    return;
  }
  if (g.cells.isEmpty()) return;

  // Cells: the visible part of the one-pixel-per-cell image, scaled without smoothing.
  const int n = int(matrix_->size());
  const int c0 = std::max(0, int(std::floor(view_.left())));
  const int r0 = std::max(0, int(std::floor(view_.top())));
  const int c1 = std::min(n, int(std::ceil(view_.right())));
  const int r1 = std::min(n, int(std::ceil(view_.bottom())));
  const QRectF target(g.cells.left() + (c0 - view_.left()) * g.cellPixels,
                      g.cells.top() + (r0 - view_.top()) * g.cellPixels, (c1 - c0) * g.cellPixels,
                      (r1 - r0) * g.cellPixels);
  painter.save();
  painter.setClipRect(g.cells);
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(target, cells_, QRect(c0, r0, c1 - c0, r1 - r0));
  // Band boundaries across the cells, so that each category's square reads as one block.
  painter.setPen(QPen(QColor(0x30, 0x30, 0x30, 110), 1));
  for (const SimilarityMatrix::Band& band : matrix_->bands) {
    if (band.begin == 0) continue;
    const double x = g.cells.left() + (band.begin - view_.left()) * g.cellPixels;
    const double y = g.cells.top() + (band.begin - view_.top()) * g.cellPixels;
    painter.drawLine(QPointF(x, g.cells.top()), QPointF(x, g.cells.bottom() + 1));
    painter.drawLine(QPointF(g.cells.left(), y), QPointF(g.cells.right() + 1, y));
  }
  painter.restore();
  painter.setPen(kFrameColour);
  painter.drawRect(g.cells.adjusted(-1, -1, 0, 0));

  paintAxes(painter, g);
  paintTrees(painter, g);
  paintLegend(painter, g);
}

void SimilarityHeatmap::paintAxes(QPainter& painter, const Geometry& g) const {
  const int n = int(matrix_->size());
  const auto first = std::max(0, int(std::floor(view_.top())));
  const auto last = std::min(n, int(std::ceil(view_.bottom())));
  const auto firstColumn = std::max(0, int(std::floor(view_.left())));
  const auto lastColumn = std::min(n, int(std::ceil(view_.right())));
  // Category bands: one colour per band (the legend names them; hover too).
  for (std::size_t b = 0; b < matrix_->bands.size(); ++b) {
    const SimilarityMatrix::Band& band = matrix_->bands[b];
    const QColor colour = categoryColour(int(b % kCategoryColours));
    const double y0 = g.cells.top() + (band.begin - view_.top()) * g.cellPixels;
    const double y1 = g.cells.top() + (band.end - view_.top()) * g.cellPixels;
    const double x0 = g.cells.left() + (band.begin - view_.left()) * g.cellPixels;
    const double x1 = g.cells.left() + (band.end - view_.left()) * g.cellPixels;
    painter.save();
    painter.setClipRect(g.rowBands);
    painter.fillRect(QRectF(g.rowBands.left(), y0, g.rowBands.width(), y1 - y0), colour);
    painter.setClipRect(g.columnBands);
    painter.fillRect(QRectF(x0, g.columnBands.top(), x1 - x0, g.columnBands.height()), colour);
    painter.restore();
  }
  if (g.labelPixels <= 0) return;
  painter.save();
  // Row and column labels are sized to the cells, so they keep that size in presenter mode.
  painter.setFont(pixelFont(font(), int(std::lround(g.labelPixels / plotTextScale()))));
  painter.setPen(kPlotTextColor);
  const QFontMetrics metrics = painter.fontMetrics();
  const int textWidth = g.rowLabels.width() - 6;
  for (int r = first; r < last; ++r) {
    const double y = g.cells.top() + (r - view_.top()) * g.cellPixels;
    const QRectF box(g.rowLabels.left(), y, textWidth, g.cellPixels);
    if (box.center().y() < g.cells.top() || box.center().y() > g.cells.bottom()) continue;
    painter.drawText(
        box, Qt::AlignRight | Qt::AlignVCenter,
        metrics.elidedText(labelText(matrix_->labels[std::size_t(r)]), Qt::ElideRight, textWidth));
  }
  if (!g.columnLabels.isEmpty()) {
    const int columnWidth = g.columnLabels.height() - 6;
    for (int c = firstColumn; c < lastColumn; ++c) {
      const double x = g.cells.left() + (c + 0.5 - view_.left()) * g.cellPixels;
      if (x < g.cells.left() || x > g.cells.right()) continue;
      // Written bottom to top, ending just above the cells.
      painter.save();
      painter.translate(x, g.columnLabels.bottom() - 2);
      painter.rotate(-90);
      painter.drawText(QRectF(0, -g.cellPixels / 2, columnWidth, g.cellPixels),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       metrics.elidedText(labelText(matrix_->labels[std::size_t(c)]),
                                          Qt::ElideRight, columnWidth));
      painter.restore();
    }
  }
  painter.restore();
}

void SimilarityHeatmap::paintTrees(QPainter& painter, const Geometry& g) const {
  if (treeNodes_.empty() || g.rowTree.isEmpty()) return;
  const std::size_t n = matrix_->size();
  const auto& merges = matrix_->clustering.merges;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, false);
  painter.setPen(QPen(kTreeColour, 1));
  // Along the top: a node at (cells along the axis, height) -> (x, y).
  const auto topPoint = [&](const QPointF& node) {
    return QPointF(g.cells.left() + (node.x() - view_.left()) * g.cellPixels,
                   g.columnTree.bottom() - node.y() * (g.columnTree.height() - 2));
  };
  const auto leftPoint = [&](const QPointF& node) {
    return QPointF(g.rowTree.right() - node.y() * (g.rowTree.width() - 2),
                   g.cells.top() + (node.x() - view_.top()) * g.cellPixels);
  };
  painter.setClipRect(g.columnTree);
  for (std::size_t k = 0; k < merges.size(); ++k) {
    const QPointF a = topPoint(treeNodes_[std::size_t(merges[k].left)]);
    const QPointF b = topPoint(treeNodes_[std::size_t(merges[k].right)]);
    const double y = topPoint(treeNodes_[n + k]).y();
    const QPointF lines[] = {a, {a.x(), y}, {a.x(), y}, {b.x(), y}, {b.x(), y}, b};
    painter.drawLines(lines, 3);
  }
  painter.setClipRect(g.rowTree);
  for (std::size_t k = 0; k < merges.size(); ++k) {
    const QPointF a = leftPoint(treeNodes_[std::size_t(merges[k].left)]);
    const QPointF b = leftPoint(treeNodes_[std::size_t(merges[k].right)]);
    const double x = leftPoint(treeNodes_[n + k]).x();
    const QPointF lines[] = {a, {x, a.y()}, {x, a.y()}, {x, b.y()}, {x, b.y()}, b};
    painter.drawLines(lines, 3);
  }
  painter.restore();
}

void SimilarityHeatmap::paintLegend(QPainter& painter, const Geometry& g) const {
  painter.save();
  painter.setPen(kPlotTextColor);
  const QRect& box = g.legend;
  int y = box.top();
  // The measure's name titles the colour bar; its details, in a smaller font, follow.
  const auto [name, details] = splitMeasure(matrix_->measure);
  painter.setFont(pixelFont(font(), 12, true));
  const QRect nameRect =
      painter.boundingRect(QRect(box.left(), y, box.width(), 200), Qt::TextWordWrap, name);
  painter.drawText(QRect(box.left(), y, box.width(), nameRect.height()), Qt::TextWordWrap, name);
  y += nameRect.height() + 2;
  if (!details.isEmpty()) {
    painter.setPen(QColor(0x5a, 0x62, 0x6c));
    painter.setFont(pixelFont(font(), 10));
    const QRect detailRect =
        painter.boundingRect(QRect(box.left(), y, box.width(), 200), Qt::TextWordWrap, details);
    painter.drawText(QRect(box.left(), y, box.width(), detailRect.height()), Qt::TextWordWrap,
                     details);
    y += detailRect.height();
    painter.setPen(kPlotTextColor);
  }
  y += 8;

  painter.setFont(pixelFont(font(), 11));
  const int barHeight = std::clamp(box.bottom() - y - 150, 60, 220);
  paintColourBar(painter, QRect(box.left(), y, 16, barHeight), scale_.scale,
                 evenColourTicks(scale_.scale, 5));
  y += barHeight + 10;
  painter.setPen(QColor(0x5a, 0x62, 0x6c));
  painter.setFont(pixelFont(font(), 10));
  const QRect noteRect(box.left(), y, box.width(), box.bottom() - y);
  const QRect used = painter.boundingRect(noteRect, Qt::TextWordWrap, scale_.note);
  painter.drawText(noteRect, Qt::TextWordWrap, scale_.note);
  y += used.height() + 12;

  if (!matrix_->bands.empty() && y + 20 < box.bottom()) {
    painter.setPen(kPlotTextColor);
    painter.setFont(pixelFont(font(), 11, true));
    painter.drawText(QRect(box.left(), y, box.width(), 16), Qt::AlignLeft,
                     QStringLiteral("Categories"));
    y += 18;
    painter.setFont(pixelFont(font(), 11));
    const QFontMetrics metrics = painter.fontMetrics();
    const int lineHeight = std::max(14, metrics.height());
    const std::size_t bands = matrix_->bands.size();
    for (std::size_t b = 0; b < bands; ++b) {
      const bool lastRoom = y + 2 * lineHeight > box.bottom();
      if (b >= kLegendSwatches || lastRoom) {
        painter.drawText(QRect(box.left(), y, box.width(), lineHeight), Qt::AlignLeft,
                         QStringLiteral("+ %1 more (hover the bands)").arg(bands - b));
        break;
      }
      painter.fillRect(QRect(box.left(), y + (lineHeight - 10) / 2, 10, 10),
                       categoryColour(int(b % kCategoryColours)));
      const std::string& name = matrix_->bands[b].category;
      painter.drawText(QRect(box.left() + 16, y, box.width() - 16, lineHeight),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       metrics.elidedText(name.empty() ? QStringLiteral("(none)") : toQString(name),
                                          Qt::ElideRight, box.width() - 16));
      y += lineHeight;
    }
  }
  painter.restore();
}

}  // namespace reco::ui
