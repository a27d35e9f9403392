#include "core/report/svg_writer.h"

#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "core/common/number_text.h"

namespace reco::report {

namespace {

/// A coordinate or a size, rounded to 1/100 pt (far below what a printer resolves) and
/// written with a '.' whatever the C locale.
std::string num(double value) {
  if (!std::isfinite(value)) return "0";
  const double rounded = std::round(value * 100) / 100;
  return formatNumber(rounded + 0.0);  // + 0.0 turns -0 into 0
}

/// Text for an attribute value or character data: the five XML specials escaped, control
/// characters that XML 1.0 forbids dropped (a newline becomes a space: a TextShape is one
/// line). Nothing is rejected.
std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
        break;
    }
  }
  return out;
}

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + value + "\"";
}

/// fill="..." (and fill-opacity when not opaque), or fill="none".
std::string fillAttrs(const std::optional<Colour>& fill) {
  if (!fill) return attr("fill", "none");
  std::string out = attr("fill", hexColour(*fill));
  if (fill->alpha != 255) out += attr("fill-opacity", num(fill->alpha / 255.0));
  return out;
}

std::string strokeAttrs(const std::optional<Stroke>& stroke) {
  if (!stroke) return {};
  std::string out = attr("stroke", hexColour(stroke->colour));
  out += attr("stroke-width", num(stroke->width));
  if (stroke->colour.alpha != 255) out += attr("stroke-opacity", num(stroke->colour.alpha / 255.0));
  if (stroke->dashed) {
    out += attr("stroke-dasharray", num(stroke->width * 4) + " " + num(stroke->width * 3));
  }
  return out;
}

void writeShape(std::string& out, const LineShape& line) {
  out += "<line" + attr("x1", num(line.from.x)) + attr("y1", num(line.from.y)) +
         attr("x2", num(line.to.x)) + attr("y2", num(line.to.y)) + strokeAttrs(line.stroke) +
         "/>\n";
}

void writeShape(std::string& out, const PolylineShape& polyline) {
  std::string points;
  for (const Point& point : polyline.points) {
    if (!points.empty()) points += ' ';
    points += num(point.x) + "," + num(point.y);
  }
  out += "<polyline" + attr("points", points) + attr("fill", "none") +
         strokeAttrs(polyline.stroke) + attr("stroke-linejoin", "round") + "/>\n";
}

void writeShape(std::string& out, const RectShape& rect) {
  out += "<rect" + attr("x", num(rect.x)) + attr("y", num(rect.y)) +
         attr("width", num(std::max(rect.width, 0.0))) +
         attr("height", num(std::max(rect.height, 0.0))) + fillAttrs(rect.fill) +
         strokeAttrs(rect.stroke) + "/>\n";
}

void writeShape(std::string& out, const CircleShape& circle) {
  out += "<circle" + attr("cx", num(circle.centre.x)) + attr("cy", num(circle.centre.y)) +
         attr("r", num(std::max(circle.radius, 0.0))) + fillAttrs(circle.fill) +
         strokeAttrs(circle.stroke) + "/>\n";
}

void writeShape(std::string& out, const TextShape& text) {
  static constexpr const char* kAnchors[] = {"start", "middle", "end"};
  out += "<text" + attr("x", num(text.at.x)) + attr("y", num(text.at.y)) +
         attr("font-size", num(text.size)) +
         attr("text-anchor", kAnchors[static_cast<int>(text.anchor)]);
  if (text.bold) out += attr("font-weight", "bold");
  out += fillAttrs(text.colour);
  if (text.rotation != 0) {
    out += attr("transform",
                "rotate(" + num(text.rotation) + " " + num(text.at.x) + " " + num(text.at.y) + ")");
  }
  out += ">" + escape(text.text) + "</text>\n";
}

}  // namespace

std::string renderSvg(const Drawing& drawing, const std::string& title) {
  // The xmlns value names the SVG namespace; it is not fetched. No other URL is written.
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\"";
  out += attr("width", num(drawing.width) + "pt") + attr("height", num(drawing.height) + "pt");
  out += attr("viewBox", "0 0 " + num(drawing.width) + " " + num(drawing.height));
  out += attr("role", "img") + attr("font-family", "DejaVu Sans, Arial, sans-serif") + ">\n";
  if (!title.empty()) out += "<title>" + escape(title) + "</title>\n";
  for (const Shape& shape : drawing.shapes) {
    std::visit([&out](const auto& concrete) { writeShape(out, concrete); }, shape);
  }
  out += "</svg>\n";
  return out;
}

}  // namespace reco::report
