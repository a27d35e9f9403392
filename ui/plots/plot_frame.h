#pragma once
/// What every plot widget of ui/plots shares: the plot (or a page holding it) and a note
/// shown instead of it in one QStackedLayout, the plain look of a new QCustomPlot, and the
/// axis look (fonts, colours, pens). The QCustomPlot header stays in the .cpp files.
/// GUI thread only.

#include <QColor>
#include <QString>
#include <initializer_list>

class QCPAxis;
class QCustomPlot;
class QFont;
class QLabel;
class QStackedLayout;
class QWidget;

namespace reco::ui {

/// The text (tick labels, axis labels, value labels) and grid colours of every plot.
inline const QColor kPlotTextColor{0x33, 0x3b, 0x45};
inline const QColor kPlotGridColor{0xe3, 0xe7, 0xec};

/// A new QCustomPlot, a child of `parent` (may be null: a layout adopts it later), named
/// `objectName`, in the display locale, on a white background, at least `minimumHeight`
/// pixels tall.
QCustomPlot* createPlot(QWidget* parent, const QString& objectName, int minimumHeight);

/// How a plot's axes look. Grid lines are always kPlotGridColor, 1 pixel, solid; tick and
/// axis labels are kPlotTextColor (a caller may recolour a label afterwards).
struct AxisStyle {
  double tickPoints = 9;              ///< tick label size, points
  double labelPoints = 9;             ///< axis label size, points
  QColor axisColor = kPlotGridColor;  ///< the axis line and the ticks
  QColor subTickColor{};              ///< invalid (the default): no sub ticks
};

/// Applies `style` to each of `axes`, with fonts derived from `base` (the widget's font).
void styleAxes(std::initializer_list<QCPAxis*> axes, const QFont& base, const AxisStyle& style);

/// Presenter mode (issue 15) makes plot text larger. plotTextScale() is the factor (1 outside
/// it) that styleAxes and the plots' own explicit point sizes (value labels made at each
/// update) are multiplied with. setPlotTextScale() sets it and rescales the text of every
/// QCustomPlot under `root` that exists already (axes, titles and other layout text, text
/// items, the legend) by the new factor over the old one, then replots them.
double plotTextScale();
void setPlotTextScale(double scale, QWidget* root);

/// For horizontal bar charts with a value label (QCPItemText) right of each bar: after
/// every replot the x axis's upper bound is set so that each label ends inside the plot at
/// the plot's current width, so no label is cut however narrow the window (a fixed share
/// of the range cut them at 1024 px). Call once, after the plot's x axis is the value axis.
void keepRoomForValueLabels(QCustomPlot* plot);

/// After every replot, sets the tick count of `axis`'s ticker (whatever ticker it has then)
/// to about one tick per `pixelsPerTick` of the axis's length, at least 2, so that tick
/// labels never run into each other in a narrow plot ("Jan 2025 2025 2025" at 1024 px).
void fitTickCountToLength(QCustomPlot* plot, QCPAxis* axis, int pixelsPerTick);

/// A plot page and a note label stacked on a host widget: exactly one of them shows. Holds
/// no ownership (Qt parents do); a plain value member of the host, built in its
/// constructor's initialiser list after the plot.
class PlotFrame {
 public:
  /// Installs a margin-free QStackedLayout on `host` holding `plotPage` (the plot, or a
  /// widget around it) and then a new centred, word-wrapped note named `noteObjectName`.
  /// Shows the plot page until told otherwise.
  PlotFrame(QWidget* host, QWidget* plotPage, const QString& noteObjectName);

  /// Brings the plot page to the front (the caller replots).
  void showPlot();
  /// Shows `text` in the note instead of the plot page.
  void showNote(const QString& text);
  bool isShowingNote() const;
  QString noteText() const;
  QLabel* note() const { return note_; }

 private:
  QWidget* plotPage_;
  QLabel* note_;
  QStackedLayout* stack_;
};

}  // namespace reco::ui
