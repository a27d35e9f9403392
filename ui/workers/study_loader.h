#pragma once
/// The stored tuning studies of a workspace, read in the background for the Studies window
/// (ui/dialogs/studies_dialog.h): each study whole (storage::findStudy: trials and chosen
/// options) with its final runs' stored info and metrics, as the StudyResult the window's
/// table shows. Cost: every study's trials and final runs' metrics, O(trials + runs), which
/// a workspace with many long studies makes large: hence a task in
/// backgroundPool() (background_pool.h) on its own storage::Workspace, never the GUI thread. A
/// newer load supersedes an older one, whose result is dropped. Lives on the GUI thread.

#include <QObject>
#include <QString>
#include <memory>
#include <string>
#include <vector>

#include "core/training/tuning_study.h"

namespace reco::ui {

class JobTracker;

/// One stored study as the window shows it.
struct StoredStudy {
  /// record as stored; finals[m] is model m's final run with its metrics (run.id 0 when the
  /// study has none for that model, or it was deleted since).
  std::shared_ptr<const reco::StudyResult> result;
  std::string datasetName;  ///< "" when the dataset is gone
  std::string splitName;
};
using StoredStudyList = std::shared_ptr<const std::vector<StoredStudy>>;

class StudyLoader : public QObject {
  Q_OBJECT

 public:
  explicit StudyLoader(JobTracker* jobs, QObject* parent = nullptr);

  /// Reads every study of the workspace at `path`; loaded() or loadFailed() follows.
  void load(const QString& path);
  /// Drops a pending result.
  void cancel() { wanted_ = 0; }
  bool isLoading() const { return wanted_ != 0; }

  /// The work of load() on the calling thread (throws reco::Error): the studies by name.
  static StoredStudyList readStudies(const std::string& path);

 signals:
  void loaded(const QString& path, reco::ui::StoredStudyList studies);
  void loadFailed(const QString& path, const QString& message);

 private:
  JobTracker* jobs_;
  int generation_ = 0;
  int wanted_ = 0;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::StoredStudyList)
