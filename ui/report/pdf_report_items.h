#pragma once
/// The inside of ReportPages (pdf_report.h): what a laid-out page holds and how text is
/// measured. The layout (pdf_report_layout.cpp) turns the document into positioned items;
/// painting (pdf_report_paint.cpp) draws them. Not for other code.
///
/// Text is measured and painted with fonts 100 times the wanted size under a 1/100 scale:
/// QFont's pixel size is an integer, and metrics of a 900-pixel font are those of the
/// design, independent of the device's resolution and of hinting, so the layout measured
/// once fits any device (the PDF at its resolution, the preview at any zoom).

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <map>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "core/report/document.h"

class QPainter;

namespace reco::ui::pdf {

/// The factor between a font's pixel size and its size in points (see above).
inline constexpr double kFontScale = 100.0;

struct TextStyle {
  double size = 9.5;  ///< points
  bool bold = false;
  friend bool operator<(const TextStyle& a, const TextStyle& b) {
    return std::pair(a.size, a.bold) < std::pair(b.size, b.bold);
  }
};

/// The report's font at `style` (kFontScale times too large; paint under a 1/kFontScale
/// scale). DejaVu Sans where installed, else the application's sans serif.
QFont reportFont(const TextStyle& style);

/// Widths in points, cached per style. Needs a QGuiApplication.
class TextMeasure {
 public:
  double width(const QString& text, const TextStyle& style);
  double ascent(const TextStyle& style);
  /// Line height (ascent + descent + leading) in points.
  double lineHeight(const TextStyle& style);
  /// Greedy word wrap to `width` points: words longer than a line are broken between
  /// characters; explicit newlines are kept. At most `maxLines` lines (0: no limit), the
  /// last one elided with "…" when text is left over. Never returns no line.
  std::vector<QString> wrap(const QString& text, const TextStyle& style, double width,
                            int maxLines = 0);
  /// `text` cut to `width` points with "…".
  QString elide(const QString& text, const TextStyle& style, double width);

 private:
  const class QFontMetricsF& metrics(const TextStyle& style);
  std::map<TextStyle, std::unique_ptr<QFontMetricsF>> metrics_;
};

/// One line of text; x is where it starts (alignment already applied), y its baseline.
struct TextItem {
  QString text;
  double x = 0, y = 0;
  TextStyle style;
  QColor colour;
};

struct RectItem {
  QRectF rect;
  QColor fill;    ///< invalid: none
  QColor stroke;  ///< invalid: none
  double strokeWidth = 0.5;
};

struct LineItem {
  QPointF from, to;
  QColor colour;
  double width = 0.5;
};

/// A document's drawing at (x, y), scaled by `scale` (points per drawing point).
struct DrawingItem {
  const reco::report::Drawing* drawing = nullptr;
  double x = 0, y = 0, scale = 1;
};

using Item = std::variant<TextItem, RectItem, LineItem, DrawingItem>;

struct Page {
  std::vector<Item> items;
};

/// Paints a Drawing's shapes with the painter's origin at the drawing's top-left corner
/// and one unit per drawing point.
void paintDrawing(QPainter& painter, const reco::report::Drawing& drawing);
/// Paints one laid-out item (coordinates in points).
void paintItem(QPainter& painter, const Item& item);
/// Paints `text` with its baseline starting at (x, y) in `style`.
void paintText(QPainter& painter, const QString& text, QPointF at, const TextStyle& style,
               const QColor& colour);

/// Lays `document` out on pages of `pageSize` points with `margin` points on every side.
/// The drawings are referenced, not copied: `document` must outlive the pages.
std::vector<Page> layOut(const reco::report::Document& document, QSizeF pageSize, double margin);

}  // namespace reco::ui::pdf
