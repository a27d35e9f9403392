#pragma once
/// A comparison's segment breakdown as grouped bars: one group per segment (activity
/// quartiles, cold users, popular head and long-tail items), one bar per run in the run's
/// colour, 95% CI error bars, a legend of the runs. Reads the rows of a SegmentTableModel.
/// Wraps a QCustomPlot (whose header only the .cpp includes). GUI thread only.

#include <QString>
#include <QWidget>

#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QCPTextElement;

namespace reco::ui {

class SegmentTableModel;

class SegmentBarChart : public QWidget {
  Q_OBJECT

 public:
  explicit SegmentBarChart(QWidget* parent = nullptr);

  /// Draws the rows of `segments` (a note when it has none).
  void setSegments(const SegmentTableModel& segments);
  void showNote(const QString& note);

  /// Bars drawn; for tests.
  int barCount() const { return barCount_; }
  QString title() const;
  /// Saves the chart: PDF for a .pdf path, PNG otherwise.
  bool save(const QString& path, QString* error = nullptr) const;

 private:
  QCustomPlot* plot_;
  QCPTextElement* title_;
  PlotFrame frame_;
  int barCount_ = 0;
};

}  // namespace reco::ui
