// The heatmap: the similarity matrix of chosen items, with a colour legend.

#include <algorithm>
#include <array>
#include <cmath>

#include "core/common/number_text.h"
#include "core/report/charts.h"
#include "core/report/charts_axes.h"

namespace reco::report {

namespace {

using namespace detail;

constexpr Colour kMissing{0xBD, 0xBD, 0xBD, 255};

/// A sequential, perceptually even scale (viridis' anchors at ninths), t in [0, 1].
Colour sequentialColour(double t) {
  static constexpr std::array<Colour, 9> kAnchors = {{
      {0x44, 0x01, 0x54, 255},
      {0x47, 0x2D, 0x7B, 255},
      {0x3B, 0x52, 0x8B, 255},
      {0x2C, 0x72, 0x8E, 255},
      {0x21, 0x90, 0x8C, 255},
      {0x27, 0xAD, 0x81, 255},
      {0x5D, 0xC8, 0x63, 255},
      {0xAA, 0xDC, 0x32, 255},
      {0xFD, 0xE7, 0x25, 255},
  }};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kAnchors.size() - 1);
  const auto index = std::min(static_cast<std::size_t>(t), kAnchors.size() - 2);
  const double f = t - static_cast<double>(index);
  const Colour& a = kAnchors[index];
  const Colour& b = kAnchors[index + 1];
  const auto mix = [f](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround(x + (y - x) * f));
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), 255};
}

bool isDark(const Colour& c) {
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 140;
}

/// Which labels of an axis with cells `cell` points apart are shown: every one when a line
/// of text fits in a cell, else every second, third, ...
std::size_t labelEvery(double cell, double size) {
  const double needed = (kAscent + kDescent) * size * 1.05;
  return cell >= needed ? 1 : static_cast<std::size_t>(std::ceil(needed / cell));
}

}  // namespace

Drawing drawHeatmap(const Heatmap& chart, double width, double height) {
  Drawing drawing;
  drawing.width = width;
  drawing.height = height;
  const std::size_t rows = chart.values.size();
  std::size_t columns = 0;
  for (const auto& row : chart.values) columns = std::max(columns, row.size());
  const double top = drawTitle(drawing, chart.title) + 2;

  // The colour legend right of the grid: bar, tick labels, the value label rotated.
  const double low = chart.minValue;
  const double high = chart.maxValue > chart.minValue ? chart.maxValue : chart.minValue + 1;
  const std::array<double, 3> legendValues = {low, (low + high) / 2, high};
  std::vector<std::string> legendLabels;
  // Enough decimals to tell the three apart, and one more when the middle needs it
  // (0 to 3: 0, 1.5, 3).
  const double span = high - low;
  int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(span / 2) - 1e-9)));
  const double scaledMiddle = legendValues[1] * std::pow(10.0, decimals);
  if (std::abs(scaledMiddle - std::round(scaledMiddle)) > 1e-6) ++decimals;
  decimals = std::min(decimals, 6);
  legendLabels.reserve(legendValues.size());
  for (double v : legendValues) legendLabels.push_back(formatFixed(v, decimals));
  const double barWidth = 12;
  const double legendWidth = 14 + barWidth + 4 + widestLabel(legendLabels, kTickSize) + 6 +
                             (chart.valueLabel.empty() ? 0 : (kAscent + kDescent) * kTickSize);

  // Label sizes, then cells as large as fit (square).
  const double labelSize = kSmallSize;
  const double maxRowLabel = std::min(widestLabel(chart.rowLabels, labelSize), width * 0.25);
  const double left = kPad + maxRowLabel + 4;
  const double availableWidth = width - left - legendWidth - kPad;
  const auto cellFor = [&](double columnBand) {
    const double availableHeight = height - top - kPad - columnBand - 4;
    return std::max(
        0.5, std::min(availableWidth / static_cast<double>(std::max<std::size_t>(columns, 1)),
                      availableHeight / static_cast<double>(std::max<std::size_t>(rows, 1))));
  };
  // Column labels are level when they fit in a cell, or when cells are wide enough that a
  // shortened label still says something (~10 characters); else they read bottom to top.
  const double levelBand = (kAscent + kDescent) * labelSize;
  const double widestColumn = widestLabel(chart.columnLabels, labelSize);
  double cell = cellFor(levelBand);
  const bool levelColumns = widestColumn <= cell - 3 || cell >= 50;
  const double maxColumnLabel = levelColumns ? cell - 3 : std::min(widestColumn, height * 0.25);
  if (!levelColumns) cell = cellFor(maxColumnLabel);
  Box grid;
  grid.left = left;
  grid.top = top;
  grid.right = left + cell * static_cast<double>(columns);
  grid.bottom = top + cell * static_cast<double>(rows);

  const bool writeValues = cell >= 26 && rows * columns <= 144;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < chart.values[r].size(); ++c) {
      const double value = chart.values[r][c];
      RectShape rect;
      rect.x = grid.left + static_cast<double>(c) * cell;
      rect.y = grid.top + static_cast<double>(r) * cell;
      rect.width = cell;
      rect.height = cell;
      rect.fill = std::isfinite(value) ? sequentialColour((value - low) / (high - low)) : kMissing;
      // A white hairline between cells while they are large enough to show it.
      if (cell >= 8) rect.stroke = Stroke{kWhite, 0.5, false};
      drawing.shapes.emplace_back(rect);
      if (writeValues && std::isfinite(value)) {
        const double size = std::clamp(cell * 0.28, kMinSize, kLegendSize);
        drawing.shapes.emplace_back(makeText({rect.x + cell / 2, rect.y + cell / 2 + 0.32 * size},
                                             formatFixed(value, 2), size, TextAnchor::Middle, false,
                                             0, isDark(*rect.fill) ? kWhite : kInk));
      }
    }
  }

  // Row labels left of the grid, column labels under it (level when they fit in a cell,
  // else rotated to read bottom to top); long ones shortened, crowded ones thinned.
  const std::size_t rowEvery = labelEvery(cell, labelSize);
  for (std::size_t r = 0; r < std::min(rows, chart.rowLabels.size()); r += rowEvery) {
    const double y = grid.top + (static_cast<double>(r) + 0.5) * cell + 0.32 * labelSize;
    drawing.shapes.emplace_back(
        makeText({grid.left - 4, y}, truncateToWidth(chart.rowLabels[r], labelSize, maxRowLabel),
                 labelSize, TextAnchor::End));
  }
  const std::size_t columnEvery = levelColumns ? 1 : labelEvery(cell, labelSize);
  for (std::size_t c = 0; c < std::min(columns, chart.columnLabels.size()); c += columnEvery) {
    const double x = grid.left + (static_cast<double>(c) + 0.5) * cell;
    if (levelColumns) {
      drawing.shapes.emplace_back(
          makeText({x, grid.bottom + 4 + kAscent * labelSize},
                   truncateToWidth(chart.columnLabels[c], labelSize, maxColumnLabel), labelSize,
                   TextAnchor::Middle));
    } else {
      drawing.shapes.emplace_back(
          makeText({x + 0.27 * labelSize, grid.bottom + 4},
                   truncateToWidth(chart.columnLabels[c], labelSize, maxColumnLabel), labelSize,
                   TextAnchor::End, false, -90));
    }
  }

  // The colour legend: ~20 stacked bands from the maximum (top) to the minimum.
  const double barLeft = grid.right + 14;
  const double barHeight = std::clamp(grid.height(), 60.0, 200.0);
  const double barTop = grid.top + std::max(0.0, (grid.height() - barHeight) / 2);
  constexpr int kBands = 20;
  const double band = barHeight / kBands;
  for (int i = 0; i < kBands; ++i) {
    RectShape rect;
    rect.x = barLeft;
    rect.y = barTop + band * i;
    rect.width = barWidth;
    rect.height = i + 1 < kBands ? band + 0.3 : band;  // overlaps hide seams between bands
    // From exactly the maximum's colour at the top to exactly the minimum's at the bottom.
    rect.fill = sequentialColour(1.0 - static_cast<double>(i) / (kBands - 1));
    drawing.shapes.emplace_back(rect);
  }
  RectShape outline;
  outline.x = barLeft;
  outline.y = barTop;
  outline.width = barWidth;
  outline.height = barHeight;
  outline.stroke = Stroke{kFrame, 0.6, false};
  drawing.shapes.emplace_back(outline);
  for (std::size_t i = 0; i < legendValues.size(); ++i) {
    const double y = barTop + barHeight * (1.0 - static_cast<double>(i) / 2);
    drawing.shapes.emplace_back(
        LineShape{{barLeft + barWidth, y}, {barLeft + barWidth + 3, y}, {kFrame, 0.6, false}});
    drawing.shapes.emplace_back(makeText({barLeft + barWidth + 5, y + 0.32 * kTickSize},
                                         legendLabels[i], kTickSize, TextAnchor::Start, false, 0,
                                         kMuted));
  }
  if (!chart.valueLabel.empty()) {
    const double x =
        barLeft + barWidth + 5 + widestLabel(legendLabels, kTickSize) + 6 + kAscent * kTickSize;
    drawing.shapes.emplace_back(
        makeText({x, barTop + barHeight / 2},
                 truncateToWidth(chart.valueLabel, kTickSize, std::max(barHeight + 40, 80.0)),
                 kTickSize, TextAnchor::Middle, false, -90));
  }
  keepTextsInside(drawing);
  return drawing;
}

}  // namespace reco::report
