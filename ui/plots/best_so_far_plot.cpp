#include "ui/plots/best_so_far_plot.h"

#include <qcustomplot.h>

#include <QTimer>
#include <algorithm>
#include <cmath>

#include "ui/plots/compare_plot_support.h"

namespace reco::ui {

BestSoFarPlot::BestSoFarPlot(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("bestSoFarPlot"), 220)),
      title_(styleComparePlot(plot_, font())),
      frame_(this, plot_, QStringLiteral("bestSoFarNote")) {
  plot_->xAxis->setLabel(QStringLiteral("trial"));
  QSharedPointer<QCPAxisTickerFixed> trialTicker(new QCPAxisTickerFixed);
  trialTicker->setTickStep(1.0);
  trialTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(trialTicker);
  fitTickCountToLength(plot_, plot_->xAxis, 80);
  plot_->setLocale(QLocale::c());  // trial numbers: "1200", not "1,200" run together
  plot_->setToolTip(
      QStringLiteral("Each model's best validation value after each of its trials: "
                     "a line that stops rising has found its options"));
  replotTimer_ = new QTimer(this);
  replotTimer_->setSingleShot(true);
  replotTimer_->setInterval(kReplotIntervalMs);
  connect(replotTimer_, &QTimer::timeout, this, &BestSoFarPlot::replotNow);
  showNote(QStringLiteral("The best validation value of each model appears here per trial."));
}

void BestSoFarPlot::reset(const QStringList& models, const QString& metric, int plannedTrials) {
  plot_->clearGraphs();
  best_.assign(std::size_t(models.size()), std::nullopt);
  plannedTrials_ = plannedTrials;
  lastTrial_ = 0;
  for (int m = 0; m < models.size(); ++m) {
    QCPGraph* graph = plot_->addGraph(plot_->xAxis, plot_->yAxis);
    graph->setName(models[m]);
    const QColor colour = runColor(m);
    graph->setPen(QPen(colour, 2));
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
  }
  title_->setText(QStringLiteral("Best validation %1 so far").arg(metric));
  plot_->yAxis->setLabel(QStringLiteral("best validation %1").arg(metric));
  frame_.showPlot();
  replotNow();
}

void BestSoFarPlot::addTrial(int model, int index, std::optional<double> validation) {
  if (model < 0 || model >= int(best_.size())) return;
  auto& best = best_[std::size_t(model)];
  if (validation && std::isfinite(*validation) && (!best || *validation > *best)) best = validation;
  lastTrial_ = std::max(lastTrial_, index + 1);
  if (best) plot_->graph(model)->addData(double(index + 1), *best);
  if (frame_.isShowingNote()) frame_.showPlot();
  scheduleReplot();
}

void BestSoFarPlot::showNote(const QString& note) {
  replotTimer_->stop();
  frame_.showNote(note);
}

int BestSoFarPlot::graphCount() const {
  return plot_->graphCount();
}

int BestSoFarPlot::pointCount(int model) const {
  return model >= 0 && model < plot_->graphCount() ? plot_->graph(model)->dataCount() : 0;
}

void BestSoFarPlot::scheduleReplot() {
  if (!replotTimer_->isActive()) replotTimer_->start();
}

void BestSoFarPlot::replotNow() {
  const double right = std::max({double(plannedTrials_), double(lastTrial_), 2.0});
  plot_->xAxis->setRange(0.5, right + 0.5);
  double low = INFINITY, high = -INFINITY;
  for (int g = 0; g < plot_->graphCount(); ++g) {
    bool found = false;
    const QCPRange range = plot_->graph(g)->getValueRange(found);
    if (!found) continue;
    low = std::min(low, range.lower);
    high = std::max(high, range.upper);
  }
  if (std::isfinite(low) && std::isfinite(high)) {
    const double pad = high > low ? (high - low) * 0.1 : std::max(std::abs(high) * 0.05, 1e-3);
    plot_->yAxis->setRange(low - pad, high + pad);
  } else {
    plot_->yAxis->setRange(0, 1);
  }
  // Markers help to count a few trials; hundreds (a budget in seconds) would make a bar.
  const bool markers = lastTrial_ <= kMaxMarkedTrials;
  for (int g = 0; g < plot_->graphCount(); ++g) {
    QCPGraph* graph = plot_->graph(g);
    const QColor colour = graph->pen().color();
    graph->setScatterStyle(markers ? QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6)
                                   : QCPScatterStyle(QCPScatterStyle::ssNone));
  }
  plot_->replot();  // already coalesced by the timer (or the study ended)
}

}  // namespace reco::ui
