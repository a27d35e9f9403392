#include "ui/plots/colour_scale.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/plots/plot_frame.h"

namespace reco::ui {

namespace {

/// Anchor colours of each palette, evenly spaced from the low end to the high end; the
/// table interpolates linearly between neighbours.
std::vector<QColor> anchors(Palette palette) {
  switch (palette) {
    case Palette::Blues:  // ColorBrewer "Blues", from white
      return {QColor(0xff, 0xff, 0xff), QColor(0xde, 0xeb, 0xf7), QColor(0xc6, 0xdb, 0xef),
              QColor(0x9e, 0xca, 0xe1), QColor(0x6b, 0xae, 0xd6), QColor(0x42, 0x92, 0xc6),
              QColor(0x21, 0x71, 0xb5), QColor(0x08, 0x51, 0x9c), QColor(0x08, 0x30, 0x6b)};
    case Palette::BlueWhiteRed:  // ColorBrewer "RdBu", reversed so that low is blue
      return {QColor(0x05, 0x30, 0x61), QColor(0x21, 0x66, 0xac), QColor(0x43, 0x93, 0xc3),
              QColor(0x92, 0xc5, 0xde), QColor(0xd1, 0xe5, 0xf0), QColor(0xf7, 0xf7, 0xf7),
              QColor(0xfd, 0xdb, 0xc7), QColor(0xf4, 0xa5, 0x82), QColor(0xd6, 0x60, 0x4d),
              QColor(0xb2, 0x18, 0x2b), QColor(0x67, 0x00, 0x1f)};
    case Palette::Viridis:  // matplotlib's viridis, stopped short of its palest yellow
      return {QColor(0x44, 0x01, 0x54), QColor(0x48, 0x28, 0x78), QColor(0x3e, 0x4a, 0x89),
              QColor(0x31, 0x68, 0x8e), QColor(0x26, 0x82, 0x8e), QColor(0x1f, 0x9e, 0x89),
              QColor(0x35, 0xb7, 0x79), QColor(0x6d, 0xcd, 0x59), QColor(0xb4, 0xd9, 0x2c)};
  }
  return {Qt::white, Qt::black};
}

}  // namespace

ColourScale::ColourScale(Palette palette, double low, double high)
    : palette_(palette), low_(low), high_(high) {
  const std::vector<QColor> stops = anchors(palette);
  const int last = int(table_.size()) - 1;
  for (int i = 0; i <= last; ++i) {
    const double at = double(i) / last * double(stops.size() - 1);
    const auto below = std::min(std::size_t(at), stops.size() - 2);
    const double t = at - double(below);
    const QColor& a = stops[below];
    const QColor& b = stops[below + 1];
    const auto mix = [t](int x, int y) { return int(std::lround(x + (y - x) * t)); };
    table_[std::size_t(i)] =
        qRgb(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
  }
}

QRgb ColourScale::colourAtFraction(double fraction) const {
  if (std::isnan(fraction)) return kMissingColour;
  const double clipped = std::clamp(fraction, 0.0, 1.0);
  return table_[std::size_t(std::lround(clipped * double(table_.size() - 1)))];
}

QRgb ColourScale::colourAt(double value) const {
  if (std::isnan(value)) return kMissingColour;
  const double range = high_ - low_;
  return colourAtFraction(range > 0 ? (value - low_) / range : 1.0);
}

QColor categoryColour(int rank) {
  static const QColor kPalette[kCategoryColours] = {
      QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0xe1, 0x57, 0x59),
      QColor(0x76, 0xb7, 0xb2), QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48),
      QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7), QColor(0x9c, 0x75, 0x5f),
      QColor(0x2f, 0x4b, 0x7c)};
  return rank >= 0 && rank < kCategoryColours ? kPalette[rank] : kOtherCategoryColour;
}

std::vector<ColourTick> evenColourTicks(const ColourScale& scale, int count) {
  std::vector<ColourTick> ticks;
  count = std::max(count, 2);
  ticks.reserve(std::size_t(count));
  const QLocale locale = displayLocale();
  for (int i = 0; i < count; ++i) {
    double value = scale.low() + (scale.high() - scale.low()) * i / (count - 1);
    // The middle of a symmetric range is 0, not -1e-17.
    if (std::abs(value) < 1e-12 * std::max(std::abs(scale.low()), std::abs(scale.high())))
      value = 0;
    ticks.push_back({value, locale.toString(value, 'g', 3)});
  }
  return ticks;
}

void paintColourBar(QPainter& painter, const QRect& bar, const ColourScale& scale,
                    const std::vector<ColourTick>& ticks) {
  if (bar.height() < 2 || bar.width() < 2) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, false);
  const int rows = bar.height();
  for (int y = 0; y < rows; ++y) {
    const double fraction = 1.0 - double(y) / double(rows - 1);
    painter.setPen(QColor::fromRgb(scale.colourAtFraction(fraction)));
    painter.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
  }
  painter.setPen(QColor(0xa0, 0xa6, 0xae));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(bar.adjusted(0, 0, -1, -1));
  const QFontMetrics metrics = painter.fontMetrics();
  const double range = scale.high() - scale.low();
  for (const ColourTick& tick : ticks) {
    const double fraction = range > 0 ? (tick.value - scale.low()) / range : 1.0;
    if (fraction < -1e-9 || fraction > 1 + 1e-9) continue;
    const int y = bar.top() + int(std::lround((1.0 - fraction) * (rows - 1)));
    painter.setPen(QColor(0x60, 0x66, 0x70));
    painter.drawLine(bar.right() + 1, y, bar.right() + 4, y);
    painter.setPen(kPlotTextColor);
    const QRect text(bar.right() + 7, y - metrics.height() / 2, 200, metrics.height());
    painter.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, tick.text);
  }
  painter.restore();
}

}  // namespace reco::ui
