#pragma once
/// What the Compare screen's charts share: one look (fonts, colours, axes), a title
/// element, a colour per run, and saving a chart as PNG or PDF. The QCustomPlot header
/// stays in the .cpp files. GUI thread only.

#include <QColor>
#include <QString>

class QCustomPlot;
class QCPTextElement;
class QFont;

namespace reco::ui {

/// The colour of the i-th run of a chart (a palette that stays distinguishable for 8+).
QColor runColor(int index);

/// Sets the common look: white background, light grid, readable tick labels, a title row
/// at the top and the legend in rows under the axes (fitLegendToWidth); returns the title
/// element.
QCPTextElement* styleComparePlot(QCustomPlot* plot, const QFont& base);

/// After every replot, as many legend entries a row as the plot's width holds (at least
/// one), and a fixed minimum width for the plot, so that a long legend wraps instead of
/// widening the window.
void fitLegendToWidth(QCustomPlot* plot);

/// Saves `plot` to `path`: PDF when the suffix is .pdf, PNG otherwise, at the plot's
/// current size (at least 900x560 so that a hidden or small chart still exports well).
/// False with `error` set when the file could not be written.
bool saveComparePlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);

}  // namespace reco::ui
