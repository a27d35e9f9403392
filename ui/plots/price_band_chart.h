#pragma once
/// The prices a user paid (or looked at): a small histogram of the prices of the user's
/// interactions with the band from the lower to the upper quartile shaded and the median
/// marked, and a caption with min, median and max. Wraps a QCustomPlot (whose header only
/// the .cpp includes). GUI thread only.

#include <QWidget>
#include <optional>
#include <vector>

#include "core/storage/user_store.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;
class QLabel;

namespace reco::ui {

class PriceBandChart : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxBins = 12;

  explicit PriceBandChart(QWidget* parent = nullptr);

  /// Shows the histogram of `sortedPrices` (ascending) and the band; no prices (band
  /// nullopt) shows a note instead of a chart.
  void setPrices(const std::vector<double>& sortedPrices,
                 const std::optional<reco::storage::PriceBand>& band);
  void clear(const QString& note = QString());
  /// What the bars count (default "interactions": the prices of a user's interactions), the
  /// caption's tooltip, and the note shown when cleared without one: the item profile counts
  /// "users" (each chooser's median price).
  void setCounting(const QString& unit, const QString& captionToolTip, const QString& emptyNote);

  /// Histogram bins shown (0 when the note is shown); the caption; for tests.
  int binCount() const { return binCount_; }
  QString caption() const;

 private:
  QCustomPlot* plot_;
  QLabel* caption_;
  PlotFrame frame_;  // after plot_ and caption_: its plot page holds them
  int binCount_ = 0;
  QString unit_ = QStringLiteral("interactions");
  QString emptyNote_ = QStringLiteral("No user selected.");
};

}  // namespace reco::ui
