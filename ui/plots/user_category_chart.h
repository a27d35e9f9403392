#pragma once
/// A user's categories as a compact horizontal bar chart: the top N categories of the
/// user's interactions, largest at the top, each bar labelled with its count and share.
/// Category paths ("Sports & Outdoors > Fitness") are labelled by their last part so that
/// the chart fits a third of a panel; the tooltip lists the full names. Wraps a QCustomPlot
/// (whose header only the .cpp includes). GUI thread only.

#include <QWidget>
#include <vector>

#include "core/data/dataset_info.h"
#include "ui/plots/plot_frame.h"

class QCustomPlot;

namespace reco::ui {

class UserCategoryChart : public QWidget {
  Q_OBJECT

 public:
  explicit UserCategoryChart(QWidget* parent = nullptr);

  /// Shows the first `topN` of `categories` (by interactions, descending); shares are of
  /// `totalInteractions`. No categories, or only the empty one, shows a note instead.
  void setCategories(const std::vector<reco::CategoryShare>& categories,
                     std::int64_t totalInteractions, int topN);
  void clear(const QString& note = QString());
  /// What the bars count (default "interactions", a user's profile) and the note shown when
  /// cleared without one (default "No user selected."): the item profile counts "users".
  void setCounting(const QString& unit, const QString& emptyNote);

  /// Bars shown (0 when the note is shown) and their labels, top first; for tests.
  int barCount() const { return int(labels_.size()); }
  const QStringList& labels() const { return labels_; }
  /// The bar label of a category name: its last " > " part, elided past 24 characters;
  /// "(no category)" for "".
  static QString shortLabel(const std::string& category);

 private:
  QCustomPlot* plot_;
  PlotFrame frame_;
  QStringList labels_;
  QString unit_ = QStringLiteral("interactions");
  QString emptyNote_ = QStringLiteral("No user selected.");
};

}  // namespace reco::ui
