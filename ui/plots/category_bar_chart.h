#pragma once
/// The category mix of a dataset as a horizontal bar chart: the top N categories by
/// interactions, largest at the top, each bar labelled with its count and share.
/// Wraps a QCustomPlot (whose header only the .cpp includes). GUI thread only.

#include <QWidget>
#include <vector>

#include "core/data/dataset_info.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;

namespace reco::ui {

class CategoryBarChart : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kDefaultTopN = 15;

  explicit CategoryBarChart(QWidget* parent = nullptr);

  /// Shows the first `topN` of `categories` (sorted by interactions, descending, as
  /// DatasetStats gives them); shares are of `totalInteractions`. No categories, or only
  /// the empty one, shows a note instead of a chart.
  void setCategories(const std::vector<reco::CategoryShare>& categories,
                     std::int64_t totalInteractions, int topN = kDefaultTopN);
  void clear();

  /// Number of bars shown (0 when the note is shown); for tests.
  int barCount() const { return barCount_; }

 private:
  QCustomPlot* plot_;
  PlotFrame frame_;
  int barCount_ = 0;
};

}  // namespace reco::ui
