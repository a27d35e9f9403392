// X-y charts: accuracy against training time (log x, labelled points), training curves,
// the long tail and activity plots, the item map (one points-only series per category).

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/report/charts.h"
#include "core/report/charts_axes.h"

namespace reco::report {

namespace {

using namespace detail;

struct Range {
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  void add(double v) {
    if (!std::isfinite(v)) return;
    low = std::isnan(low) ? v : std::min(low, v);
    high = std::isnan(high) ? v : std::max(high, v);
  }
};

double at(const std::vector<double>& values, std::size_t i) {
  return i < values.size() ? values[i] : std::numeric_limits<double>::quiet_NaN();
}

bool overlaps(const Box& a, const Box& b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

bool inside(const Box& inner, const Box& outer) {
  return inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top &&
         inner.bottom <= outer.bottom;
}

/// Whether every pair of neighbouring tick labels of a horizontal axis has room.
bool labelsFit(const Axis& axis) {
  for (std::size_t i = 1; i < axis.ticks.size(); ++i) {
    const double distance = std::abs(axis.map(axis.ticks[i]) - axis.map(axis.ticks[i - 1]));
    const double needed = (estimateTextWidth(axis.labels[i], kTickSize) +
                           estimateTextWidth(axis.labels[i - 1], kTickSize)) /
                              2 +
                          6;
    if (distance < needed) return false;
  }
  return true;
}

/// Point labels beside their markers: right of the point, else left of it (near the right
/// edge), else above or below; the first place that stays in the plot and clear of other
/// labels and markers wins, and a label with no such place takes the first that stays in
/// the plot.
void placePointLabels(Drawing& drawing, const std::vector<TextShape>& wanted,
                      const std::vector<Point>& anchors, const std::vector<Box>& markers,
                      const Box& plot, DataCover& cover) {
  std::vector<Box> taken = markers;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const Point p = anchors[i];
    const double size = wanted[i].size;
    const double lift = 0.32 * size;
    TextShape candidates[4] = {wanted[i], wanted[i], wanted[i], wanted[i]};
    candidates[0].at = {p.x + 4.5, p.y + lift};
    candidates[0].anchor = TextAnchor::Start;
    candidates[1].at = {p.x - 4.5, p.y + lift};
    candidates[1].anchor = TextAnchor::End;
    candidates[2].at = {p.x, p.y - 5};
    candidates[2].anchor = TextAnchor::Middle;
    candidates[3].at = {p.x, p.y + 5 + kAscent * size};
    candidates[3].anchor = TextAnchor::Middle;
    const TextShape* chosen = nullptr;
    const TextShape* fallback = nullptr;
    for (const TextShape& candidate : candidates) {
      const Box box = textBounds(candidate);
      if (!inside(box, plot)) continue;
      if (fallback == nullptr) fallback = &candidate;
      // Its own marker is among `taken`, but never under a label beside it.
      const bool clear = std::none_of(taken.begin(), taken.end(),
                                      [&](const Box& other) { return overlaps(box, other); });
      if (clear) {
        chosen = &candidate;
        break;
      }
    }
    if (chosen == nullptr) chosen = fallback != nullptr ? fallback : &candidates[0];
    const Box box = textBounds(*chosen);
    taken.push_back(box);
    cover.add(box);
    // A translucent white ground keeps the label readable over a dense scatter (the item
    // map) and hardly shows on white.
    RectShape ground;
    ground.x = box.left - 1;
    ground.y = box.top;
    ground.width = box.width() + 2;
    ground.height = box.height();
    ground.fill = Colour{0xFF, 0xFF, 0xFF, 190};
    drawing.shapes.emplace_back(ground);
    drawing.shapes.emplace_back(*chosen);
  }
}

std::size_t paletteIndex(const XyChart& chart, std::size_t index) {
  const int chosen = chart.series[index].colourIndex;
  return chosen >= 0 ? static_cast<std::size_t>(chosen) : index;
}

Colour colourOf(const XyChart& chart, std::size_t index) {
  return seriesColour(paletteIndex(chart, index));
}

/// Past the palette's eight colours a colour comes round again: its markers are open
/// circles then, so that the item map's ninth category differs from its first.
bool hollow(const XyChart& chart, std::size_t index) {
  return paletteIndex(chart, index) >= 8;
}

/// The chart with its legend at `place` (plan: its layout), or nullopt when an Inside
/// legend would cover data.
std::optional<Drawing> layoutXy(const XyChart& chart, double width, double height,
                                const std::vector<LegendEntry>& entries, LegendPlace place,
                                const LegendPlan& legend) {
  Drawing drawing;
  drawing.width = width;
  drawing.height = height;

  const auto usable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!chart.logX || x > 0) && (!chart.logY || y > 0);
  };
  Range xs, ys;
  bool anyLabel = false;
  for (const XySeries& series : chart.series) {
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      const double x = series.x[i];
      const double y = at(series.y, i);
      if (!usable(x, y)) continue;
      xs.add(x);
      ys.add(y);
      for (double end : {at(series.yLow, i), at(series.yHigh, i)}) {
        if (!chart.logY || end > 0) ys.add(end);
      }
      if (i < series.pointLabels.size() && !series.pointLabels[i].empty()) anyLabel = true;
    }
  }

  double top = drawTitle(drawing, chart.title);
  const double legendTop = top;
  if (place == LegendPlace::Top) top += legend.height + 4;
  const double legendRoom = place == LegendPlace::Right ? legend.width + 14 : 0;

  Box plot;
  plot.top = top + 4;
  plot.bottom = height - xAxisBand(!chart.xLabel.empty());
  const Axis yPlan = planAxis(ys.low, ys.high, chart.logY, true, yTickBudget(plot.height()),
                              chart.yMin, chart.yMax);
  Axis yAxis = yPlan;
  yAxis.from = plot.bottom;
  yAxis.to = plot.top;
  plot.left = yAxisBand(widestLabel(yAxis.labels, kTickSize), !chart.yLabel.empty());

  // The x axis: as many ticks as fit without their labels touching. The last label may
  // stick out right of the plot by half its width: the right margin makes room.
  Axis xAxis;
  const double roughWidth = width - plot.left - kPad - legendRoom;
  for (int budget = std::clamp(static_cast<int>(roughWidth / 45) + 1, 2, 10); budget >= 2;
       --budget) {
    xAxis = planAxis(xs.low, xs.high, chart.logX, true, budget, chart.xMin, chart.xMax);
    const double lastHalf =
        xAxis.labels.empty() ? 0 : estimateTextWidth(xAxis.labels.back(), kTickSize) / 2;
    plot.right = width - std::max(kPad + legendRoom, lastHalf + 2 + legendRoom);
    xAxis.from = plot.left;
    xAxis.to = plot.right;
    if (labelsFit(xAxis)) break;
  }

  drawYAxis(drawing, yAxis, plot, chart.yLabel);
  drawXAxis(drawing, xAxis, plot, chart.xLabel);

  std::vector<TextShape> labels;
  std::vector<Point> labelAnchors;
  std::vector<Box> markerBoxes;
  DataCover cover;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const XySeries& series = chart.series[s];
    const Colour colour = colourOf(chart, s);
    const auto drawable = [&](std::size_t i) {
      const double x = series.x[i];
      const double y = at(series.y, i);
      return usable(x, y) && xAxis.contains(x) && yAxis.contains(y);
    };
    // Lines: one polyline per run of drawable points (a gap breaks the line).
    if (series.lines) {
      PolylineShape line;
      line.stroke = {colour, 1.5, series.dashed};
      const auto flush = [&] {
        if (line.points.size() >= 2) drawing.shapes.emplace_back(line);
        line.points.clear();
      };
      for (std::size_t i = 0; i < series.x.size(); ++i) {
        if (!drawable(i)) {
          flush();
          continue;
        }
        line.points.push_back({xAxis.map(series.x[i]), yAxis.map(series.y[i])});
        if (line.points.size() >= 2) {
          cover.addSegment(line.points[line.points.size() - 2], line.points.back(), 1);
        }
      }
      flush();
    }
    // Many points: small markers (the item map), smaller still on a line, which already
    // shows the values (a training curve of a hundred epochs).
    const bool dense = series.x.size() > 40;
    const double radius = !dense ? 2.8 : series.lines ? 1.3 : 2.0;
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      if (!drawable(i)) continue;
      const Point p{xAxis.map(series.x[i]), yAxis.map(series.y[i])};
      const double lowEnd = at(series.yLow, i);
      const double highEnd = at(series.yHigh, i);
      if (yAxis.contains(lowEnd) && yAxis.contains(highEnd)) {
        const Stroke stroke{colour, 0.9, false};
        const double y1 = yAxis.map(lowEnd);
        const double y2 = yAxis.map(highEnd);
        drawing.shapes.emplace_back(LineShape{{p.x, y1}, {p.x, y2}, stroke});
        cover.add({p.x - 3, std::min(y1, y2), p.x + 3, std::max(y1, y2)});
        drawing.shapes.emplace_back(LineShape{{p.x - 3, y1}, {p.x + 3, y1}, stroke});
        drawing.shapes.emplace_back(LineShape{{p.x - 3, y2}, {p.x + 3, y2}, stroke});
      }
      if (series.points || !series.lines) {
        CircleShape marker;
        marker.centre = p;
        marker.radius = radius;
        if (hollow(chart, s)) {
          marker.stroke = Stroke{colour, 1.1, false};
        } else {
          marker.fill = colour;
          if (dense && !series.lines) marker.fill->alpha = 210;  // overlaps stay visible
          if (!dense) marker.stroke = Stroke{kWhite, 0.6, false};
        }
        drawing.shapes.emplace_back(marker);
        markerBoxes.push_back({p.x - radius, p.y - radius, p.x + radius, p.y + radius});
        cover.add(markerBoxes.back());
      }
      if (i < series.pointLabels.size() && !series.pointLabels[i].empty()) {
        labels.push_back(
            makeText(p, truncateToWidth(series.pointLabels[i], kSmallSize, plot.width() * 0.45),
                     kSmallSize, TextAnchor::Start, false, 0, kInk));
        labelAnchors.push_back(p);
      }
    }
  }
  if (anyLabel) placePointLabels(drawing, labels, labelAnchors, markerBoxes, plot, cover);
  return finishChart(std::move(drawing), entries, legend, place, plot, legendTop, 12, cover);
}

}  // namespace

Drawing drawXyChart(const XyChart& chart, double width, double height) {
  std::vector<LegendEntry> entries;
  std::size_t named = 0;
  for (const XySeries& series : chart.series) named += series.name.empty() ? 0U : 1U;
  if (chart.legend && named > 1) {
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const XySeries& series = chart.series[s];
      if (series.name.empty()) continue;
      entries.push_back({series.name, colourOf(chart, s), false, series.lines,
                         series.points || !series.lines, series.dashed, hollow(chart, s)});
    }
  }
  if (entries.empty()) return *layoutXy(chart, width, height, entries, LegendPlace::None, {});
  // Right of the plot when there is room; else inside its top-right corner when no line,
  // marker or label lies there (a training curve falling away from it); else in rows under
  // the title.
  const LegendPlan plan = planLegend(entries, width);
  if (plan.right) return *layoutXy(chart, width, height, entries, LegendPlace::Right, plan);
  const LegendPlan column = planColumnLegend(entries, width * 0.4);
  if (auto inside = layoutXy(chart, width, height, entries, LegendPlace::Inside, column)) {
    return *inside;
  }
  return *layoutXy(chart, width, height, entries, LegendPlace::Top, plan);
}

}  // namespace reco::report
