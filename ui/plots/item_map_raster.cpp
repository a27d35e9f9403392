#include "ui/plots/item_map_raster.h"

#include <QElapsedTimer>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace reco::ui {

namespace {

/// In the density drawing, at most this many emphasised points (matches, selected) are
/// drawn as discs on top, the most popular first: a search result of 12 items among a
/// million must be visible, and the cost stays bounded.
constexpr std::size_t kEmphasisLimit = 20000;
constexpr double kEmphasisRadius = 2.8;
const QColor kOutline(0x1a, 0x1a, 0x1a);
const QColor kPointEdge(255, 255, 255, 170);

bool isAscii(const QString& text) {
  return std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
}

char lowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool containsAscii(const std::string& haystack, const std::string& lowerNeedle) {
  const auto it = std::search(haystack.begin(), haystack.end(), lowerNeedle.begin(),
                              lowerNeedle.end(), [](char a, char b) { return lowerAscii(a) == b; });
  return it != haystack.end();
}

/// What a request says about one point.
class PointStyle {
 public:
  explicit PointStyle(const MapRenderRequest& request)
      : map_(*request.map),
        colouring_(request.colouring),
        scale_(popularityScale(request.index->maxPopularity)),
        maxPopularity_(request.index->maxPopularity),
        highlight_(request.highlight.get()),
        selected_(request.selected.get()) {}

  bool matches(std::size_t i) const { return highlight_ && (*highlight_)[i] != 0; }
  bool selected(std::size_t i) const { return selected_ && (*selected_)[i] != 0; }
  bool emphasised(std::size_t i) const { return matches(i) || selected(i); }
  /// Paled when a highlight is on and this point does not match it.
  QRgb colour(std::size_t i) const {
    QRgb base = 0;
    if (colouring_ == MapColouring::Category) {
      base = categoryColour(map_.categoryCode[i]).rgb();
    } else {
      base = scale_.colourAt(std::log10(double(std::max<std::int64_t>(map_.popularity[i], 1))));
    }
    if (!highlight_ || (*highlight_)[i] != 0) return base;
    const auto pale = [](int c) { return c + int((255 - c) * 0.8); };
    return qRgb(pale(qRed(base)), pale(qGreen(base)), pale(qBlue(base)));
  }
  double radius(std::size_t i) const { return pointRadius(map_.popularity[i], maxPopularity_); }
  /// Drawing order: plain points first, emphasised ones on top, popular over unpopular.
  bool drawnBefore(std::size_t a, std::size_t b) const {
    const bool ea = emphasised(a);
    const bool eb = emphasised(b);
    if (ea != eb) return eb;
    if (map_.popularity[a] != map_.popularity[b]) return map_.popularity[a] < map_.popularity[b];
    return a < b;
  }

 private:
  const ItemMap& map_;
  MapColouring colouring_;
  ColourScale scale_;
  std::int64_t maxPopularity_;
  const std::vector<std::uint8_t>* highlight_;
  const std::vector<std::uint8_t>* selected_;
};

/// Antialiased discs drawn once per colour, radius (in quarter pixels) and outline, then
/// stamped: a blit of a small image costs a fraction of rasterising an ellipse with its pen
/// (45,000 discs took ~150 ms as ellipses).
class DiscSprites {
 public:
  explicit DiscSprites(double pixelRatio) : pixelRatio_(pixelRatio) {}

  /// The sprite and its centre, in logical pixels from its top left.
  const QImage& sprite(QRgb colour, double radius, bool outlined, double* half) {
    const int quarters = int(std::lround(radius * 4));
    const std::uint64_t key =
        (std::uint64_t(colour) << 16) | (std::uint64_t(quarters) << 1) | std::uint64_t(outlined);
    *half = std::ceil(quarters / 4.0 + 1.5);
    auto it = sprites_.find(key);
    if (it != sprites_.end()) return it->second;
    const int side = int(std::ceil(2 * *half * pixelRatio_));
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(pixelRatio_);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(outlined ? QPen(kOutline, 1.4) : QPen(kPointEdge, 0.7));
    painter.setBrush(QColor::fromRgb(colour));
    const double r = quarters / 4.0;
    painter.drawEllipse(QPointF(*half, *half), r, r);
    painter.end();
    return sprites_.emplace(key, std::move(image)).first->second;
  }

 private:
  double pixelRatio_;
  std::unordered_map<std::uint64_t, QImage> sprites_;
};

/// Discs for `points` (in drawing order) on `image`, whose device pixel ratio is set.
void drawDiscs(QImage& image, const MapRenderRequest& request, const PointStyle& style,
               const std::vector<std::uint32_t>& points, double fixedRadius) {
  QPainter painter(&image);
  DiscSprites sprites(request.pixelRatio);
  const ItemMap& map = *request.map;
  for (const std::uint32_t i : points) {
    const QPointF at = request.transform.toScreen(map.layout.x[i], map.layout.y[i]);
    double half = 0;
    const QImage& sprite = sprites.sprite(
        style.colour(i), fixedRadius > 0 ? fixedRadius : style.radius(i), style.selected(i), &half);
    painter.drawImage(at - QPointF(half, half), sprite);
  }
}

}  // namespace

std::int64_t MapIndex::nearest(const ItemMap& map, double x, double y, double radius) const {
  if (points.empty() || !(radius > 0)) return -1;
  const auto cellX = [&](double v) {
    return std::clamp(int(std::floor((v - minX) / cellSize)), 0, columns - 1);
  };
  const auto cellY = [&](double v) {
    return std::clamp(int(std::floor((v - minY) / cellSize)), 0, rows - 1);
  };
  if (x + radius < minX || x - radius > maxX || y + radius < minY || y - radius > maxY) return -1;
  std::int64_t best = -1;
  double bestDistance = radius * radius;
  for (int cy = cellY(y - radius); cy <= cellY(y + radius); ++cy) {
    for (int cx = cellX(x - radius); cx <= cellX(x + radius); ++cx) {
      const std::size_t cell = std::size_t(cy) * std::size_t(columns) + std::size_t(cx);
      for (std::uint32_t k = cellStart[cell]; k < cellStart[cell + 1]; ++k) {
        const std::uint32_t i = points[k];
        const double dx = map.layout.x[i] - x;
        const double dy = map.layout.y[i] - y;
        const double distance = dx * dx + dy * dy;
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = i;
        }
      }
    }
  }
  return best;
}

std::vector<std::uint32_t> MapIndex::pointsIn(const ItemMap& map, const QRectF& plane) const {
  std::vector<std::uint32_t> inside;
  if (points.empty()) return inside;
  const QRectF r = plane.normalized();
  if (r.right() < minX || r.left() > maxX || r.bottom() < minY || r.top() > maxY) return inside;
  const int x0 = std::clamp(int(std::floor((r.left() - minX) / cellSize)), 0, columns - 1);
  const int x1 = std::clamp(int(std::floor((r.right() - minX) / cellSize)), 0, columns - 1);
  const int y0 = std::clamp(int(std::floor((r.top() - minY) / cellSize)), 0, rows - 1);
  const int y1 = std::clamp(int(std::floor((r.bottom() - minY) / cellSize)), 0, rows - 1);
  for (int cy = y0; cy <= y1; ++cy) {
    for (int cx = x0; cx <= x1; ++cx) {
      const std::size_t cell = std::size_t(cy) * std::size_t(columns) + std::size_t(cx);
      for (std::uint32_t k = cellStart[cell]; k < cellStart[cell + 1]; ++k) {
        const std::uint32_t i = points[k];
        const double x = map.layout.x[i];
        const double y = map.layout.y[i];
        if (x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom()) inside.push_back(i);
      }
    }
  }
  std::sort(inside.begin(), inside.end());
  return inside;
}

std::shared_ptr<const MapIndex> buildMapIndex(const ItemMap& map) {
  auto index = std::make_shared<MapIndex>();
  const std::size_t n = std::min({map.size(), map.layout.x.size(), map.layout.y.size()});
  index->categoryItems.assign(map.categories.size(), 0);
  bool first = true;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = map.layout.x[i];
    const double y = map.layout.y[i];
    index->maxPopularity = std::max(index->maxPopularity, map.popularity[i]);
    const std::int32_t code = map.categoryCode[i];
    if (code >= 0 && std::size_t(code) < index->categoryItems.size())
      ++index->categoryItems[std::size_t(code)];
    else
      ++index->uncategorised;
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    if (first) {
      index->minX = index->maxX = x;
      index->minY = index->maxY = y;
      first = false;
    }
    index->minX = std::min(index->minX, x);
    index->maxX = std::max(index->maxX, x);
    index->minY = std::min(index->minY, y);
    index->maxY = std::max(index->maxY, y);
  }
  // About two points per cell, square cells, at most 2^22 cells.
  const double width = std::max(index->maxX - index->minX, 1e-9);
  const double height = std::max(index->maxY - index->minY, 1e-9);
  const double cells = std::clamp(double(n) / 2.0, 1.0, double(1 << 22));
  index->cellSize = std::max({std::sqrt(width * height / cells), width / 4096, height / 4096});
  index->columns = std::max(1, int(std::ceil(width / index->cellSize)));
  index->rows = std::max(1, int(std::ceil(height / index->cellSize)));
  const std::size_t total = std::size_t(index->columns) * std::size_t(index->rows);
  std::vector<std::uint32_t> cellOf(n, std::uint32_t(total));
  index->cellStart.assign(total + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = map.layout.x[i];
    const double y = map.layout.y[i];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    const int cx = std::min(index->columns - 1, int((x - index->minX) / index->cellSize));
    const int cy = std::min(index->rows - 1, int((y - index->minY) / index->cellSize));
    cellOf[i] = std::uint32_t(std::size_t(cy) * std::size_t(index->columns) + std::size_t(cx));
    ++index->cellStart[cellOf[i] + 1];
  }
  for (std::size_t c = 0; c < total; ++c) index->cellStart[c + 1] += index->cellStart[c];
  index->points.resize(index->cellStart[total]);
  std::vector<std::uint32_t> next(index->cellStart.begin(), index->cellStart.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    if (cellOf[i] < total) index->points[next[cellOf[i]]++] = std::uint32_t(i);
  return index;
}

ColourScale popularityScale(std::int64_t maxPopularity) {
  return ColourScale(Palette::Viridis, 0,
                     std::log10(double(std::max<std::int64_t>(maxPopularity, 10))));
}

double pointRadius(std::int64_t popularity, std::int64_t maxPopularity) {
  const double top = std::log10(double(std::max<std::int64_t>(maxPopularity, 10)));
  const double here = std::log10(double(std::max<std::int64_t>(popularity, 1)));
  return 1.6 + 2.6 * std::clamp(here / top, 0.0, 1.0);
}

std::shared_ptr<const std::vector<std::uint8_t>> matchItems(const ItemMap& map, const QString& text,
                                                            std::size_t* matches) {
  if (matches) *matches = 0;
  const QString needle = text.trimmed();
  if (needle.isEmpty()) return nullptr;
  auto mask = std::make_shared<std::vector<std::uint8_t>>(map.size(), 0);
  std::size_t count = 0;
  // An ASCII needle matches bytewise with ASCII case folding (UTF-8 bytes of other letters
  // are >= 0x80 and never equal an ASCII byte); any other goes through QString.
  const bool ascii = isAscii(needle);
  const std::string lowerNeedle = needle.toLower().toStdString();
  for (std::size_t i = 0; i < map.size(); ++i) {
    const std::string& title = i < map.titles.size() ? map.titles[i] : std::string();
    const std::string& id = i < map.externalIds.size() ? map.externalIds[i] : std::string();
    bool hit = false;
    if (ascii) {
      hit = containsAscii(title, lowerNeedle) || containsAscii(id, lowerNeedle);
    } else {
      hit =
          QString::fromUtf8(title.data(), qsizetype(title.size()))
              .contains(needle, Qt::CaseInsensitive) ||
          QString::fromUtf8(id.data(), qsizetype(id.size())).contains(needle, Qt::CaseInsensitive);
    }
    if (hit) {
      (*mask)[i] = 1;
      ++count;
    }
  }
  if (matches) *matches = count;
  return mask;
}

MapRaster renderItemMap(const MapRenderRequest& request) {
  QElapsedTimer timer;
  timer.start();
  MapRaster out;
  out.transform = request.transform;
  const MapTransform& t = request.transform;
  const QSize device(int(std::lround(t.size.width() * request.pixelRatio)),
                     int(std::lround(t.size.height() * request.pixelRatio)));
  if (!request.map || !request.index || device.isEmpty()) return out;
  const ItemMap& map = *request.map;
  const std::size_t n = std::min({map.size(), map.layout.x.size(), map.layout.y.size()});
  const PointStyle style(request);
  out.image = QImage(device, QImage::Format_ARGB32_Premultiplied);
  out.image.fill(Qt::transparent);

  // Where each point falls, in device pixels: the visible ones are counted first, which
  // decides the drawing.
  const double s = t.scale * request.pixelRatio;
  const double originX = device.width() / 2.0 - t.centreX * s;
  const double originY = device.height() / 2.0 + t.centreY * s;
  const auto pixelX = [&](std::size_t i) { return originX + map.layout.x[i] * s; };
  const auto pixelY = [&](std::size_t i) { return originY - map.layout.y[i] * s; };
  std::size_t visible = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = pixelX(i);
    const double y = pixelY(i);
    visible += x >= 0 && y >= 0 && x < device.width() && y < device.height();
  }
  out.visible = visible;
  out.density = visible > request.pointLimit;

  if (!out.density) {
    // Discs, with a margin so that a disc whose centre is just outside still shows its edge.
    const double margin = 5 * request.pixelRatio;
    std::vector<std::uint32_t> shown;
    shown.reserve(visible);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = pixelX(i);
      const double y = pixelY(i);
      if (x >= -margin && y >= -margin && x < device.width() + margin &&
          y < device.height() + margin)
        shown.push_back(std::uint32_t(i));
    }
    std::sort(shown.begin(), shown.end(),
              [&](std::uint32_t a, std::uint32_t b) { return style.drawnBefore(a, b); });
    out.image.setDevicePixelRatio(request.pixelRatio);
    drawDiscs(out.image, request, style, shown, 0);
    out.milliseconds = double(timer.nsecsElapsed()) / 1e6;
    return out;
  }

  // Density: per device pixel, its best point (emphasised first, then the most popular) and
  // how many points fall there.
  const std::size_t pixels = std::size_t(device.width()) * std::size_t(device.height());
  std::vector<std::int32_t> best(pixels, -1);
  std::vector<std::uint16_t> count(pixels, 0);
  std::vector<std::uint32_t> emphasised;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = pixelX(i);
    const double y = pixelY(i);
    if (!(x >= 0 && y >= 0 && x < device.width() && y < device.height())) continue;
    const std::size_t p = std::size_t(y) * std::size_t(device.width()) + std::size_t(x);
    if (count[p] < 0xffff) ++count[p];
    if (best[p] < 0 || style.drawnBefore(std::size_t(best[p]), i)) best[p] = std::int32_t(i);
    if (style.emphasised(i)) emphasised.push_back(std::uint32_t(i));
  }
  for (int y = 0; y < device.height(); ++y) {
    auto* line = reinterpret_cast<QRgb*>(out.image.scanLine(y));
    const std::size_t row = std::size_t(y) * std::size_t(device.width());
    for (int x = 0; x < device.width(); ++x) {
      const std::size_t p = row + std::size_t(x);
      if (best[p] < 0) continue;
      const QRgb colour = style.colour(std::size_t(best[p]));
      // A lone point is 60% opaque, 32 or more overlapping ones fully.
      const double alpha = 0.6 + 0.4 * std::min(1.0, std::log2(double(count[p])) / 5.0);
      line[x] = qPremultiply(
          qRgba(qRed(colour), qGreen(colour), qBlue(colour), int(std::lround(alpha * 255))));
    }
  }
  if (emphasised.size() > kEmphasisLimit) {
    std::nth_element(emphasised.begin(), emphasised.end() - std::ptrdiff_t(kEmphasisLimit),
                     emphasised.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return style.drawnBefore(a, b); });
    emphasised.erase(emphasised.begin(), emphasised.end() - std::ptrdiff_t(kEmphasisLimit));
  }
  std::sort(emphasised.begin(), emphasised.end(),
            [&](std::uint32_t a, std::uint32_t b) { return style.drawnBefore(a, b); });
  out.image.setDevicePixelRatio(request.pixelRatio);
  drawDiscs(out.image, request, style, emphasised, kEmphasisRadius);
  out.milliseconds = double(timer.nsecsElapsed()) / 1e6;
  return out;
}

}  // namespace reco::ui
