#pragma once
/// The item map (issue 13): every item of an ItemMap as a point in the plane, coloured by
/// category (the top kCategoryColours categories, grey for the rest) or by popularity (log
/// scale), sized by popularity, with a legend, axes (PCA: "PC1 (xx% of variance)"; the
/// neighbour layout: no numbers), hover, search highlight, rubber-band selection, zoom and
/// pan. GUI thread only.
///
/// The GUI thread only paints a cached picture: the grid index (item_map_raster.h) and each
/// drawing of the points run in QtConcurrent on immutable snapshots; while a drawing for a
/// new view is under way the previous one is shown moved and scaled to the new view. Above
/// kPointLimit points in view the drawing is a density image at screen resolution; below
/// it, discs. A newer request supersedes an older one (at most one drawing in flight).
///
/// Interaction: wheel zooms around the cursor; left drag pans; shift + left drag selects the
/// points inside a rubber band (selectionChanged); a click on empty ground clears the
/// selection; double-click on a point emits itemActivated, on empty ground resets the view.

#include <QPoint>
#include <QRect>
#include <QString>
#include <QWidget>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/training/item_map.h"
#include "ui/plots/item_map_raster.h"

class QPainter;

namespace reco::ui {

class ItemMapView : public QWidget {
  Q_OBJECT

 public:
  /// More points than this in view: the density drawing.
  static constexpr std::size_t kPointLimit = 50000;

  explicit ItemMapView(QWidget* parent = nullptr);
  ~ItemMapView() override;

  /// Shows `map` (null: nothing, with a note). Clears the selection and the highlight's
  /// matches (the text stays and is matched again); the index is built in the background.
  void setMap(std::shared_ptr<const ItemMap> map);
  const std::shared_ptr<const ItemMap>& map() const { return map_; }
  void setColouring(MapColouring colouring);
  MapColouring colouring() const { return colouring_; }
  /// Highlights the items whose title or id contains `text` (case-insensitive), dims the
  /// others; empty text: no highlight. Matched in the background: highlightChanged follows.
  void setHighlight(const QString& text);
  /// Items matching the highlight (0 without one, or while it is being matched).
  std::size_t highlightCount() const { return highlightCount_; }

  /// The dataset items selected by the last rubber band, ascending by point.
  const std::vector<std::int32_t>& selectedItems() const { return selectedItems_; }
  void clearSelection();

  /// Whether the index is built and the shown drawing is of the current view and state.
  bool isDrawn() const;
  /// Whether the shown drawing is the density one; points in view when it was drawn; how
  /// long it took (on its worker thread).
  bool showsDensity() const { return raster_.density; }
  std::size_t drawnVisibleCount() const { return raster_.visible; }
  double lastDrawMilliseconds() const { return raster_.milliseconds; }

  /// The point (index into the map) nearest to `position` within 8 pixels, if any.
  std::optional<std::size_t> pointAt(QPointF position) const;
  /// Where point `point` is on the widget now.
  QPointF positionOf(std::size_t point) const;
  /// Zooms by `factor` (> 1 zooms in) keeping the plane point under `anchor` in place.
  void zoomAt(QPointF anchor, double factor);
  QString hoverText() const { return hoverText_; }
  /// The title line: items, source, method.
  QString title() const;

  /// Writes a picture (title, points, axes, legend) as PNG, at least 900 x 700 pixels,
  /// drawing it on this thread (a user's explicit request). Never over the workspace at
  /// `workspacePath` (empty: none known), its -wal/-shm/-journal or any SQLite file, links
  /// followed (export_file.h). Returns the error in words, empty on success.
  QString exportPng(const QString& path, const QString& workspacePath = {});

  QSize sizeHint() const override { return {900, 700}; }
  QSize minimumSizeHint() const override { return {320, 240}; }

 public slots:
  /// Fits the whole map into view.
  void resetView();

 signals:
  /// The dataset items inside a rubber band (empty when the selection was cleared).
  void selectionChanged(std::vector<std::int32_t> datasetItems);
  /// A double-click on a point: its dataset item.
  void itemActivated(std::int32_t datasetItem);
  /// The highlight's matches are known.
  void highlightChanged(int matches);
  /// What the pointer is over, in words; empty when nothing.
  void hoverTextChanged(const QString& text);
  /// A drawing of the current view arrived (isDrawn() is true).
  void drawn();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  struct Geometry {
    QRect title, plot, legend;
    QRect xAxis, yAxis;  ///< tick labels and axis titles
  };
  Geometry geometry(QSize size) const;
  /// The transform of the plot area of a picture of `size`, same centre and scale.
  MapTransform transformFor(QSize size) const;
  void paintAll(QPainter& painter, QSize size, const MapRaster& raster) const;
  void paintAxes(QPainter& painter, const Geometry& geometry, const MapTransform& transform) const;
  void paintLegend(QPainter& painter, const Geometry& geometry, const MapRaster& raster) const;
  MapRenderRequest renderRequest(const MapTransform& transform) const;
  /// Something the drawing depends on changed: a new one is requested.
  void changed();
  void startDrawing();
  void fitView();
  void setHover(std::optional<std::size_t> point, QPoint globalPosition);
  void selectInside(const QRect& band);

  std::shared_ptr<const ItemMap> map_;
  std::shared_ptr<const MapIndex> index_;
  MapColouring colouring_ = MapColouring::Category;
  QString highlightText_;
  std::shared_ptr<const std::vector<std::uint8_t>> highlight_;
  std::size_t highlightCount_ = 0;
  std::shared_ptr<const std::vector<std::uint8_t>> selected_;
  std::vector<std::int32_t> selectedItems_;

  // The view: plane point at the plot's centre and pixels per plane unit.
  double centreX_ = 0, centreY_ = 0, scale_ = 1, fitScale_ = 1;
  bool fitted_ = true;  ///< the view is the fit (refitted on resize)

  MapRaster raster_;                ///< the drawing shown
  std::uint64_t state_ = 0;         ///< bumped by every change that the drawing shows
  std::uint64_t rasterState_ = 0;   ///< the state raster_ was drawn for
  bool drawing_ = false;            ///< a drawing is in flight
  std::uint64_t indexRequest_ = 0;  ///< the newest index build; older results are dropped
  std::uint64_t matchRequest_ = 0;  ///< the newest highlight match

  std::optional<std::size_t> hovered_;
  QString hoverText_;
  enum class Drag { None, Pan, Band } drag_ = Drag::None;
  QPoint pressPosition_;
  QPoint lastPosition_;
  bool moved_ = false;
};

}  // namespace reco::ui
