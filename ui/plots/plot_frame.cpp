#include "ui/plots/plot_frame.h"

#include <QLabel>
#include <QStackedLayout>

#include <qcustomplot.h>

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

void styleAxes(std::initializer_list<QCPAxis*> axes, const QFont& base, const AxisStyle& style) {
  QFont tickFont = base;
  tickFont.setPointSizeF(style.tickPoints);
  QFont labelFont = base;
  labelFont.setPointSizeF(style.labelPoints);
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

void PlotFrame::showPlot() { stack_->setCurrentWidget(plotPage_); }

void PlotFrame::showNote(const QString& text) {
  note_->setText(text);
  stack_->setCurrentWidget(note_);
}

bool PlotFrame::isShowingNote() const { return stack_->currentWidget() == note_; }

QString PlotFrame::noteText() const { return note_->text(); }

}  // namespace reco::ui
