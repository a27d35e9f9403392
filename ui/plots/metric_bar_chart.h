#pragma once
/// One metric of a comparison per run, as bars with 95% confidence-interval error bars
/// (QCPBars + QCPErrorBars): the baseline run in grey, the others in the accent colour,
/// the best run outlined, each bar labelled with its value; title, axis labels and a
/// legend. Catalogue metrics (one value per run) have no error bars. Wraps a QCustomPlot
/// (whose header only the .cpp includes). GUI thread only.

#include <QString>
#include <QWidget>
#include <memory>

#include "core/training/comparison.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QCPTextElement;

namespace reco::ui {

class MetricBarChart : public QWidget {
  Q_OBJECT

 public:
  explicit MetricBarChart(QWidget* parent = nullptr);

  /// Shows `metric` (a Comparison::columns name) of every run that has it; a note when
  /// none does.
  void setComparison(const std::shared_ptr<const reco::Comparison>& comparison,
                     const QString& metric);
  /// Shows a note instead of a chart.
  void showNote(const QString& note);

  /// Bars drawn (0 when the note is shown) and error bars drawn; for tests.
  int barCount() const { return barCount_; }
  int errorBarCount() const { return errorBarCount_; }
  QString title() const;
  /// Saves the chart: PDF for a .pdf path, PNG otherwise. False (with `error`) on failure
  /// or when no chart is shown.
  bool save(const QString& path, QString* error = nullptr) const;

 private:
  QCustomPlot* plot_;
  QCPTextElement* title_;
  PlotFrame frame_;
  int barCount_ = 0;
  int errorBarCount_ = 0;
};

}  // namespace reco::ui
