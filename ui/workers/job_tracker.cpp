#include "ui/workers/job_tracker.h"

namespace reco::ui {

JobTracker::JobTracker(QObject* parent) : QObject(parent) {}

int JobTracker::start(const QString& label) {
  const int id = nextId_++;
  jobs_.emplace(id, label);
  emit jobsChanged();
  return id;
}

void JobTracker::finish(int id) {
  if (jobs_.erase(id) > 0) emit jobsChanged();
}

QStringList JobTracker::labels() const {
  QStringList result;
  for (const auto& [id, label] : jobs_) result << label;
  return result;
}

}  // namespace reco::ui
