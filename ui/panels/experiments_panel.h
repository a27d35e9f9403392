#pragma once
/// The Experiments screen. On the left: the dataset and split to
/// train on (with a "New split…" form drawn in the background), the model with its option
/// form (which scrolls), and below it, always in view, the queue of runs with per-run
/// progress, epoch, the run's ETA and Cancel; the column has a fixed width. On the right:
/// the runs table (stored runs and this session's queue) with Delete, and the selected
/// run's training curve, live while it trains. GUI thread only; all reading, splitting,
/// training and deleting happen in the background (ExperimentsLoader, SplitJob, RunQueue).
///
/// "Tune…" opens the equal-budget tuning study's form (TuneDialog) for the chosen split and
/// runs the study in the background in a window of its own (TuneProgressView); its final
/// runs join the runs table when it is stored. "Studies…" opens the stored studies
/// (StudiesDialog, read in the background), choosing the study of the selected tuned run.
///
/// Shortcuts: Ctrl+Return queues the run, Ctrl+Shift+N opens the split form, Delete
/// deletes the selected run, Ctrl+Period cancels the selected run.

#include <QPointer>
#include <QWidget>
#include <map>
#include <optional>

#include "core/data/dataset_info.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"
#include "core/training/tuning_study.h"
#include "ui/workers/experiments_loader.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace reco::ui {

class DataChoiceBox;
class JobTracker;
class LossCurvePlot;
class RunQueue;
class RunQueueView;
class RunSetupForm;
class RunTableModel;
class StudiesDialog;
class TuneProgressView;
struct QueuedRun;

class ExperimentsPanel : public QWidget {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about the panel's background work.
  explicit ExperimentsPanel(JobTracker* jobs, QWidget* parent = nullptr);
  ~ExperimentsPanel() override;

  /// Shows the workspace at `path` (empty: none) and starts reading it.
  void setWorkspace(const QString& path);
  /// Reads the workspace again (after runs or datasets changed elsewhere).
  void reload();

  /// First start: when the workspace has at least one dataset and no runs, draws the split
  /// "demo-holdout" of the first dataset (random, test 0.2, validation 0.1, seed 42) in the
  /// background, or reuses it when it exists, and then queues a few quick runs (pop,
  /// itemknn, als and bpr with validation, ease). False when there was nothing to do.
  bool queueDemoRunsIfEmpty();

  /// Queues a run of `model` with `options` on the chosen split as the form would (name:
  /// the model's, made unique); false when no split is chosen. For the demo and tests.
  bool queueRun(const QString& model, const reco::OptionValues& options = {}, bool validate = false,
                int patience = 0);

  RunQueue* runQueue() const { return queue_; }
  RunTableModel* runTable() const { return model_; }
  RunSetupForm* runSetup() const { return setup_; }
  LossCurvePlot* lossCurve() const { return curve_; }
  /// The chosen split, if any.
  std::optional<reco::storage::SplitInfo> currentSplit() const;
  /// Selects the split called `name` of the chosen dataset; false when there is none.
  bool selectSplit(const QString& name);
  /// Selects the runs table row of the run called `name`; false when there is none.
  bool selectRun(const QString& name);
  /// True while the workspace is being read.
  bool isLoading() const;

  /// Opens the tuning study's form for the chosen split; on "Start study" runs it.
  void openTuneDialog();
  /// Starts a tuning study of `options` on the chosen split in the background (cancelling a
  /// running one) and shows its progress; false when no split is chosen. For the form and
  /// tests.
  bool startStudy(const reco::StudyOptions& options);
  /// The study's window; null before the first study.
  TuneProgressView* tuneView() const { return tuneView_; }
  /// Opens the window of the workspace's stored studies, with the selected run's study
  /// chosen when that run is tuned (else the newest study).
  void openStudiesDialog();
  /// That window; null before it is first opened.
  StudiesDialog* studiesDialog() const { return studiesDialog_; }

 protected:
  /// Lists models that joined the registry since (the deep-model module loads late).
  void showEvent(QShowEvent* event) override;

 signals:
  /// Runs were stored or deleted by this panel.
  void runsChanged();
  /// The workspace's datasets, splits and runs are shown.
  void loaded();
  /// A split was drawn and stored.
  void splitCreated(const QString& name);

 private:
  QWidget* createRunsArea();
  void onLoaded(const QString& path, ExperimentsSnapshotPtr snapshot);
  void queueFromForm();
  void enqueue(reco::ExperimentOptions options);
  void syncLiveRow(int id);
  void syncLiveRows();
  void updateTakenNames();
  void onRunFinished(int id);
  void onSelectionChanged();
  void showSelectedCurve();
  void deleteSelected();
  void cancelSelected();
  void queueDemoRuns(const reco::storage::SplitInfo& split);
  void showMessage(const QString& text, bool isError);
  bool isStoredName(const QString& name) const;

  void trackJob(int id);
  QString currentSplitLabel() const;

  QPointer<JobTracker> jobs_;   // the window's; it may go before this panel
  std::map<int, int> runJobs_;  // queue id -> JobTracker id of a running run
  QString path_;
  ExperimentsSnapshotPtr snapshot_;
  ExperimentsLoader* loader_;
  RunQueue* queue_;
  RunTableModel* model_;
  QSortFilterProxyModel* proxy_;

  QLabel* heading_;
  QLabel* message_;
  DataChoiceBox* data_;
  RunSetupForm* setup_;
  RunQueueView* queueView_;
  QSplitter* splitter_;
  QTableView* table_;
  QPushButton* deleteButton_;
  QPushButton* cancelButton_;
  QPushButton* tuneButton_;
  QPushButton* studiesButton_;
  TuneProgressView* tuneView_ = nullptr;
  StudiesDialog* studiesDialog_ = nullptr;
  QLabel* curveCaption_;
  LossCurvePlot* curve_;

  QString wantedRun_;  // select this run once it is listed
  reco::storage::RunId shownEpochsOf_ = -1;
  bool demoPending_ = false;  // queue the demo runs once "demo-holdout" exists
  reco::DatasetId demoDataset_ = 0;
};

}  // namespace reco::ui
