#include "core/report/charts_axes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/common/number_text.h"
#include "core/report/charts.h"

namespace reco::report {

std::vector<double> niceTicks(double low, double high, int maxTicks) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {};
  if (low > high) std::swap(low, high);
  maxTicks = std::max(maxTicks, 2);
  if (high - low <= std::abs(high) * 1e-12) {
    // One value: a range around it, so that it still has ticks either side.
    const double half = low == 0 ? 1.0 : std::abs(low) * 0.1;
    low -= half;
    high += half;
  }
  const double raw = (high - low) / (maxTicks - 1);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  static constexpr double kMantissas[] = {1, 2, 2.5, 5};
  // The smallest step 1, 2, 2.5 or 5 x 10^n whose ticks, from the one at or below `low` to
  // the one at or above `high`, number at most maxTicks. Rounding can push it one decade up.
  for (int decade = 0; decade < 3; ++decade, magnitude *= 10) {
    for (double mantissa : kMantissas) {
      const double step = mantissa * magnitude;
      const double first = std::floor(low / step + 1e-9);
      const double last = std::ceil(high / step - 1e-9);
      if (last - first + 1 > maxTicks) continue;
      std::vector<double> ticks;
      for (double k = first; k <= last; ++k) {
        // k * step, rounded to the step's precision so that 0.1 * 3 reads as 0.3.
        const double value = k * step;
        const double grain = magnitude / 100;
        ticks.push_back(std::round(value / grain) * grain + 0.0);
      }
      return ticks;
    }
  }
  return {low, high};
}

namespace detail {

namespace {

double radians(double degrees) {
  return degrees * std::numbers::pi / 180;
}

/// Bytes of the UTF-8 character starting at text[i] (1 for a stray byte).
std::size_t characterLength(const std::string& text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  std::size_t length = 1;
  if ((byte & 0xE0) == 0xC0) {
    length = 2;
  } else if ((byte & 0xF0) == 0xE0) {
    length = 3;
  } else if ((byte & 0xF8) == 0xF0) {
    length = 4;
  }
  return std::min(length, text.size() - i);
}

}  // namespace

Box textBounds(const TextShape& text) {
  const double width = estimateTextWidth(text.text, text.size);
  double start = 0;
  if (text.anchor == TextAnchor::Middle) start = -width / 2;
  if (text.anchor == TextAnchor::End) start = -width;
  const double angle = radians(text.rotation);
  const Point along{std::cos(angle), std::sin(angle)};
  const Point up{std::sin(angle), -std::cos(angle)};
  Box box{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
          std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (double s : {start, start + width}) {
    for (double h : {kAscent * text.size, -kDescent * text.size}) {
      const double x = text.at.x + along.x * s + up.x * h;
      const double y = text.at.y + along.y * s + up.y * h;
      box.left = std::min(box.left, x);
      box.right = std::max(box.right, x);
      box.top = std::min(box.top, y);
      box.bottom = std::max(box.bottom, y);
    }
  }
  return box;
}

std::string truncateToWidth(const std::string& text, double size, double maxWidth) {
  if (estimateTextWidth(text, size) <= maxWidth) return text;
  static const std::string kEllipsis = "\u2026";
  const double budget = maxWidth - estimateTextWidth(kEllipsis, size);
  std::string kept;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = characterLength(text, i);
    const std::string next = kept + text.substr(i, length);
    if (estimateTextWidth(next, size) > budget) break;
    kept = next;
    i += length;
  }
  while (!kept.empty() && kept.back() == ' ') kept.pop_back();
  return kept + kEllipsis;
}

TextShape makeText(Point at, std::string text, double size, TextAnchor anchor, bool bold,
                   double rotation, Colour colour) {
  TextShape shape;
  shape.at = at;
  shape.text = std::move(text);
  shape.size = std::max(size, kMinSize);
  shape.anchor = anchor;
  shape.bold = bold;
  shape.rotation = rotation;
  shape.colour = colour;
  return shape;
}

double Axis::map(double value) const {
  double v = value, lo = low, hi = high;
  if (log) {
    v = std::log10(value);
    lo = std::log10(low);
    hi = std::log10(high);
  }
  if (hi == lo) return (from + to) / 2;
  return from + (v - lo) / (hi - lo) * (to - from);
}

bool Axis::contains(double value) const {
  if (!std::isfinite(value) || (log && value <= 0)) return false;
  const double tolerance = log ? 1e-9 : (high - low) * 1e-9;
  if (log) return value >= low * (1 - tolerance) && value <= high * (1 + tolerance);
  return value >= low - tolerance && value <= high + tolerance;
}

std::string tickLabel(double value, double step) {
  if (step > 0 && std::abs(value) < step * 1e-6) return "0";
  const double magnitude = std::abs(value);
  // Thousands and millions as k and M: "10k" reads faster than "10000" and stays narrow.
  if (magnitude >= 1e4 || (step == 0 && magnitude >= 1e3)) {
    const bool millions = magnitude >= 1e6;
    const double scale = millions ? 1e6 : 1e3;
    const char* suffix = millions ? "M" : "k";
    if (step == 0) return formatSignificant(value / scale, 3) + suffix;
    return tickLabel(value / scale, step / scale) + suffix;
  }
  if (step == 0) return formatSignificant(value, 3);
  // As many decimals as the step needs: 0.25 steps need two, 0.5 one, 5 none.
  int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  const double scaled = step * std::pow(10.0, decimals);
  if (std::abs(scaled - std::round(scaled)) > 1e-6) ++decimals;
  return formatFixed(value, std::min(decimals, 12));
}

namespace {

/// Ticks of a log axis on [low, high]: decades when at least three fall inside (thinned to
/// every second or third when there are many), else 1-2-5 multiples when they fit, else
/// 1-3 multiples, else the decades alone.
std::vector<double> logTicks(double low, double high, int maxTicks) {
  const int first = static_cast<int>(std::ceil(std::log10(low) - 1e-9));
  const int last = static_cast<int>(std::floor(std::log10(high) + 1e-9));
  const int decades = last - first + 1;
  if (decades >= 3) {
    const int every = std::max(1, (decades + maxTicks - 1) / maxTicks);
    std::vector<double> ticks;
    for (int e = first; e <= last; ++e) {
      if ((e - first) % every == 0) ticks.push_back(std::pow(10.0, e));
    }
    return ticks;
  }
  const auto multiplesOf = [&](const std::vector<double>& multiples) {
    std::vector<double> ticks;
    for (int e = first - 1; e <= last; ++e) {
      for (double m : multiples) {
        const double v = m * std::pow(10.0, e);
        if (v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9)) ticks.push_back(v);
      }
    }
    return ticks;
  };
  const auto limit = static_cast<std::size_t>(maxTicks);
  for (const auto& multiples :
       std::vector<std::vector<double>>{{1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 5}, {1, 3}}) {
    auto ticks = multiplesOf(multiples);
    if (ticks.size() >= 3 && ticks.size() <= limit) return ticks;
  }
  return multiplesOf({1});
}

}  // namespace

Axis planAxis(double dataLow, double dataHigh, bool log, bool padded, int maxTicks,
              std::optional<double> fixedLow, std::optional<double> fixedHigh) {
  Axis axis;
  axis.log = log;
  if (log) {
    if (fixedLow && *fixedLow <= 0) fixedLow.reset();
    if (fixedHigh && *fixedHigh <= 0) fixedHigh.reset();
  }
  double low = fixedLow.value_or(dataLow);
  double high = fixedHigh.value_or(dataHigh);
  if (!std::isfinite(low) || !std::isfinite(high)) {
    // No data on this side: an empty but valid axis.
    low = log ? 1 : 0;
    high = log ? 10 : 1;
  }
  if (low > high) std::swap(low, high);
  if (log) {
    if (high <= low * (1 + 1e-9)) {
      low /= 2;
      high *= 2;
    }
    // The margin is a share of the span in decades, so points stay off the frame.
    const double margin = padded ? std::pow(10.0, 0.05 * std::log10(high / low)) : 1.0;
    if (!fixedLow) low /= margin;
    if (!fixedHigh) high *= margin;
    axis.low = low;
    axis.high = high;
    axis.ticks = logTicks(low, high, maxTicks);
    for (double tick : axis.ticks) axis.labels.push_back(tickLabel(tick, 0));
    return axis;
  }
  if (high - low <= std::abs(high) * 1e-12) {
    const double half = low == 0 ? 1.0 : std::abs(low) * 0.1;
    if (!fixedLow) low -= half;
    if (!fixedHigh) high += half;
  }
  std::vector<double> ticks;
  if (padded) {
    const double margin = (high - low) * 0.04;
    if (!fixedLow) low -= margin;
    if (!fixedHigh) high += margin;
    // Covering ticks one step wider than the domain, then only those inside it.
    for (double tick : niceTicks(low, high, maxTicks + 1)) {
      if (tick >= low - (high - low) * 1e-9 && tick <= high + (high - low) * 1e-9) {
        ticks.push_back(tick);
      }
    }
  } else {
    ticks = niceTicks(low, high, maxTicks);
    if (!ticks.empty()) {
      if (!fixedLow) low = std::min(low, ticks.front());
      if (!fixedHigh) high = std::max(high, ticks.back());
    }
    std::erase_if(ticks, [&](double t) { return t < low - 1e-12 || t > high + 1e-12; });
  }
  axis.low = low;
  axis.high = high;
  axis.ticks = ticks;
  const double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : (high - low);
  for (double tick : ticks) axis.labels.push_back(tickLabel(tick, step));
  return axis;
}

double widestLabel(const std::vector<std::string>& labels, double size) {
  double widest = 0;
  for (const auto& label : labels) widest = std::max(widest, estimateTextWidth(label, size));
  return widest;
}

double drawTitle(Drawing& drawing, const std::string& title) {
  if (title.empty()) return kPad;
  // Bold runs about a tenth wider than the estimate for the regular face.
  const double maxWidth = (drawing.width - 2 * kPad) / 1.1;
  const double baseline = kPad + kAscent * kTitleSize;
  drawing.shapes.emplace_back(makeText({drawing.width / 2, baseline},
                                       truncateToWidth(title, kTitleSize, maxWidth), kTitleSize,
                                       TextAnchor::Middle, true));
  return baseline + kDescent * kTitleSize + 6;
}

double xAxisBand(bool hasTitle) {
  const double labels = 4 + (kAscent + kDescent) * kTickSize;
  return labels + (hasTitle ? 4 + (kAscent + kDescent) * kAxisTitleSize : 0) + kPad;
}

double yAxisBand(double labelWidth, bool hasTitle) {
  return kPad + (hasTitle ? (kAscent + kDescent) * kAxisTitleSize + 5 : 0) + labelWidth + 4;
}

int yTickBudget(double height) {
  return std::clamp(static_cast<int>(height / 30) + 1, 2, 8);
}

void drawYAxis(Drawing& drawing, const Axis& axis, const Box& plot, const std::string& title) {
  for (std::size_t i = 0; i < axis.ticks.size(); ++i) {
    const double y = axis.map(axis.ticks[i]);
    drawing.shapes.emplace_back(LineShape{{plot.left, y}, {plot.right, y}, {kGrid, 0.6, false}});
    drawing.shapes.emplace_back(
        LineShape{{plot.left - 3, y}, {plot.left, y}, {kFrame, 0.6, false}});
    drawing.shapes.emplace_back(makeText({plot.left - 5, y + 0.32 * kTickSize}, axis.labels[i],
                                         kTickSize, TextAnchor::End, false, 0, kMuted));
  }
  if (!title.empty()) {
    // Rotated -90, the glyphs lie left of the baseline: the baseline is one ascent in.
    const double x = kPad + kAscent * kAxisTitleSize;
    drawing.shapes.emplace_back(makeText({x, (plot.top + plot.bottom) / 2},
                                         truncateToWidth(title, kAxisTitleSize, plot.height() + 20),
                                         kAxisTitleSize, TextAnchor::Middle, false, -90));
  }
}

void drawXAxis(Drawing& drawing, const Axis& axis, const Box& plot, const std::string& title) {
  for (std::size_t i = 0; i < axis.ticks.size(); ++i) {
    const double x = axis.map(axis.ticks[i]);
    drawing.shapes.emplace_back(LineShape{{x, plot.top}, {x, plot.bottom}, {kGrid, 0.6, false}});
    drawing.shapes.emplace_back(
        LineShape{{x, plot.bottom}, {x, plot.bottom + 3}, {kFrame, 0.6, false}});
    drawing.shapes.emplace_back(makeText({x, plot.bottom + 4 + kAscent * kTickSize}, axis.labels[i],
                                         kTickSize, TextAnchor::Middle, false, 0, kMuted));
  }
  if (!title.empty()) {
    const double y = drawing.height - kPad - kDescent * kAxisTitleSize;
    drawing.shapes.emplace_back(
        makeText({(plot.left + plot.right) / 2, y},
                 truncateToWidth(title, kAxisTitleSize, drawing.width - 2 * kPad), kAxisTitleSize,
                 TextAnchor::Middle));
  }
}

void drawFrame(Drawing& drawing, const Box& plot) {
  RectShape frame;
  frame.x = plot.left;
  frame.y = plot.top;
  frame.width = plot.width();
  frame.height = plot.height();
  frame.stroke = Stroke{kFrame, 0.8, false};
  drawing.shapes.emplace_back(frame);
}

void keepTextsInside(Drawing& drawing) {
  for (Shape& shape : drawing.shapes) {
    auto* text = std::get_if<TextShape>(&shape);
    if (text == nullptr) continue;
    if (text->rotation == 0) {
      text->text = truncateToWidth(text->text, text->size, drawing.width - 2);
    }
    const Box box = textBounds(*text);
    if (box.left < 0) text->at.x -= box.left;
    if (box.right > drawing.width) text->at.x -= box.right - drawing.width;
    if (box.top < 0) text->at.y -= box.top;
    if (box.bottom > drawing.height) text->at.y -= box.bottom - drawing.height;
  }
}

}  // namespace detail
}  // namespace reco::report
