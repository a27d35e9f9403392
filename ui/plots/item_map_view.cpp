// The item map's state, background work and interaction; its painting is in
// item_map_paint.cpp, its heavy lifting in item_map_raster.cpp.
#include "ui/plots/item_map_view.h"

#include <QBuffer>
#include <QFutureWatcher>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <QtConcurrent>
#include <algorithm>
#include <climits>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/plots/export_file.h"
#include "ui/workers/background_pool.h"

namespace reco::ui {

namespace {

constexpr double kWheelStep = 1.0015;  // zoom per eighth of a degree of wheel turn
constexpr int kClickSlop = 4;          // pixels a press may move and still be a click
constexpr double kHoverPixels = 8;     // how near the pointer must be to a point
constexpr double kFitShare = 0.94;     // the share of the plot the fitted map fills
constexpr int kMinExportWidth = 900;
constexpr int kMinExportHeight = 700;

struct Matches {
  std::shared_ptr<const std::vector<std::uint8_t>> mask;
  std::size_t count = 0;
};

}  // namespace

ItemMapView::ItemMapView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("itemMapView"));
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

ItemMapView::~ItemMapView() = default;

void ItemMapView::setMap(std::shared_ptr<const ItemMap> map) {
  map_ = std::move(map);
  index_.reset();
  raster_ = {};
  highlight_.reset();
  highlightCount_ = 0;
  selected_.reset();
  selectedItems_.clear();
  hovered_.reset();
  hoverText_.clear();
  const std::uint64_t request = ++indexRequest_;
  ++state_;
  update();
  if (!map_) return;
  auto* watcher = new QFutureWatcher<std::shared_ptr<const MapIndex>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request] {
    watcher->deleteLater();
    if (request != indexRequest_) return;  // a newer map came
    index_ = watcher->result();
    fitView();
    changed();
    if (!highlightText_.trimmed().isEmpty()) setHighlight(highlightText_);
  });
  watcher->setFuture(
      QtConcurrent::run(&backgroundPool(), [map = map_] { return buildMapIndex(*map); }));
}

void ItemMapView::setColouring(MapColouring colouring) {
  if (colouring == colouring_) return;
  colouring_ = colouring;
  changed();
}

void ItemMapView::setHighlight(const QString& text) {
  highlightText_ = text;
  const std::uint64_t request = ++matchRequest_;
  if (!map_ || text.trimmed().isEmpty()) {
    const bool had = highlight_ != nullptr;
    highlight_.reset();
    highlightCount_ = 0;
    if (had) changed();
    emit highlightChanged(0);
    return;
  }
  auto* watcher = new QFutureWatcher<Matches>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request] {
    watcher->deleteLater();
    if (request != matchRequest_) return;  // superseded by newer text or a new map
    const Matches matches = watcher->result();
    highlight_ = matches.mask;
    highlightCount_ = matches.count;
    changed();
    emit highlightChanged(int(std::min<std::size_t>(matches.count, INT_MAX)));
  });
  watcher->setFuture(QtConcurrent::run(&backgroundPool(), [map = map_, text] {
    Matches matches;
    matches.mask = matchItems(*map, text, &matches.count);
    return matches;
  }));
}

void ItemMapView::clearSelection() {
  if (selectedItems_.empty() && !selected_) return;
  selected_.reset();
  selectedItems_.clear();
  changed();
  emit selectionChanged({});
}

bool ItemMapView::isDrawn() const {
  return index_ && !raster_.image.isNull() && rasterState_ == state_;
}

MapTransform ItemMapView::transformFor(QSize size) const {
  MapTransform transform;
  transform.centreX = centreX_;
  transform.centreY = centreY_;
  transform.scale = scale_;
  transform.size = geometry(size).plot.size();
  return transform;
}

MapRenderRequest ItemMapView::renderRequest(const MapTransform& transform) const {
  MapRenderRequest request;
  request.map = map_;
  request.index = index_;
  request.transform = transform;
  request.pixelRatio = devicePixelRatioF();
  request.colouring = colouring_;
  request.highlight = highlight_;
  request.selected = selected_;
  request.pointLimit = kPointLimit;
  return request;
}

void ItemMapView::changed() {
  ++state_;
  update();
  if (index_ && !drawing_) startDrawing();
}

void ItemMapView::startDrawing() {
  drawing_ = true;
  const std::uint64_t state = state_;
  auto* watcher = new QFutureWatcher<MapRaster>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, state, map = map_.get()] {
    watcher->deleteLater();
    drawing_ = false;
    if (!index_) return;  // a new map's index is being built; it asks for a drawing then
    // A drawing of another map (setMap came meanwhile) is of no use even as a preview.
    if (map != map_.get()) {
      startDrawing();
      return;
    }
    raster_ = watcher->result();
    rasterState_ = state;
    update();
    if (rasterState_ != state_)
      startDrawing();  // the view moved meanwhile: draw the newest state
    else
      emit drawn();
  });
  watcher->setFuture(
      QtConcurrent::run(&backgroundPool(), renderItemMap, renderRequest(transformFor(size()))));
}

void ItemMapView::fitView() {
  if (!index_) return;
  const QRect plot = geometry(size()).plot;
  const double width = std::max(index_->maxX - index_->minX, 1e-9);
  const double height = std::max(index_->maxY - index_->minY, 1e-9);
  centreX_ = (index_->minX + index_->maxX) / 2;
  centreY_ = (index_->minY + index_->maxY) / 2;
  scale_ = std::max(1e-9, std::min(std::max(plot.width(), 1) * kFitShare / width,
                                   std::max(plot.height(), 1) * kFitShare / height));
  fitScale_ = scale_;
  fitted_ = true;
}

void ItemMapView::resetView() {
  fitView();
  changed();
}

void ItemMapView::zoomAt(QPointF anchor, double factor) {
  if (!index_ || !(factor > 0)) return;
  const QRect plot = geometry(size()).plot;
  const MapTransform transform = transformFor(size());
  const QPointF fixed = transform.toPlane(anchor - QPointF(plot.topLeft()));
  const double scale = std::clamp(scale_ * factor, fitScale_ * 0.5, fitScale_ * 1e6);
  // The plane point under the anchor stays under it.
  centreX_ = fixed.x() + (centreX_ - fixed.x()) * scale_ / scale;
  centreY_ = fixed.y() + (centreY_ - fixed.y()) * scale_ / scale;
  scale_ = scale;
  fitted_ = false;
  changed();
}

std::optional<std::size_t> ItemMapView::pointAt(QPointF position) const {
  if (!index_) return std::nullopt;
  const QRect plot = geometry(size()).plot;
  if (!QRectF(plot).contains(position)) return std::nullopt;
  const QPointF plane = transformFor(size()).toPlane(position - QPointF(plot.topLeft()));
  const std::int64_t point =
      index_->nearest(*map_, plane.x(), plane.y(), kHoverPixels / std::max(scale_, 1e-12));
  if (point < 0) return std::nullopt;
  return std::size_t(point);
}

QPointF ItemMapView::positionOf(std::size_t point) const {
  if (!map_ || point >= map_->size()) return {};
  const QRect plot = geometry(size()).plot;
  return QPointF(plot.topLeft()) +
         transformFor(size()).toScreen(map_->layout.x[point], map_->layout.y[point]);
}

QString ItemMapView::title() const {
  if (!map_) return QStringLiteral("Item map");
  const bool pca = map_->layout.explained[0] > 0 || map_->layout.explained[1] > 0;
  // The source without its details in parentheses (the panel shows them in full).
  QString source = toQString(map_->source);
  if (const qsizetype open = source.indexOf(QStringLiteral(" (")); open > 0)
    source = source.left(open);
  return QStringLiteral("Item map · %1 items · %2 · %3")
      .arg(formatCount(std::int64_t(map_->size())),
           pca ? QStringLiteral("PCA") : QStringLiteral("neighbour layout"), source);
}

void ItemMapView::setHover(std::optional<std::size_t> point, QPoint globalPosition) {
  if (point == hovered_) return;
  hovered_ = point;
  update();
  QString text;
  if (point && map_) {
    const std::size_t i = *point;
    const std::string& title = map_->titles[i];
    const std::int32_t code = map_->categoryCode[i];
    const QString category = code >= 0 && std::size_t(code) < map_->categories.size()
                                 ? toQString(map_->categories[std::size_t(code)])
                                 : QStringLiteral("(none)");
    text = QStringLiteral("%1\nid %2 · category: %3\npopularity: %4 interactions")
               .arg(title.empty() ? toQString(map_->externalIds[i]) : toQString(title),
                    toQString(map_->externalIds[i]), category, formatCount(map_->popularity[i]));
  }
  if (text == hoverText_) return;
  hoverText_ = text;
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(globalPosition, plainToolTip(text), this);
  emit hoverTextChanged(text);
}

void ItemMapView::selectInside(const QRect& band) {
  if (!index_) return;
  const QRect plot = geometry(size()).plot;
  const MapTransform transform = transformFor(size());
  const QPointF a = transform.toPlane(QPointF(band.topLeft() - plot.topLeft()));
  const QPointF b = transform.toPlane(QPointF(band.bottomRight() - plot.topLeft()));
  const std::vector<std::uint32_t> inside = index_->pointsIn(*map_, QRectF(a, b).normalized());
  auto mask = std::make_shared<std::vector<std::uint8_t>>(map_->size(), 0);
  selectedItems_.clear();
  selectedItems_.reserve(inside.size());
  for (const std::uint32_t i : inside) {
    (*mask)[i] = 1;
    selectedItems_.push_back(map_->items[i]);
  }
  selected_ = inside.empty() ? nullptr : std::move(mask);
  changed();
  emit selectionChanged(selectedItems_);
}

void ItemMapView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  if (fitted_) fitView();
  changed();
}

void ItemMapView::mousePressEvent(QMouseEvent* event) {
  pressPosition_ = lastPosition_ = event->position().toPoint();
  moved_ = false;
  drag_ = event->button() != Qt::LeftButton        ? Drag::None
          : event->modifiers() & Qt::ShiftModifier ? Drag::Band
                                                   : Drag::Pan;
}

void ItemMapView::mouseMoveEvent(QMouseEvent* event) {
  const QPoint position = event->position().toPoint();
  if (drag_ != Drag::None) {
    moved_ = moved_ || (position - pressPosition_).manhattanLength() > kClickSlop;
    if (drag_ == Drag::Pan && moved_ && index_) {
      const QPoint shift = position - lastPosition_;
      centreX_ -= shift.x() / scale_;
      centreY_ += shift.y() / scale_;
      fitted_ = false;
      changed();
    }
    lastPosition_ = position;
    if (drag_ == Drag::Band) update();
    return;
  }
  setHover(pointAt(event->position()), event->globalPosition().toPoint());
}

void ItemMapView::mouseReleaseEvent(QMouseEvent* event) {
  const Drag drag = std::exchange(drag_, Drag::None);
  const QPoint position = event->position().toPoint();
  if (drag == Drag::Band && moved_) {
    selectInside(QRect(pressPosition_, position).normalized());
  } else if (drag == Drag::Pan && !moved_ && !pointAt(event->position())) {
    clearSelection();
  }
  update();
}

void ItemMapView::mouseDoubleClickEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !map_) return;
  if (const auto point = pointAt(event->position()))
    emit itemActivated(map_->items[*point]);
  else
    resetView();
}

void ItemMapView::wheelEvent(QWheelEvent* event) {
  zoomAt(event->position(), std::pow(kWheelStep, double(event->angleDelta().y())));
  event->accept();
}

void ItemMapView::leaveEvent(QEvent* event) {
  QWidget::leaveEvent(event);
  setHover(std::nullopt, {});
}

void ItemMapView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintAll(painter, size(), raster_);
  painter.setRenderHint(QPainter::Antialiasing, true);
  if (hovered_) {
    painter.setPen(QPen(QColor(0x1a, 0x1a, 0x1a), 1.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawEllipse(positionOf(*hovered_), 6.5, 6.5);
  }
  if (drag_ == Drag::Band && moved_) {
    painter.setPen(QPen(QColor(0x20, 0x20, 0x20), 1, Qt::DashLine));
    painter.setBrush(QColor(0x40, 0x70, 0xb0, 40));
    painter.drawRect(QRect(pressPosition_, lastPosition_).normalized());
  }
}

QString ItemMapView::exportPng(const QString& path, const QString& workspacePath) {
  if (!map_) return QStringLiteral("There is no map to export.");
  if (!index_) return QStringLiteral("The map is still being prepared; try again in a moment.");
  // Refused before drawing: a refusal should not wait for a large picture.
  if (QString problem = exportTargetProblem(path, workspacePath); !problem.isEmpty())
    return problem;
  const QSize size(std::max(width(), kMinExportWidth), std::max(height(), kMinExportHeight));
  MapRenderRequest request = renderRequest(transformFor(size));
  request.pixelRatio = 1;
  const MapRaster raster = renderItemMap(request);
  QImage picture(size, QImage::Format_RGB32);
  {
    QPainter painter(&picture);
    paintAll(painter, size, raster);
  }
  QByteArray png;
  QBuffer buffer(&png);
  if (!buffer.open(QIODevice::WriteOnly) || !picture.save(&buffer, "PNG"))
    return QStringLiteral("Could not encode the map as PNG for %1.").arg(path);
  return writeExportFile(path, png, workspacePath);
}

}  // namespace reco::ui
