#pragma once
/// The colour scales of the similarity heatmap and the item map (issue 13): a continuous
/// scale from values to colours (a 256-entry lookup table, cheap enough for a million cells
/// or points on any thread), the categorical palette, and the painting of a vertical colour
/// bar with its tick labels. Pure values; the painting function is for the GUI thread or a
/// worker's own QImage.

#include <QColor>
#include <QRect>
#include <QString>
#include <array>
#include <vector>

class QPainter;

namespace reco::ui {

/// The continuous palettes.
enum class Palette {
  Blues,         ///< sequential, white to dark blue: non-negative similarities
  BlueWhiteRed,  ///< diverging, blue (low) through white (the middle) to red (high)
  Viridis,       ///< sequential, dark purple to yellow-green: the map's log popularity
};

/// A map from [low, high] to a palette. Values beyond the limits take the colour of the
/// nearer end (clipped); NaN takes kMissingColour. Copyable; thread-safe to read.
class ColourScale {
 public:
  static constexpr QRgb kMissingColour = 0xffbdbdbd;

  ColourScale() : ColourScale(Palette::Blues, 0, 1) {}
  /// `high` > `low` is expected; an empty range maps every value to the high end.
  ColourScale(Palette palette, double low, double high);

  QRgb colourAt(double value) const;
  /// The colour at `fraction` (0 = low end, 1 = high end; clipped) of the palette.
  QRgb colourAtFraction(double fraction) const;

  Palette palette() const { return palette_; }
  double low() const { return low_; }
  double high() const { return high_; }

 private:
  Palette palette_;
  double low_;
  double high_;
  std::array<QRgb, 256> table_{};
};

/// The colour of category `rank` (0 = the category with most items) for the first
/// kCategoryColours ranks (a Tableau-10-like palette, distinct on white), else
/// kOtherCategoryColour.
inline constexpr int kCategoryColours = 10;
inline const QColor kOtherCategoryColour{0xb8, 0xb8, 0xb8};
QColor categoryColour(int rank);

/// One tick of a colour bar: where it sits (a value of the scale) and its text.
struct ColourTick {
  double value = 0;
  QString text;
};

/// `count` (>= 2) evenly spaced ticks from the scale's low to its high end, as the display
/// locale writes numbers with 3 significant digits.
std::vector<ColourTick> evenColourTicks(const ColourScale& scale, int count);

/// Paints a vertical colour bar in `bar` (high end at the top, a thin grey frame) and
/// the ticks' texts to its right, in the painter's current font and kPlotTextColor. Ticks
/// outside the scale's range are skipped.
void paintColourBar(QPainter& painter, const QRect& bar, const ColourScale& scale,
                    const std::vector<ColourTick>& ticks);

}  // namespace reco::ui
