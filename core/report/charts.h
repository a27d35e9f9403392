#pragma once
/// The report's charts: data in, a laid-out Drawing out (axes with "nice" ticks, labels, a
/// legend, error bars, a colour legend for the heatmap). Three kinds cover every plot of the
/// report: grouped bars (metric bars with 95% CIs, segments), an x-y chart (accuracy against
/// training time, training curves, long tail, activity, the item map) and a heatmap (the
/// similarity matrix). Pure functions of their input; no I/O.
///
/// Readability rules every layout keeps: axis titles on both axes, tick labels that do not
/// overlap (fewer ticks or rotated category labels), a legend whenever there is more than one
/// series, and text no smaller than 7 pt at the given size.

#include <optional>
#include <string>
#include <vector>

#include "core/report/drawing.h"

namespace reco::report {

/// Bars of `series` (one colour each, in the legend) over `categories` (x axis groups).
/// values[s][c] is series s at category c; NaN: no bar. lows/highs (same shape, or empty):
/// a 95% CI drawn as an error bar.
struct GroupedBars {
  std::string title;
  std::string yLabel;
  std::vector<std::string> categories;
  std::vector<std::string> series;
  std::vector<std::vector<double>> values;
  std::vector<std::vector<double>> lows, highs;
  /// y starts at 0 unless a value is negative.
};

struct XySeries {
  std::string name;
  std::vector<double> x, y;
  /// Per point, optional vertical error bar ends (empty, or as long as x).
  std::vector<double> yLow, yHigh;
  /// Per point, optional text drawn beside it (run names on the accuracy-time plot).
  std::vector<std::string> pointLabels;
  bool lines = true;   ///< connect the points in order
  bool points = true;  ///< draw a marker per point
  bool dashed = false;
  /// Colour: seriesColour(colourIndex); -1: the series' position.
  int colourIndex = -1;
};

struct XyChart {
  std::string title;
  std::string xLabel, yLabel;
  bool logX = false;  ///< x values must be > 0 then (others are skipped)
  bool logY = false;
  std::vector<XySeries> series;
  bool legend = true;  ///< drawn when true and there is more than one named series
  /// Axis limits; absent: from the data with a small margin.
  std::optional<double> xMin, xMax, yMin, yMax;
};

/// A square (or rectangular) matrix of values in [minValue, maxValue], coloured on a
/// sequential scale with a colour legend titled `valueLabel`.
struct Heatmap {
  std::string title;
  std::string valueLabel;  ///< "cosine similarity"
  std::vector<std::string> rowLabels, columnLabels;
  std::vector<std::vector<double>> values;  ///< [row][column]; NaN drawn grey
  double minValue = 0, maxValue = 1;
};

Drawing drawGroupedBars(const GroupedBars& chart, double width, double height);
Drawing drawXyChart(const XyChart& chart, double width, double height);
Drawing drawHeatmap(const Heatmap& chart, double width, double height);

/// Up to `maxTicks` "nice" tick values (1, 2, 2.5, 5 x 10^n steps) covering [low, high].
std::vector<double> niceTicks(double low, double high, int maxTicks);

}  // namespace reco::report
