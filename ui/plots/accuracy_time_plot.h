#pragma once
/// Accuracy against training time: one point per run at (training seconds, the metric's
/// mean) with its 95% CI as a vertical error bar, x on a logarithmic axis, each point
/// labelled with its run's name; title, axis labels and a legend. Runs that trained in
/// under a millisecond sit at 1 ms (the log axis has no zero). Re-ranked runs (model
/// "rerank") trained nothing and are left out; the title counts them. Wraps a QCustomPlot
/// (whose header only the .cpp includes). GUI thread only.

#include <QString>
#include <QWidget>
#include <memory>

#include "core/training/comparison.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QCPTextElement;

namespace reco::ui {

class AccuracyTimePlot : public QWidget {
  Q_OBJECT

 public:
  /// The smallest training time drawn, in seconds.
  static constexpr double kMinSeconds = 1e-3;

  explicit AccuracyTimePlot(QWidget* parent = nullptr);

  /// Shows `metric` of every run that has it and a training time; a note when none does.
  void setComparison(const std::shared_ptr<const reco::Comparison>& comparison,
                     const QString& metric);
  void showNote(const QString& note);

  /// Points drawn and their labels (run names); for tests.
  int pointCount() const { return int(labels_.size()); }
  const QStringList& pointLabels() const { return labels_; }
  QString title() const;
  bool xAxisIsLogarithmic() const;
  /// Saves the chart: PDF for a .pdf path, PNG otherwise.
  bool save(const QString& path, QString* error = nullptr) const;

 private:
  QCustomPlot* plot_;
  QCPTextElement* title_;
  PlotFrame frame_;
  QStringList labels_;
};

}  // namespace reco::ui
