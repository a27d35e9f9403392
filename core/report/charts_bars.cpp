// Grouped bars: metric bars with 95% CIs, segments.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

#include "core/report/charts.h"
#include "core/report/charts_axes.h"

namespace reco::report {

namespace {

using namespace detail;

/// How the category labels under the bars are written: level, at -45 degrees or at -90
/// degrees with only every `every`-th shown, each at most `maxLength` long.
struct CategoryLabels {
  double rotation = 0;
  std::size_t every = 1;
  double maxLength = 0;
  double band = 0;  ///< height taken under the plot, the outer margin included
};

CategoryLabels planCategoryLabels(const std::vector<std::string>& categories, double groupWidth,
                                  double drawingHeight) {
  CategoryLabels plan;
  const double widest = widestLabel(categories, kTickSize);
  const double lineHeight = (kAscent + kDescent) * kTickSize;
  const double longest = drawingHeight * 0.34;  // at most this much of the height for labels
  if (widest <= groupWidth - 4) {
    plan.maxLength = groupWidth - 4;
    plan.band = 4 + lineHeight + kPad;
  } else if (groupWidth >= kTickSize * 1.6) {
    // At -45 degrees neighbours are groupWidth * sin 45 apart, measured across the text.
    plan.rotation = -45;
    plan.maxLength = std::min(widest, longest / std::numbers::sqrt2);
    plan.band = 4 + (plan.maxLength + lineHeight) / std::numbers::sqrt2 + kPad;
  } else {
    plan.rotation = -90;
    plan.every = static_cast<std::size_t>(std::ceil(lineHeight * 1.15 / groupWidth));
    plan.maxLength = std::min(widest, longest);
    plan.band = 4 + plan.maxLength + kPad;
  }
  return plan;
}

void drawCategoryLabels(Drawing& drawing, const std::vector<std::string>& categories,
                        const CategoryLabels& plan, const Box& plot, double groupWidth) {
  for (std::size_t c = 0; c < categories.size(); c += plan.every) {
    const double centre = plot.left + (static_cast<double>(c) + 0.5) * groupWidth;
    if (plan.rotation == 0) {
      drawing.shapes.emplace_back(
          makeText({centre, plot.bottom + 4 + kAscent * kTickSize},
                   truncateToWidth(categories[c], kTickSize, plan.maxLength), kTickSize,
                   TextAnchor::Middle));
    } else if (plan.rotation == -45) {
      // The text ends at the tick and runs down to the left; it may not leave the drawing.
      const Point at{centre + 0.19 * kTickSize, plot.bottom + 4 + 0.55 * kTickSize};
      const double room = (at.x - 2) * std::numbers::sqrt2 - kAscent * kTickSize;
      drawing.shapes.emplace_back(
          makeText(at, truncateToWidth(categories[c], kTickSize, std::min(plan.maxLength, room)),
                   kTickSize, TextAnchor::End, false, -45));
    } else {
      const Point at{centre + 0.27 * kTickSize, plot.bottom + 4};
      drawing.shapes.emplace_back(
          makeText(at, truncateToWidth(categories[c], kTickSize, plan.maxLength), kTickSize,
                   TextAnchor::End, false, -90));
    }
  }
}

double valueAt(const std::vector<std::vector<double>>& table, std::size_t s, std::size_t c) {
  if (s >= table.size() || c >= table[s].size()) return std::numeric_limits<double>::quiet_NaN();
  return table[s][c];
}

/// The chart with its legend at `place` (plan: its layout), or nullopt when an Inside
/// legend would cover data.
std::optional<Drawing> layoutBars(const GroupedBars& chart, double width, double height,
                                  const std::vector<LegendEntry>& entries, LegendPlace place,
                                  const LegendPlan& legend) {
  Drawing drawing;
  drawing.width = width;
  drawing.height = height;
  const std::size_t seriesCount = chart.series.size();
  const std::size_t categoryCount = chart.categories.size();

  double top = drawTitle(drawing, chart.title);
  const double legendTop = top;
  if (place == LegendPlace::Top) top += legend.height + 4;
  const double right = kPad + (place == LegendPlace::Right ? legend.width + 12 : 0) + 2;

  // The y axis starts at zero and covers every value and error bar end.
  double low = 0, high = 0;
  for (std::size_t s = 0; s < seriesCount; ++s) {
    for (std::size_t c = 0; c < categoryCount; ++c) {
      for (double v :
           {valueAt(chart.values, s, c), valueAt(chart.lows, s, c), valueAt(chart.highs, s, c)}) {
        if (!std::isfinite(v)) continue;
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  if (high == low) high = 1;
  // A little headroom, so that the tallest bar or CI does not touch the frame.
  if (high > 0) high += (high - low) * 0.03;

  // The label band under the plot depends on the plot's width, which depends on the y
  // labels' width, which depends on the plot's height: two rounds settle it.
  double bottomBand = xAxisBand(false);
  Box plot;
  Axis yAxis;
  CategoryLabels labels;
  double groupWidth = 0;
  for (int round = 0; round < 2; ++round) {
    plot.top = top + 4;
    plot.bottom = height - bottomBand;
    yAxis = planAxis(low, high, false, false, yTickBudget(plot.height()));
    plot.left = yAxisBand(widestLabel(yAxis.labels, kTickSize), !chart.yLabel.empty());
    plot.right = width - right;
    groupWidth = plot.width() / static_cast<double>(std::max<std::size_t>(categoryCount, 1));
    labels = planCategoryLabels(chart.categories, groupWidth, height);
    bottomBand = labels.band;
  }
  plot.bottom = height - bottomBand;
  yAxis.from = plot.bottom;
  yAxis.to = plot.top;

  drawYAxis(drawing, yAxis, plot, chart.yLabel);
  const double zero = yAxis.map(std::clamp(0.0, yAxis.low, yAxis.high));
  const double barWidth =
      groupWidth * 0.8 / static_cast<double>(std::max<std::size_t>(seriesCount, 1));
  const double gap = barWidth > 6 ? 1.0 : 0.0;  // a hair of white between neighbours
  std::vector<LineShape> errorBars;
  DataCover cover;
  for (std::size_t c = 0; c < categoryCount; ++c) {
    for (std::size_t s = 0; s < seriesCount; ++s) {
      const double value = valueAt(chart.values, s, c);
      if (!std::isfinite(value)) continue;
      const double x = plot.left + static_cast<double>(c) * groupWidth + groupWidth * 0.1 +
                       static_cast<double>(s) * barWidth;
      const double y = yAxis.map(value);
      RectShape bar;
      bar.x = x + gap / 2;
      bar.width = barWidth - gap;
      bar.y = std::min(y, zero);
      bar.height = std::abs(zero - y);
      bar.fill = seriesColour(s);
      drawing.shapes.emplace_back(bar);
      cover.add({bar.x, bar.y, bar.x + bar.width, bar.y + bar.height});

      const double lowEnd = valueAt(chart.lows, s, c);
      const double highEnd = valueAt(chart.highs, s, c);
      if (!std::isfinite(lowEnd) || !std::isfinite(highEnd)) continue;
      const double centre = x + barWidth / 2;
      const double cap = std::clamp(barWidth * 0.25, 1.5, 4.0);
      const Stroke ink{kInk, 0.9, false};
      const double y1 = yAxis.map(lowEnd);
      const double y2 = yAxis.map(highEnd);
      errorBars.push_back({{centre, y1}, {centre, y2}, ink});
      cover.add({centre - cap, std::min(y1, y2), centre + cap, std::max(y1, y2)});
      errorBars.push_back({{centre - cap, y1}, {centre + cap, y1}, ink});
      errorBars.push_back({{centre - cap, y2}, {centre + cap, y2}, ink});
    }
  }
  // Error bars over every bar, so that a neighbour never hides a cap.
  for (const auto& line : errorBars) drawing.shapes.emplace_back(line);
  if (yAxis.low < 0) {
    drawing.shapes.emplace_back(
        LineShape{{plot.left, zero}, {plot.right, zero}, {kFrame, 0.8, false}});
  }
  drawCategoryLabels(drawing, chart.categories, labels, plot, groupWidth);
  return finishChart(std::move(drawing), entries, legend, place, plot, legendTop, 10, cover);
}

}  // namespace

Drawing drawGroupedBars(const GroupedBars& chart, double width, double height) {
  std::vector<LegendEntry> entries;
  if (chart.series.size() > 1) {
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      entries.push_back({chart.series[s], seriesColour(s), true, false, false, false});
    }
  }
  if (entries.empty()) return *layoutBars(chart, width, height, entries, LegendPlace::None, {});
  // Right of the plot when there is room; else inside its top-right corner when no bar or
  // error bar lies there; else in rows under the title.
  const LegendPlan plan = planLegend(entries, width);
  if (plan.right) return *layoutBars(chart, width, height, entries, LegendPlace::Right, plan);
  const LegendPlan column = planColumnLegend(entries, width * 0.4);
  if (auto inside = layoutBars(chart, width, height, entries, LegendPlace::Inside, column)) {
    return *inside;
  }
  return *layoutBars(chart, width, height, entries, LegendPlace::Top, plan);
}

}  // namespace reco::report
