#pragma once
/// A user's activity over time: interactions per day, week or month (chosen from the span
/// of the times so that there are a few dozen bars at most), as a bar chart with a date
/// axis (UTC). Wraps a QCustomPlot (whose header only the .cpp includes). GUI thread only.

#include <QWidget>
#include <cstdint>
#include <vector>

#include "ui/plots/plot_frame.h"

class QCustomPlot;

namespace reco::ui {

class ActivityTimeline : public QWidget {
  Q_OBJECT

 public:
  explicit ActivityTimeline(QWidget* parent = nullptr);

  /// Shows `times` (Unix seconds, ascending); none shows a note instead of a chart.
  void setTimes(const std::vector<std::int64_t>& times);
  void clear(const QString& note = QString());

  /// Bars shown (0 when the note is shown) and the bucket's name ("day", "week",
  /// "month"); for tests.
  int barCount() const { return barCount_; }
  const QString& bucketName() const { return bucketName_; }

 private:
  QCustomPlot* plot_;
  PlotFrame frame_;
  int barCount_ = 0;
  QString bucketName_;
};

}  // namespace reco::ui
