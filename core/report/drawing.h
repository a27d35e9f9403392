#pragma once
/// A vector drawing: the one description of a report's plot that every output format draws.
/// The HTML report writes it as inline SVG (svg_writer.h), the PDF report paints it with
/// QPainter on QPdfWriter (ui/report/pdf_report.h), so the two never disagree about a tick,
/// a bar or a label. Charts (charts.h) lay their data out into a Drawing; nothing here knows
/// about data.
///
/// Coordinates are points (1/72 inch) from the top-left corner of a `width` x `height` box,
/// y growing downwards, as in SVG and QPainter.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace reco::report {

struct Colour {
  std::uint8_t r = 0, g = 0, b = 0;
  std::uint8_t alpha = 255;
  friend bool operator==(const Colour&, const Colour&) = default;
};

/// "#rrggbb" (alpha not included; see Colour::alpha).
std::string hexColour(const Colour& colour);

/// The series palette (colour-blind safe, Okabe-Ito order), cycled by index.
Colour seriesColour(std::size_t index);

struct Stroke {
  Colour colour;
  double width = 1.0;
  bool dashed = false;
};

struct Point {
  double x = 0, y = 0;
};

struct LineShape {
  Point from, to;
  Stroke stroke;
};

struct PolylineShape {
  std::vector<Point> points;
  Stroke stroke;
};

struct RectShape {
  double x = 0, y = 0, width = 0, height = 0;
  std::optional<Colour> fill;
  std::optional<Stroke> stroke;
};

struct CircleShape {
  Point centre;
  double radius = 2;
  std::optional<Colour> fill;
  std::optional<Stroke> stroke;
};

enum class TextAnchor { Start, Middle, End };

/// A single line of text whose baseline starts (Start), is centred (Middle) or ends (End) at
/// `at`. rotation in degrees, clockwise (-90: reads bottom to top, for a y axis title).
struct TextShape {
  Point at;
  std::string text;  ///< UTF-8, plain text (writers escape it)
  double size = 9;   ///< font size in points
  TextAnchor anchor = TextAnchor::Start;
  bool bold = false;
  double rotation = 0;
  Colour colour;
};

using Shape = std::variant<LineShape, PolylineShape, RectShape, CircleShape, TextShape>;

struct Drawing {
  double width = 480, height = 260;
  std::vector<Shape> shapes;  ///< painted in order
};

/// An estimate of a text's width in points for a sans-serif font of `size` points. The core
/// has no font metrics; layouts use this to reserve room (it errs on the wide side).
double estimateTextWidth(const std::string& text, double size);

}  // namespace reco::report
