#pragma once
/// Internal to the charts (charts_*.cpp): the shared pieces of a chart's layout. Sizes and
/// colours of the house style, numeric axes with their ticks and labels, text geometry,
/// truncation, the title and the legend. Not part of the report's interface.

#include <optional>
#include <string>
#include <vector>

#include "core/report/drawing.h"

namespace reco::report::detail {

// The house style, in points. Nothing is smaller than 7 pt at the requested size.
inline constexpr double kTitleSize = 11;
inline constexpr double kAxisTitleSize = 9;
inline constexpr double kTickSize = 8;
inline constexpr double kLegendSize = 8;
inline constexpr double kSmallSize = 7.5;  ///< point labels, heatmap labels at most
inline constexpr double kMinSize = 7;
inline constexpr double kPad = 6;  ///< outer margin of every chart

inline constexpr Colour kInk{0x22, 0x22, 0x22, 255};
inline constexpr Colour kMuted{0x55, 0x55, 0x55, 255};
inline constexpr Colour kFrame{0x66, 0x66, 0x66, 255};
inline constexpr Colour kGrid{0xE3, 0xE3, 0xE3, 255};
inline constexpr Colour kWhite{0xFF, 0xFF, 0xFF, 255};

/// Ascent and descent of a line of text as fractions of its size (DejaVu Sans, rounded up).
inline constexpr double kAscent = 0.78;
inline constexpr double kDescent = 0.24;

struct Box {
  double left = 0, top = 0, right = 0, bottom = 0;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

/// Where a text shape's glyphs will lie (estimated), whatever its anchor and rotation.
Box textBounds(const TextShape& text);

/// `text` shortened with a trailing "…" so that it is at most `maxWidth` wide at `size`
/// (whole UTF-8 characters only); unchanged when it fits.
std::string truncateToWidth(const std::string& text, double size, double maxWidth);

TextShape makeText(Point at, std::string text, double size, TextAnchor anchor = TextAnchor::Start,
                   bool bold = false, double rotation = 0, Colour colour = kInk);

/// A numeric axis: data values in [low, high] onto positions [from, to] (to < from for a y
/// axis, which grows upwards). A log axis maps log10 of the value.
struct Axis {
  double low = 0, high = 1;
  bool log = false;
  double from = 0, to = 1;
  std::vector<double> ticks;
  std::vector<std::string> labels;

  double map(double value) const;
  /// Whether `value` can be drawn: finite, positive on a log axis, within [low, high]
  /// (with a hair of tolerance for rounding).
  bool contains(double value) const;
};

/// Chooses the domain and ticks of an axis for data in [dataLow, dataHigh] (NaN: no data).
/// `padded`: a small margin around the data (x-y charts); otherwise the domain runs from
/// tick to tick (bars, whose axis starts at zero). Explicit limits override the data.
/// Positions are left to the caller.
Axis planAxis(double dataLow, double dataHigh, bool log, bool padded, int maxTicks,
              std::optional<double> fixedLow = {}, std::optional<double> fixedHigh = {});

/// A tick label written compactly: "0.25", "10", "1k", "2.5M", "0.01"; `step` is the
/// distance between ticks on a linear axis (0 on a log axis).
std::string tickLabel(double value, double step);

/// The widest label of an axis, in points at `size`.
double widestLabel(const std::vector<std::string>& labels, double size);

/// Draws the title centred at the top; returns the y below it (kPad when there is none).
double drawTitle(Drawing& drawing, const std::string& title);

/// A legend entry: the swatch (a filled square for bars, a short line and/or a marker for
/// x-y series) and the name.
struct LegendEntry {
  std::string name;
  Colour colour;
  bool square = true;
  bool line = false;
  bool marker = false;
  bool dashed = false;
  bool hollow = false;  ///< an open marker (series past the palette's first round)
};

/// The legend either goes right of the plot (when it takes at most ~30% of the width) or in
/// rows under the title; both keep it clear of the data.
struct LegendPlan {
  bool right = true;
  double width = 0, height = 0;
  std::vector<std::string> names;  ///< truncated to fit
  std::vector<double> rowStarts;   ///< top legend: x offset of each entry, and its row
  std::vector<int> rows;
};
LegendPlan planLegend(const std::vector<LegendEntry>& entries, double drawingWidth);
/// A legend as one column, names shortened to `maxWidth` (swatch included).
LegendPlan planColumnLegend(const std::vector<LegendEntry>& entries, double maxWidth);
void drawLegend(Drawing& drawing, const std::vector<LegendEntry>& entries, const LegendPlan& plan,
                double x, double y);

/// Where a chart puts its legend. Narrow charts try Inside (the plot's top-right corner, on
/// a white ground) and fall back to Top when the data would lie under it.
enum class LegendPlace { None, Right, Inside, Top };

/// The box of a column legend inside the top-right corner of `plot`, or nullopt when it
/// would take more than half the plot's width or 60% of its height.
std::optional<Box> insideLegendBox(const LegendPlan& plan, const Box& plot);
void drawInsideLegend(Drawing& drawing, const std::vector<LegendEntry>& entries,
                      const LegendPlan& plan, const Box& box);

/// Records where data is drawn, so that an inside legend can be checked against it.
struct DataCover {
  std::vector<Box> boxes;
  void add(const Box& box) { boxes.push_back(box); }
  /// A segment as small boxes every 2 pt along it.
  void addSegment(Point from, Point to, double halfWidth);
  bool hits(const Box& box) const;
};

/// The last steps every chart shares: the frame over the data, the legend where `place`
/// says (Right: `rightGap` right of the plot; Top: at `legendTop`; Inside: the plot's
/// top-right corner), and the texts kept inside. nullopt when an inside legend does not fit
/// or would hide data (`cover`): the caller lays out again with the legend on top.
std::optional<Drawing> finishChart(Drawing drawing, const std::vector<LegendEntry>& entries,
                                   const LegendPlan& legend, LegendPlace place, const Box& plot,
                                   double legendTop, double rightGap, const DataCover& cover);

/// Draws the horizontal grid lines and labels of a y axis (its from/to set) left of `plot`,
/// and the axis title rotated along the left edge.
void drawYAxis(Drawing& drawing, const Axis& axis, const Box& plot, const std::string& title);
/// Vertical grid lines and labels of a numeric x axis under `plot`, and its title at the
/// bottom of the drawing.
void drawXAxis(Drawing& drawing, const Axis& axis, const Box& plot, const std::string& title);
/// The plot frame (drawn after the data so that it stays on top).
void drawFrame(Drawing& drawing, const Box& plot);

/// Height of the band under the plot taken by one row of x tick labels and the x title.
double xAxisBand(bool hasTitle);
/// Width taken left of the plot by y tick labels of `labelWidth` and the y title.
double yAxisBand(double labelWidth, bool hasTitle);
/// How many ticks a y axis of `height` points holds comfortably.
int yTickBudget(double height);

/// Moves every text back inside the drawing (estimated bounds), and shortens an unrotated
/// one that is wider than the drawing: a safety net under the layouts.
void keepTextsInside(Drawing& drawing);

}  // namespace reco::report::detail
