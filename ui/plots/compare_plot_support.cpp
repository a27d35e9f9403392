#include "ui/plots/compare_plot_support.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>
#include <algorithm>
#include <cstdio>

#include "ui/plots/plot_frame.h"

namespace reco::ui {

namespace {
constexpr int kMinExportWidth = 900;
constexpr int kMinExportHeight = 560;
constexpr int kMinPlotWidth = 320;
}  // namespace

QColor runColor(int index) {
  static const QColor palette[] = {QColor(0x2f, 0x5d, 0x8f), QColor(0xd9, 0x7b, 0x29),
                                   QColor(0x3a, 0x8f, 0x5c), QColor(0xa3, 0x3f, 0x6b),
                                   QColor(0x6b, 0x5b, 0xa8), QColor(0x2a, 0x9d, 0xa6),
                                   QColor(0x8c, 0x6d, 0x31), QColor(0xc0, 0x45, 0x3a)};
  constexpr int count = int(sizeof(palette) / sizeof(palette[0]));
  return palette[((index % count) + count) % count];
}

void fitLegendToWidth(QCustomPlot* plot) {
  // A legend of one entry per run in a single row widened the panel past any window once
  // re-ranked runs made a dozen of them: as many entries a row as the width holds, and a
  // fixed minimum width, so that the legend's own width never holds the window open.
  plot->setMinimumWidth(kMinPlotWidth);
  QObject::connect(plot, &QCustomPlot::afterReplot, plot, [plot] {
    QCPLegend* legend = plot->legend;
    if (!legend || !legend->visible()) return;
    // itemCount() counts the grid's cells, and a re-flowed grid has empty ones.
    int widest = 1, entries = 0;
    for (int i = 0; i < legend->itemCount(); ++i)
      if (QCPAbstractLegendItem* item = legend->item(i)) {
        widest = std::max(widest, item->minimumOuterSizeHint().width());
        ++entries;
      }
    if (entries == 0) return;
    const int room = plot->width() - 24;
    const int spacing = legend->columnSpacing();
    const int columns = std::clamp((room + spacing) / (widest + spacing), 1, entries);
    if (legend->wrap() != columns) {
      legend->setWrap(columns);
      legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flows the entries
      plot->replot(QCustomPlot::rpQueuedReplot);
    }
  });
}

QCPTextElement* styleComparePlot(QCustomPlot* plot, const QFont& base) {
  plot->setBackground(Qt::white);
  QFont tickFont = base;
  tickFont.setPointSizeF(9.5);
  styleAxes({plot->xAxis, plot->yAxis}, base,
            {.tickPoints = 9.5, .labelPoints = 10, .axisColor = kPlotGridColor.darker(130)});
  // The legend goes in a row of its own under the axes, entries side by side, so that it
  // never hides a bar or a point.
  plot->legend->setVisible(true);
  plot->legend->setFont(tickFont);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot->legend->setColumnSpacing(18);
  fitLegendToWidth(plot);
  plot->axisRect()->insetLayout()->take(plot->legend);
  plot->plotLayout()->addElement(1, 0, plot->legend);
  plot->plotLayout()->setRowStretchFactor(1, 0.001);
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->setRowSpacing(2);
  QFont titleFont = base;
  titleFont.setPointSizeF(11);
  titleFont.setBold(true);
  auto* title = new QCPTextElement(plot, QString(), titleFont);
  title->setTextColor(kPlotTextColor);
  plot->plotLayout()->addElement(0, 0, title);
  return title;
}

bool saveComparePlot(QCustomPlot* plot, const QString& path, QString* error) {
  const int width = std::max(plot->width(), kMinExportWidth);
  const int height = std::max(plot->height(), kMinExportHeight);
  const QFileInfo target(path);
  const bool pdf = target.suffix().compare(QStringLiteral("pdf"), Qt::CaseInsensitive) == 0;
  // Written beside the target and renamed into place only when complete, so that a full
  // disk or a failed render never leaves half a picture (or destroys the previous one).
  QTemporaryFile partial(
      QDir(target.absolutePath())
          .filePath(QStringLiteral(".%1.partial-XXXXXX").arg(target.fileName())));
  if (!partial.open()) {
    if (error) *error = QStringLiteral("Could not write %1: %2").arg(path, partial.errorString());
    return false;
  }
  partial.close();
  const QString partialPath = partial.fileName();
  const bool saved =
      pdf ? plot->savePdf(partialPath, width, height) : plot->savePng(partialPath, width, height);
  // A temporary file is private (0600); the picture gets the target's permissions, or the
  // usual ones for a new file.
  partial.setPermissions(target.exists() ? target.permissions()
                                         : QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ReadGroup | QFileDevice::ReadOther);
  // std::rename replaces an existing target in one step (QFile::rename refuses to).
  if (!saved || std::rename(QFile::encodeName(partialPath).constData(),
                            QFile::encodeName(target.absoluteFilePath()).constData()) != 0) {
    if (error)
      *error = QStringLiteral("Could not write %1 (is the disk full or the folder read-only?)")
                   .arg(path);
    return false;
  }
  partial.setAutoRemove(false);  // it is the target now
  return true;
}

}  // namespace reco::ui
