// The charts' legend: right of the plot, or in rows under the title (charts_axes.h).

#include <algorithm>
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

}  // namespace reco::report::detail
