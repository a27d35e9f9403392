#include "ui/plots/plot_frame.h"

#include <qcustomplot.h>

#include <QFontMetricsF>
#include <QLabel>
#include <QStackedLayout>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

QCustomPlot* createPlot(QWidget* parent, const QString& objectName, int minimumHeight) {
  auto* plot = new QCustomPlot(parent);
  plot->setObjectName(objectName);
  plot->setLocale(displayLocale());
  plot->setBackground(Qt::white);
  plot->setMinimumHeight(minimumHeight);
  return plot;
}

namespace {

double gPlotTextScale = 1.0;  // GUI thread only, as every plot

QFont scaledFont(QFont font, double factor) {
  if (font.pointSizeF() > 0)
    font.setPointSizeF(font.pointSizeF() * factor);
  else if (font.pixelSize() > 0)
    font.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * factor))));
  return font;
}

}  // namespace

double plotTextScale() {
  return gPlotTextScale;
}

void setPlotTextScale(double scale, QWidget* root) {
  const double factor = scale / gPlotTextScale;
  gPlotTextScale = scale;
  if (!root || std::abs(factor - 1.0) < 1e-9) return;
  for (QCustomPlot* plot : root->findChildren<QCustomPlot*>()) {
    for (QCPAxisRect* rect : plot->axisRects())
      for (QCPAxis* axis : rect->axes()) {
        axis->setTickLabelFont(scaledFont(axis->tickLabelFont(), factor));
        axis->setLabelFont(scaledFont(axis->labelFont(), factor));
      }
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true))
      if (auto* text = qobject_cast<QCPTextElement*>(element))
        text->setFont(scaledFont(text->font(), factor));
    for (int i = 0; i < plot->itemCount(); ++i)
      if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
        text->setFont(scaledFont(text->font(), factor));
    // QCPLegend::setFont sets its entries' fonts too.
    if (plot->legend) plot->legend->setFont(scaledFont(plot->legend->font(), factor));
    plot->replot();
  }
}

void styleAxes(std::initializer_list<QCPAxis*> axes, const QFont& base, const AxisStyle& style) {
  QFont tickFont = base;
  tickFont.setPointSizeF(style.tickPoints * gPlotTextScale);
  QFont labelFont = base;
  labelFont.setPointSizeF(style.labelPoints * gPlotTextScale);
  for (QCPAxis* axis : axes) {
    axis->setTickLabelFont(tickFont);
    axis->setTickLabelColor(kPlotTextColor);
    axis->setLabelFont(labelFont);
    axis->setLabelColor(kPlotTextColor);
    axis->setBasePen(QPen(style.axisColor));
    axis->setTickPen(QPen(style.axisColor));
    axis->setSubTickPen(style.subTickColor.isValid() ? QPen(style.subTickColor) : QPen(Qt::NoPen));
    axis->grid()->setPen(QPen(kPlotGridColor, 1, Qt::SolidLine));
  }
}

PlotFrame::PlotFrame(QWidget* host, QWidget* plotPage, const QString& noteObjectName)
    : plotPage_(plotPage), note_(new QLabel(host)), stack_(new QStackedLayout(host)) {
  note_->setObjectName(noteObjectName);
  note_->setAlignment(Qt::AlignCenter);
  note_->setWordWrap(true);
  // Notes name runs, datasets and errors: the user's text, never markup.
  note_->setTextFormat(Qt::PlainText);
  stack_->setContentsMargins(0, 0, 0, 0);
  stack_->addWidget(plotPage_);
  stack_->addWidget(note_);
}

void PlotFrame::showPlot() {
  stack_->setCurrentWidget(plotPage_);
}

void PlotFrame::showNote(const QString& text) {
  note_->setText(text);
  stack_->setCurrentWidget(note_);
}

bool PlotFrame::isShowingNote() const {
  return stack_->currentWidget() == note_;
}

QString PlotFrame::noteText() const {
  return note_->text();
}

void keepRoomForValueLabels(QCustomPlot* plot) {
  QObject::connect(plot, &QCustomPlot::afterReplot, plot, [plot] {
    // The axis rect's margins are known after a layout, hence afterReplot; a changed range
    // asks for one more replot, after which the range no longer changes.
    QCPAxis* axis = plot->xAxis;
    const double width = plot->axisRect()->width();
    if (width <= 0) return;
    double upper = 0;
    for (int i = 0; i < plot->itemCount(); ++i) {
      auto* label = qobject_cast<QCPItemText*>(plot->item(i));
      if (!label || label->position->keyAxis() != axis) continue;
      const QMargins pad = label->padding();
      const double need = QFontMetricsF(label->font()).horizontalAdvance(label->text()) +
                          pad.left() + pad.right() + 4;
      // A label wider than three quarters of the plot keeps a quarter for its bar.
      const double room = std::max(width - need, width * 0.25);
      upper = std::max(upper, label->position->key() * width / room);
    }
    if (upper <= 0) return;
    const double current = axis->range().upper;
    if (std::abs(current - upper) > 0.005 * upper) {
      axis->setRange(0, upper);
      plot->replot(QCustomPlot::rpQueuedReplot);
    }
  });
}

void fitTickCountToLength(QCustomPlot* plot, QCPAxis* axis, int pixelsPerTick) {
  QObject::connect(plot, &QCustomPlot::afterReplot, plot, [plot, axis, pixelsPerTick] {
    const QSharedPointer<QCPAxisTicker> ticker = axis->ticker();
    if (!ticker) return;
    const int length = axis->orientation() == Qt::Horizontal ? axis->axisRect()->width()
                                                             : axis->axisRect()->height();
    const int count = std::max(2, length / std::max(1, pixelsPerTick));
    if (ticker->tickCount() != count) {
      ticker->setTickCount(count);
      plot->replot(QCustomPlot::rpQueuedReplot);
    }
  });
}

}  // namespace reco::ui
