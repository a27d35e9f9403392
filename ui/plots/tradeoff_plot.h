#pragma once
/// The accuracy-diversity trade-off of re-ranked runs (core/training/tradeoff.h): one curve
/// per base run and re-ranker, a point per run at (the x metric, the y metric's mean) with
/// the y metric's 95% CI as a vertical error bar, joined in the order of the swept value
/// from the plain run (a hollow square) through λ or β; each point labelled ("plain",
/// "λ=0.1"), a legend entry per curve, a title and axis titles. Catalogue metrics (ild,
/// coverage, novelty) have no CI: the x axis says so. Wraps a QCustomPlot (whose header only
/// the .cpp includes). GUI thread only.

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <memory>

#include "core/training/tradeoff.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QCPTextElement;

namespace reco::ui {

class TradeoffPlot : public QWidget {
  Q_OBJECT

 public:
  explicit TradeoffPlot(QWidget* parent = nullptr);

  /// Draws every curve of `tradeoff` with a point wherever both metrics are stored; a note
  /// when there is no curve or no point.
  void setTradeoff(const std::shared_ptr<const reco::Tradeoff>& tradeoff, const QString& xMetric,
                   const QString& yMetric);
  void showNote(const QString& note);

  /// What is drawn, for tests: curves (legend names), and per curve its points' labels,
  /// coordinates (x, y mean) and CI half-widths (below, above) in drawing order.
  int curveCount() const { return int(curveNames_.size()); }
  const QStringList& curveNames() const { return curveNames_; }
  QStringList pointLabels(int curve) const { return labels_.value(curve); }
  /// The label texts drawn: points at one place share one ("λ=0, 0.1 ▼").
  QStringList drawnLabels(int curve) const { return drawn_.value(curve); }
  QVector<QPointF> points(int curve) const { return points_.value(curve); }
  QVector<QPointF> errors(int curve) const { return errors_.value(curve); }
  QString title() const;
  QString xAxisLabel() const;
  QString yAxisLabel() const;
  bool isShowingNote() const { return frame_.isShowingNote(); }
  QString noteText() const { return frame_.noteText(); }
  /// Saves the chart: PDF for a .pdf path, PNG otherwise.
  bool save(const QString& path, QString* error = nullptr) const;

 private:
  void clear();

  QCustomPlot* plot_;
  QCPTextElement* title_;
  PlotFrame frame_;
  QStringList curveNames_;
  QVector<QStringList> labels_;
  QVector<QStringList> drawn_;
  QVector<QVector<QPointF>> points_;
  QVector<QVector<QPointF>> errors_;
};

}  // namespace reco::ui
