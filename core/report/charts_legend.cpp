// The charts' legend: right of the plot, or in rows under the title (charts_axes.h).

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/report/charts_axes.h"

namespace reco::report::detail {

namespace {

constexpr double kSwatch = 8;     // legend swatch side
constexpr double kSwatchGap = 4;  // swatch to name
constexpr double kEntryGap = 12;  // between entries in a row
constexpr double kRowHeight = kLegendSize * 1.45;

double entryWidth(const std::string& name) {
  return kSwatch + kSwatchGap + estimateTextWidth(name, kLegendSize);
}

}  // namespace

LegendPlan planLegend(const std::vector<LegendEntry>& entries, double drawingWidth) {
  LegendPlan plan;
  const double rightBudget = drawingWidth * 0.3;
  // Right of the plot when every name fits (names of up to ~18 characters on a full-width
  // chart; shortened ones are fine when most fit).
  std::vector<std::string> names;
  double widest = 0;
  int truncated = 0;
  for (const auto& entry : entries) {
    const std::string name =
        truncateToWidth(entry.name, kLegendSize, rightBudget - kSwatch - kSwatchGap - 4);
    truncated += name != entry.name ? 1 : 0;
    widest = std::max(widest, entryWidth(name));
    names.push_back(name);
  }
  const double rightHeight = static_cast<double>(entries.size()) * kRowHeight;
  if (truncated * 4 <= static_cast<int>(entries.size()) && drawingWidth >= 320) {
    plan.right = true;
    plan.names = names;
    plan.width = widest;
    plan.height = rightHeight;
    return plan;
  }
  // Rows under the title, wrapped at the drawing's width.
  plan.right = false;
  const double available = drawingWidth - 2 * kPad;
  double x = 0;
  int row = 0;
  for (const auto& entry : entries) {
    const std::string name =
        truncateToWidth(entry.name, kLegendSize, available - kSwatch - kSwatchGap);
    const double width = entryWidth(name);
    if (x > 0 && x + width > available) {
      ++row;
      x = 0;
    }
    plan.names.push_back(name);
    plan.rowStarts.push_back(x);
    plan.rows.push_back(row);
    x += width + kEntryGap;
  }
  plan.width = available;
  plan.height = entries.empty() ? 0 : (row + 1) * kRowHeight;
  return plan;
}

void drawLegend(Drawing& drawing, const std::vector<LegendEntry>& entries, const LegendPlan& plan,
                double x, double y) {
  if (!plan.right) {
    // Centre each row: find its width first.
    std::vector<double> rowWidth;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto row = static_cast<std::size_t>(plan.rows[i]);
      if (rowWidth.size() <= row) rowWidth.resize(row + 1, 0);
      rowWidth[row] = plan.rowStarts[i] + entryWidth(plan.names[i]);
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto row = static_cast<std::size_t>(plan.rows[i]);
      const double left = x + (plan.width - rowWidth[row]) / 2 + plan.rowStarts[i];
      const double top = y + static_cast<double>(row) * kRowHeight;
      LegendPlan single;
      single.right = true;
      single.names = {plan.names[i]};
      drawLegend(drawing, {entries[i]}, single, left, top);
    }
    return;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& entry = entries[i];
    const double top = y + static_cast<double>(i) * kRowHeight;
    const double middle = top + kRowHeight / 2;
    if (entry.square) {
      RectShape swatch;
      swatch.x = x;
      swatch.y = middle - kSwatch / 2;
      swatch.width = kSwatch;
      swatch.height = kSwatch;
      swatch.fill = entry.colour;
      drawing.shapes.emplace_back(swatch);
    }
    if (entry.line) {
      drawing.shapes.emplace_back(
          LineShape{{x - 2, middle}, {x + kSwatch + 2, middle}, {entry.colour, 1.5, entry.dashed}});
    }
    if (entry.marker) {
      CircleShape marker;
      marker.centre = {x + kSwatch / 2, middle};
      marker.radius = 2.5;
      if (entry.hollow) {
        marker.stroke = Stroke{entry.colour, 1.2, false};
      } else {
        marker.fill = entry.colour;
      }
      drawing.shapes.emplace_back(marker);
    }
    drawing.shapes.emplace_back(makeText({x + kSwatch + kSwatchGap, middle + 0.35 * kLegendSize},
                                         plan.names[i], kLegendSize));
  }
}

LegendPlan planColumnLegend(const std::vector<LegendEntry>& entries, double maxWidth) {
  LegendPlan plan;
  plan.right = true;
  for (const auto& entry : entries) {
    plan.names.push_back(truncateToWidth(entry.name, kLegendSize, maxWidth - kSwatch - kSwatchGap));
    plan.width = std::max(plan.width, entryWidth(plan.names.back()));
  }
  plan.height = static_cast<double>(entries.size()) * kRowHeight;
  return plan;
}

namespace {

constexpr double kInsidePad = 3;  // between the inside legend's ground and its entries

}  // namespace

std::optional<Box> insideLegendBox(const LegendPlan& plan, const Box& plot) {
  const Box box{plot.right - 4 - plan.width - 2 * kInsidePad - 2, plot.top + 4, plot.right - 4,
                plot.top + 4 + plan.height + 2 * kInsidePad};
  if (box.width() > plot.width() * 0.5 || box.height() > plot.height() * 0.6) return std::nullopt;
  return box;
}

void drawInsideLegend(Drawing& drawing, const std::vector<LegendEntry>& entries,
                      const LegendPlan& plan, const Box& box) {
  RectShape ground;
  ground.x = box.left;
  ground.y = box.top;
  ground.width = box.width();
  ground.height = box.height();
  ground.fill = Colour{0xFF, 0xFF, 0xFF, 235};
  ground.stroke = Stroke{kGrid, 0.6, false};
  drawing.shapes.emplace_back(ground);
  drawLegend(drawing, entries, plan, box.left + kInsidePad + 2, box.top + kInsidePad);
}

void DataCover::addSegment(Point from, Point to, double halfWidth) {
  const double length = std::hypot(to.x - from.x, to.y - from.y);
  const int steps = std::max(1, static_cast<int>(std::ceil(length / 2)));
  for (int i = 0; i <= steps; ++i) {
    const double f = static_cast<double>(i) / steps;
    const Point p{from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f};
    boxes.push_back({p.x - halfWidth, p.y - halfWidth, p.x + halfWidth, p.y + halfWidth});
  }
}

bool DataCover::hits(const Box& box) const {
  return std::any_of(boxes.begin(), boxes.end(), [&](const Box& other) {
    return box.left < other.right && other.left < box.right && box.top < other.bottom &&
           other.top < box.bottom;
  });
}

std::optional<Drawing> finishChart(Drawing drawing, const std::vector<LegendEntry>& entries,
                                   const LegendPlan& legend, LegendPlace place, const Box& plot,
                                   double legendTop, double rightGap, const DataCover& cover) {
  drawFrame(drawing, plot);
  if (place == LegendPlace::Right)
    drawLegend(drawing, entries, legend, plot.right + rightGap, plot.top);
  if (place == LegendPlace::Top) drawLegend(drawing, entries, legend, kPad, legendTop);
  if (place == LegendPlace::Inside) {
    const auto box = insideLegendBox(legend, plot);
    if (!box || cover.hits(*box)) return std::nullopt;
    drawInsideLegend(drawing, entries, legend, *box);
  }
  keepTextsInside(drawing);
  return drawing;
}

}  // namespace reco::report::detail
