#pragma once
/// A run's training curve: the training loss per epoch on the left axis and the validation
/// metric (when the run has one) on the right axis, epoch on x, with a title and a legend.
/// Drag to pan, wheel to zoom, double-click to fit everything again. Epochs may arrive
/// one by one while a run trains: appendEpoch() only stores the point, and replots are
/// coalesced by a timer to at most one per kReplotIntervalMs. Wraps a QCustomPlot (whose
/// header only the .cpp includes). GUI thread only.

#include <QString>
#include <QWidget>
#include <vector>

#include "core/models/train_observer.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QCPTextElement;
class QTimer;

namespace reco::ui {

class LossCurvePlot : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kReplotIntervalMs = 250;

  explicit LossCurvePlot(QWidget* parent = nullptr);

  /// Shows the curve of run `title` from `epochs` (in order); the planned epoch count
  /// (EpochReport::epochs) fixes the x range so that a live curve grows across the plot.
  /// No epochs shows `emptyNote` instead of a plot.
  void showRun(const QString& title, const std::vector<reco::EpochReport>& epochs,
               const QString& emptyNote);
  /// Adds one epoch of the run shown; the plot is redrawn within kReplotIntervalMs.
  void appendEpoch(const reco::EpochReport& epoch);
  /// Shows a note instead of a plot.
  void showNote(const QString& note);

  /// Points of the loss curve and of the validation curve; for tests.
  int lossPointCount() const;
  int validationPointCount() const;
  /// Replots done so far; for tests of the throttle.
  int replotCount() const { return replotCount_; }
  /// True while a replot is scheduled.
  bool replotPending() const;
  /// The plot's title text.
  QString title() const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void scheduleReplot();
  void replotNow();
  void fitRanges();

  QCustomPlot* plot_;
  QCPTextElement* title_;
  PlotFrame frame_;
  QTimer* replotTimer_;
  int plannedEpochs_ = 0;
  int replotCount_ = 0;
  bool userMovedView_ = false;
  QString validationMetric_;
};

}  // namespace reco::ui
