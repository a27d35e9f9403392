#pragma once
/// The Datasets screen: the workspace's datasets in a sortable table and, below it, the
/// statistics of the selected one with its plots; an Import button opens the import
/// wizard (ui/dialogs/import_wizard.h). All reading happens in the background through a
/// WorkspaceLoader; the panel shows a busy indicator meanwhile and shows failures in
/// place (never as exceptions). GUI thread only.

#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <functional>

#include "core/data/dataset_info.h"
#include "ui/models/dataset_details.h"
#include "ui/models/dataset_table_model.h"

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace reco::ui {

class DatasetStatsView;
class ImportWizard;
class JobTracker;
class WorkspaceLoader;

class DatasetsPanel : public QWidget {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about the panel's background work.
  explicit DatasetsPanel(JobTracker* jobs, QWidget* parent = nullptr);

  /// Shows the workspace at `path` (empty: none) and starts reading it.
  void setWorkspace(const QString& path);
  const QString& workspace() const { return path_; }
  /// Reads the workspace again, keeping the selected dataset when it is still there.
  void reload();

  /// Stops every read and computation in progress (the Cancel button, Esc); the panel
  /// keeps what it shows and says that the distributions were not computed.
  void cancelReading();
  /// True while something is being read.
  bool isBusy() const;
  /// The id of the selected dataset, or nullopt.
  std::optional<reco::DatasetId> selectedDataset() const;
  /// Selects a dataset by name; false when there is none of that name.
  bool selectDataset(const QString& name);
  /// The import wizard while it is open, else null.
  ImportWizard* importWizard() const;
  /// The statistics page below the table.
  DatasetStatsView* statsView() const { return stats_; }

  /// What deleting the selected dataset, or its split `splitId`, takes with it, as the
  /// confirmation says it (counts of interactions, splits and runs); empty when there is
  /// no such dataset or split shown.
  QString datasetDeletionQuestion() const;
  QString splitDeletionQuestion(std::int64_t splitId) const;
  /// Asks (the question above, Cancel by default) and then deletes.
  void askToDeleteDataset();
  void askToDeleteSplit(std::int64_t splitId);
  /// Deletes without asking, in the background through the core (one transaction); the
  /// list is read again when done and datasetsChanged() goes out. False (nothing started)
  /// while another delete runs or when nothing is shown.
  bool deleteSelectedDataset();
  bool deleteSplit(std::int64_t splitId);
  /// True while a delete runs.
  bool isDeleting() const { return deleting_; }

 public slots:
  /// Opens the import wizard (or raises the open one). Without a workspace it first offers
  /// to create one (newWorkspaceRequested) and continues once one is open.
  void startImport();

 signals:
  /// The list of datasets of `path` is shown (`count` rows).
  void datasetsShown(const QString& path, int count);
  /// The workspace could not be read; `message` says why.
  void workspaceFailed(const QString& path, const QString& message);
  /// The statistics of a dataset are shown.
  void detailsShown(reco::DatasetId id);
  /// Nothing is being read any more and the panel shows its final state.
  void settled();
  /// The user asked (from the empty page) to open a workspace.
  void openWorkspaceRequested();
  /// The user asked to create a new workspace (from the empty page, or to import into).
  void newWorkspaceRequested();
  /// A dataset was added (imported) or deleted, or a split deleted: screens listing
  /// datasets, splits or runs reload.
  void datasetsChanged();
  /// A delete finished (`message` says what went) or failed (`message` says why).
  void deletionFinished(bool ok, const QString& message);

 private:
  void onDatasetsLoaded(const QString& path, DatasetList datasets);
  void onDatasetsFailed(const QString& path, const QString& message);
  void onSelectionChanged();
  void onBusyChanged(bool busy);
  void showPlaceholder(const QString& text, bool isError, bool offerOpen, bool offerImport = false);
  void onImported(const reco::DatasetInfo& dataset);
  QStringList datasetNames() const;
  void updateDeleteMenu();
  void runDeletion(const QString& label, const QString& done, std::function<void()> work);

  QString path_;
  std::optional<reco::DatasetId> wantedSelection_;
  bool replacingRows_ = false;
  WorkspaceLoader* loader_;
  DatasetTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QStackedWidget* pages_;
  QLabel* placeholder_;
  QPushButton* openButton_;
  QPushButton* newButton_;
  QPushButton* importPlaceholderButton_;
  QPushButton* importButton_;
  QPushButton* deleteButton_;
  QMenu* deleteMenu_;
  DatasetDetailsPtr shownDetails_;  ///< the selected dataset's, once read
  bool deleting_ = false;
  JobTracker* jobs_;
  QPointer<ImportWizard> wizard_;
  QLabel* heading_;
  QProgressBar* busy_;
  QPushButton* cancelButton_ = nullptr;
  QLabel* busyLabel_;
  QSplitter* splitter_;
  QTableView* table_;
  DatasetStatsView* stats_;
};

}  // namespace reco::ui
