#pragma once
/// The background jobs running in the window, for the status bar: workers register a
/// job with a label when they start it and finish it by id. GUI thread only.

#include <QObject>
#include <QStringList>
#include <map>

namespace reco::ui {

class JobTracker : public QObject {
  Q_OBJECT

 public:
  explicit JobTracker(QObject* parent = nullptr);

  /// Registers a running job ("Loading statistics of demo"); returns its id.
  int start(const QString& label);
  /// Ends a job; unknown ids are ignored.
  void finish(int id);

  int count() const { return int(jobs_.size()); }
  /// Labels of the running jobs, oldest first.
  QStringList labels() const;

 signals:
  void jobsChanged();

 private:
  int nextId_ = 1;
  std::map<int, QString> jobs_;
};

}  // namespace reco::ui
