#include "ui/plots/loss_curve_plot.h"

#include <qcustomplot.h>

#include <QMouseEvent>
#include <QTimer>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

const QColor kLossColor(0x2f, 0x5d, 0x8f);
const QColor kValidationColor(0xd0, 0x6a, 0x1f);

/// [low, high] of the values with a margin, never empty.
QCPRange paddedRange(double low, double high) {
  if (!std::isfinite(low) || !std::isfinite(high)) return QCPRange(0, 1);
  const double span = high - low;
  const double pad = span > 0 ? span * 0.08 : std::max(std::abs(high) * 0.05, 1e-3);
  return QCPRange(low - pad, high + pad);
}

}  // namespace

LossCurvePlot::LossCurvePlot(QWidget* parent)
    : QWidget(parent),
      plot_(createPlot(this, QStringLiteral("lossCurvePlot"), 220)),
      frame_(this, plot_, QStringLiteral("lossCurveNote")) {
  plot_->setLocale(QLocale::c());
  const QColor axisColor = kPlotGridColor.darker(115);
  styleAxes(
      {plot_->xAxis, plot_->yAxis, plot_->yAxis2}, font(),
      {.tickPoints = 9.5, .labelPoints = 9.5, .axisColor = axisColor, .subTickColor = axisColor});
  // Each value axis' label in the colour of its curve.
  plot_->yAxis->setLabelColor(kLossColor);
  plot_->yAxis2->setLabelColor(kValidationColor);
  plot_->yAxis2->grid()->setVisible(false);
  plot_->xAxis->setLabel(QStringLiteral("epoch"));
  plot_->yAxis->setLabel(QStringLiteral("training loss"));
  plot_->yAxis2->setTickLabels(true);
  QSharedPointer<QCPAxisTickerFixed> epochTicker(new QCPAxisTickerFixed);
  epochTicker->setTickStep(1.0);
  epochTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(epochTicker);

  QFont titleFont = font();
  titleFont.setPointSizeF(11);
  titleFont.setBold(true);
  plot_->plotLayout()->insertRow(0);
  title_ = new QCPTextElement(plot_, QString(), titleFont);
  title_->setTextColor(kPlotTextColor);
  plot_->plotLayout()->addElement(0, 0, title_);

  QCPGraph* loss = plot_->addGraph(plot_->xAxis, plot_->yAxis);
  loss->setName(QStringLiteral("training loss"));
  loss->setPen(QPen(kLossColor, 2));
  loss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kLossColor, kLossColor, 5));
  QCPGraph* validation = plot_->addGraph(plot_->xAxis, plot_->yAxis2);
  validation->setName(QStringLiteral("validation"));
  validation->setPen(QPen(kValidationColor, 2, Qt::SolidLine));
  validation->setScatterStyle(
      QCPScatterStyle(QCPScatterStyle::ssSquare, kValidationColor, Qt::white, 6));

  QFont legendFont = font();
  legendFont.setPointSizeF(9.5);
  plot_->legend->setVisible(true);
  plot_->legend->setFont(legendFont);
  plot_->legend->setBrush(QColor(255, 255, 255, 220));
  plot_->legend->setBorderPen(Qt::NoPen);
  // The legend sits in a row of its own under the title: inside the axis rect it would
  // cover one of the curves (loss falls from the top left, validation rises to the top right).
  plot_->axisRect()->insetLayout()->take(plot_->legend);
  plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot_->plotLayout()->insertRow(1);
  plot_->plotLayout()->addElement(1, 0, plot_->legend);
  plot_->plotLayout()->setRowStretchFactor(1, 0.001);
  plot_->legend->setMargins(QMargins(6, 0, 6, 0));

  // Pan with the mouse, zoom with the wheel, on both value axes together.
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->axisRect()->setRangeDragAxes({plot_->xAxis}, {plot_->yAxis, plot_->yAxis2});
  plot_->axisRect()->setRangeZoomAxes({plot_->xAxis}, {plot_->yAxis, plot_->yAxis2});
  plot_->installEventFilter(this);
  plot_->setToolTip(
      QStringLiteral("Training loss per epoch (left axis) and the validation metric (right axis).\n"
                     "Drag to pan, scroll to zoom, double-click to fit."));

  replotTimer_ = new QTimer(this);
  replotTimer_->setSingleShot(true);
  replotTimer_->setInterval(kReplotIntervalMs);
  connect(replotTimer_, &QTimer::timeout, this, &LossCurvePlot::replotNow);

  showNote(QStringLiteral("Select a run to see its training curve."));
}

void LossCurvePlot::showRun(const QString& title, const std::vector<reco::EpochReport>& epochs,
                            const QString& emptyNote) {
  plot_->graph(0)->data()->clear();
  plot_->graph(1)->data()->clear();
  plannedEpochs_ = 0;
  validationMetric_.clear();
  userMovedView_ = false;
  title_->setText(title);
  for (const auto& epoch : epochs) appendEpoch(epoch);
  if (epochs.empty()) {
    showNote(emptyNote);
    return;
  }
  frame_.showPlot();
  replotTimer_->stop();
  replotNow();  // a whole curve at once: no reason to wait
}

void LossCurvePlot::appendEpoch(const reco::EpochReport& epoch) {
  plannedEpochs_ = std::max(plannedEpochs_, epoch.epochs);
  plot_->graph(0)->addData(double(epoch.epoch), epoch.loss);
  if (epoch.validation) {
    plot_->graph(1)->addData(double(epoch.epoch), *epoch.validation);
    if (validationMetric_.isEmpty()) validationMetric_ = toQString(epoch.validationMetric);
  }
  if (frame_.isShowingNote()) frame_.showPlot();
  scheduleReplot();
}

void LossCurvePlot::showNote(const QString& note) {
  replotTimer_->stop();
  frame_.showNote(note);
}

int LossCurvePlot::lossPointCount() const {
  return plot_->graph(0)->dataCount();
}
int LossCurvePlot::validationPointCount() const {
  return plot_->graph(1)->dataCount();
}
bool LossCurvePlot::replotPending() const {
  return replotTimer_->isActive();
}
QString LossCurvePlot::title() const {
  return title_->text();
}

void LossCurvePlot::scheduleReplot() {
  // Coalesce: epochs that arrive while a replot is pending are drawn by that replot.
  if (!replotTimer_->isActive()) replotTimer_->start();
}

void LossCurvePlot::fitRanges() {
  const int count = lossPointCount();
  const double lastEpoch = count > 0 ? plot_->graph(0)->data()->at(count - 1)->key : 1.0;
  const double right = std::max({double(plannedEpochs_), lastEpoch, 2.0});
  plot_->xAxis->setRange(0.5, right + 0.5);
  bool found = false;
  QCPRange loss = plot_->graph(0)->getValueRange(found);
  plot_->yAxis->setRange(found ? paddedRange(loss.lower, loss.upper) : QCPRange(0, 1));
  QCPRange validation = plot_->graph(1)->getValueRange(found);
  plot_->yAxis2->setRange(found ? paddedRange(validation.lower, validation.upper) : QCPRange(0, 1));
}

void LossCurvePlot::replotNow() {
  const bool hasValidation = validationPointCount() > 0;
  plot_->yAxis2->setVisible(hasValidation);
  plot_->yAxis2->setLabel(QStringLiteral("validation %1").arg(validationMetric_));
  plot_->graph(1)->setName(QStringLiteral("validation %1").arg(validationMetric_));
  if (hasValidation) {
    plot_->graph(1)->addToLegend();
  } else {
    plot_->graph(1)->removeFromLegend();
  }
  if (!userMovedView_) fitRanges();
  plot_->replot(QCustomPlot::rpQueuedReplot);
  ++replotCount_;
}

bool LossCurvePlot::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_) {
    switch (event->type()) {
      case QEvent::Wheel:
      case QEvent::MouseMove:
        // Once the user zooms or pans, new epochs no longer move the view.
        if (event->type() == QEvent::Wheel ||
            (static_cast<QMouseEvent*>(event)->buttons() & Qt::LeftButton))
          userMovedView_ = true;
        break;
      case QEvent::MouseButtonDblClick:
        userMovedView_ = false;
        fitRanges();
        plot_->replot();
        return true;
      default: break;
    }
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace reco::ui
