#pragma once
/// A tuning study's progress: per model, the best validation value so far against the
/// model's trial number (one coloured line per model, a legend under the axes, x "trial", y
/// the study's metric). Trials arrive one by one while the study runs; replots are coalesced
/// by a timer to at most one per kReplotIntervalMs. Wraps a QCustomPlot (whose header only
/// the .cpp includes). GUI thread only.

#include <QString>
#include <QStringList>
#include <QWidget>
#include <optional>
#include <vector>

#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QCPTextElement;
class QTimer;

namespace reco::ui {

class BestSoFarPlot : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kReplotIntervalMs = 250;
  /// Up to this many trials per model each point has a marker; beyond, only the line.
  static constexpr int kMaxMarkedTrials = 60;

  explicit BestSoFarPlot(QWidget* parent = nullptr);

  /// Starts over: one empty line per model (registry names, the study's order), the y axis
  /// labelled "best validation `metric`", the x range 1..`plannedTrials` (0: unknown, the
  /// range follows the trials).
  void reset(const QStringList& models, const QString& metric, int plannedTrials);
  /// The 0-based trial `index` of `model` ended with `validation` (nullopt: it failed, the
  /// line keeps its best so far; nothing is drawn before the first completed trial).
  void addTrial(int model, int index, std::optional<double> validation);
  /// Shows a note instead of the plot.
  void showNote(const QString& note);

  /// Redraws now (the study ended: no more trials to coalesce).
  void replotNow();

  int graphCount() const;
  /// Points of model `model`'s line; for tests.
  int pointCount(int model) const;
  QCustomPlot* plot() const { return plot_; }

 private:
  void scheduleReplot();

  QCustomPlot* plot_;
  QCPTextElement* title_;
  PlotFrame frame_;
  QTimer* replotTimer_;
  std::vector<std::optional<double>> best_;  // per model
  int plannedTrials_ = 0;
  int lastTrial_ = 0;
};

}  // namespace reco::ui
