#pragma once
/// The item map's heavy work, off the GUI thread (issue 13): a uniform grid index over the
/// layout (hover and rubber-band lookups), the matching of a search text, and the drawing
/// of the map into a QImage for one view. Every function here is pure over immutable
/// snapshots and safe to run on a worker thread (QtConcurrent), which is how ItemMapView
/// calls them, so a million points never stall the window.

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/training/item_map.h"
#include "ui/plots/colour_scale.h"

namespace reco::ui {

enum class MapColouring { Category, Popularity };

/// From the layout's plane to the pixels of the plot area: one scale for x and y (so that
/// distances keep their proportions), y upwards in the plane and downwards on screen.
struct MapTransform {
  double centreX = 0;  ///< the plane's point at the plot area's centre
  double centreY = 0;
  double scale = 1;  ///< pixels per unit of the plane
  QSize size;        ///< the plot area, logical pixels; (0, 0) is its top left

  QPointF toScreen(double x, double y) const {
    return {size.width() / 2.0 + (x - centreX) * scale,
            size.height() / 2.0 - (y - centreY) * scale};
  }
  QPointF toPlane(QPointF screen) const {
    return {centreX + (screen.x() - size.width() / 2.0) / scale,
            centreY - (screen.y() - size.height() / 2.0) / scale};
  }
  bool operator==(const MapTransform&) const = default;
};

/// What the view derives from a map once: bounds, popularity range, category counts and a
/// uniform grid over the points (about two points per cell, counting-sorted).
struct MapIndex {
  double minX = 0, minY = 0, maxX = 0, maxY = 0;
  std::int64_t maxPopularity = 0;
  std::vector<std::int64_t> categoryItems;  ///< items per category (parallel to categories)
  std::int64_t uncategorised = 0;           ///< items with categoryCode -1
  double cellSize = 1;
  std::int32_t columns = 1, rows = 1;
  std::vector<std::uint32_t> cellStart;  ///< columns * rows + 1 offsets into points
  std::vector<std::uint32_t> points;     ///< point indices, cell by cell

  /// The point nearest to (x, y) within `radius` (plane units), or -1. Cost: the points of
  /// the cells the radius covers.
  std::int64_t nearest(const ItemMap& map, double x, double y, double radius) const;
  /// The points inside `plane` (a rectangle of the plane, edges included), ascending.
  std::vector<std::uint32_t> pointsIn(const ItemMap& map, const QRectF& plane) const;
};

/// O(n) time and 8 bytes of memory per point; a million points take ~20 ms.
std::shared_ptr<const MapIndex> buildMapIndex(const ItemMap& map);

/// The colour scale of log10(popularity) (popularity below 1 counts as 1).
ColourScale popularityScale(std::int64_t maxPopularity);
/// A point's radius in pixels: 1.6 for the least popular, up to 4.2 for the most.
double pointRadius(std::int64_t popularity, std::int64_t maxPopularity);

/// Per point: 1 when its title or external id contains `text`, case-insensitively. Empty
/// `text`: null (no highlight). O(total text length); `matches` gets the count.
std::shared_ptr<const std::vector<std::uint8_t>> matchItems(const ItemMap& map, const QString& text,
                                                            std::size_t* matches);

/// One drawing of the map: everything it needs, shared or copied, so it can run anywhere.
struct MapRenderRequest {
  std::shared_ptr<const ItemMap> map;
  std::shared_ptr<const MapIndex> index;
  MapTransform transform;
  double pixelRatio = 1;  ///< device pixels per logical pixel
  MapColouring colouring = MapColouring::Category;
  std::shared_ptr<const std::vector<std::uint8_t>> highlight;  ///< null: none; 1: a match
  std::shared_ptr<const std::vector<std::uint8_t>> selected;   ///< null: none; 1: selected
  /// More points than this in view: the density drawing (one device pixel per point, the
  /// pixel's most popular point's colour, more opaque where points overlap); otherwise each
  /// point is a disc sized by its popularity.
  std::size_t pointLimit = 50000;
};

struct MapRaster {
  QImage image;  ///< the plot area (transparent where no point falls), at pixelRatio
  MapTransform transform;
  bool density = false;
  std::size_t visible = 0;  ///< points inside the plot area
  double milliseconds = 0;  ///< how long the drawing took
};

/// Draws the map for `request`. Points that are selected or match the highlight are drawn
/// last (on top), selected ones with a dark outline, non-matches paled. Linear in the
/// points, plus O(k log k) for the k discs drawn.
MapRaster renderItemMap(const MapRenderRequest& request);

}  // namespace reco::ui
