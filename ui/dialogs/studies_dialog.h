#pragma once
/// The Experiments panel's "Studies…": the tuning studies stored in the workspace, so that a
/// study run yesterday (in the window or with `reco tune --study`) can be read again. On the
/// left the studies (StudyListModel); on the right the chosen one as it looked when it
/// ended (StudyView): the best validation value so far per model, its trials, and per model
/// the best validation value, the chosen options, the final run and its test value. The
/// studies are read in the background (StudyLoader: a workspace of many long studies is not
/// small), so opening the window never waits; choosing a study only shows what was read. A
/// non-modal window of its own; GUI thread only.

#include <QDialog>
#include <QString>

#include "ui/workers/study_loader.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace reco::ui {

class JobTracker;
class StudyListModel;
class StudyView;

class StudiesDialog : public QDialog {
  Q_OBJECT

 public:
  /// `jobs` (may be null) shows the reading as a job.
  explicit StudiesDialog(JobTracker* jobs, QWidget* parent = nullptr);

  /// Shows the studies of the workspace at `path` (empty: none) and starts reading them.
  void setWorkspace(const QString& path);
  /// Reads the studies again (a study was stored since), keeping the chosen one.
  void reload();
  /// Chooses the study called `name`, now or once it is read; false when the studies are
  /// read and there is none of that name.
  bool selectStudy(const QString& name);
  /// The chosen study's name; empty when none.
  QString currentStudy() const;
  bool isLoading() const;

  StudyListModel* studyList() const { return list_; }
  StudyView* studyView() const { return view_; }
  /// The line above the study: what it was (or why nothing is shown).
  QString summaryText() const;

 signals:
  /// The studies were read (or could not be: summaryText() says why).
  void loaded();

 private:
  void onLoaded(const QString& path, const StoredStudyList& studies);
  void showChosen();
  void setSummary(const QString& text, bool isError);

  QString path_;
  QString wanted_;  // choose this study once it is read
  StudyLoader* loader_;
  StudyListModel* list_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QLabel* summary_;
  QPushButton* refreshButton_;
  StudyView* view_;
};

}  // namespace reco::ui
