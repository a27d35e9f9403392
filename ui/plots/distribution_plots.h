#pragma once
/// The statistics page's distribution plots (the Datasets screen): the item
/// popularity long tail (log-log), the user activity histogram (logarithmic bins) and the
/// interactions over time (per week). Each wraps a QCustomPlot (whose header only the .cpp
/// includes) with a title, axis labels and a legend, and shows a note instead when there
/// is nothing to plot. They only draw a snapshot they are given. GUI thread only.

#include <QWidget>

#include "core/storage/distributions.h"
#include "ui/plots/plot_frame.h"

class QCPTextElement;
class QCustomPlot;

namespace reco::ui {

/// What the three plots share: the plot, the note shown instead of it, and the looks.
class DistributionPlot : public QWidget {
  Q_OBJECT

 public:
  /// Shows `text` instead of the plot ("Computing…", "no times", an error).
  void showNote(const QString& text);
  /// True while the note is shown instead of the plot.
  bool isShowingNote() const;
  QString noteText() const;
  /// The plot's title and axis labels, for tests and for exported images.
  QString title() const;
  QString xLabel() const;
  QString yLabel() const;
  QCustomPlot* plot() const { return plot_; }

 protected:
  DistributionPlot(const QString& objectName, const QString& title, QWidget* parent);
  void setTitle(const QString& title);
  /// Shows the plot (after its data was set) and replots.
  void showPlot();

  QCustomPlot* plot_;

 private:
  PlotFrame frame_;
  QCPTextElement* title_;
};

/// Items ranked by interactions against their interactions, both axes logarithmic, with
/// the head (the top 20% of items) marked and its share of interactions in the legend.
class LongTailPlot : public DistributionPlot {
  Q_OBJECT

 public:
  explicit LongTailPlot(QWidget* parent = nullptr);
  void setDistributions(const reco::DatasetDistributions& distributions);
  /// Points drawn (0 when the note is shown).
  int pointCount() const;
};

/// Users per activity bin (interactions per user in power-of-two bins) as bars.
class ActivityHistogram : public DistributionPlot {
  Q_OBJECT

 public:
  explicit ActivityHistogram(QWidget* parent = nullptr);
  void setDistributions(const reco::DatasetDistributions& distributions);
  int barCount() const { return barCount_; }

 private:
  int barCount_ = 0;
};

/// Interactions per week (or per several weeks, for long spans) as a time series; a note
/// when the dataset has no times.
class InteractionsOverTimePlot : public DistributionPlot {
  Q_OBJECT

 public:
  explicit InteractionsOverTimePlot(QWidget* parent = nullptr);
  void setDistributions(const reco::DatasetDistributions& distributions);
  int binCount() const { return binCount_; }

 private:
  int binCount_ = 0;
};

}  // namespace reco::ui
