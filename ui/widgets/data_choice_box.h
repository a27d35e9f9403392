#pragma once
/// The "Data" box of the Experiments panel: the dataset and the split to train on, each
/// split listed with its protocol and described in full below the list, and "New split…"
/// (Ctrl+Shift+N in the panel), whose form's split is drawn in the background by a
/// SplitJob with a progress bar and Cancel. It shows a snapshot read by the panel; after a
/// split was made the panel reads the workspace again and the new split is selected.
/// GUI thread only.

#include <QGroupBox>
#include <QString>
#include <optional>

#include "core/data/dataset_info.h"
#include "core/data/split.h"
#include "core/storage/split_store.h"
#include "ui/workers/experiments_loader.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace reco::ui {

class JobTracker;
class SplitJob;

class DataChoiceBox : public QGroupBox {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about running splits.
  explicit DataChoiceBox(JobTracker* jobs, QWidget* parent = nullptr);

  /// The workspace new splits are drawn in; clears the lists.
  void setWorkspace(const QString& path);
  /// Shows the datasets and splits of `snapshot`, keeping the chosen ones when they are
  /// still there (and choosing the split asked for with wantSplit()).
  void setSnapshot(ExperimentsSnapshotPtr snapshot);

  std::optional<reco::DatasetInfo> currentDataset() const;
  std::optional<reco::storage::SplitInfo> currentSplit() const;
  /// Chooses a dataset (its splits are listed); false when it is not listed.
  bool selectDataset(reco::DatasetId id);
  /// Chooses a split of the chosen dataset by name; false when there is none.
  bool selectSplit(const QString& name);
  /// Chooses split `name` as soon as a snapshot lists it.
  void wantSplit(const QString& name) { wantedSplit_ = name; }

  /// Opens the "New split" form for the chosen dataset.
  void openSplitForm();
  /// Draws a split in the background; false when one is being drawn already.
  bool startSplit(const reco::DatasetInfo& dataset, const QString& name,
                  const reco::SplitOptions& options);
  bool isSplitRunning() const;

  /// "random · test 20% · validation 10% · seed 42 · binary weights"; `brief`: the
  /// protocol and its test part only ("random · test 20%").
  static QString protocolSummary(const reco::SplitOptions& options, bool brief = false);

 signals:
  /// The chosen split changed (it may be none).
  void splitChosen();
  /// A split was drawn and stored (the panel reads the workspace again).
  void splitCreated(const QString& name);
  void splitCancelled();
  void splitFailed(const QString& message);

 private:
  void fillDatasets();
  void fillSplits();
  void onSplitChosen();
  void onSplitFinished();

  QString path_;
  ExperimentsSnapshotPtr snapshot_;
  SplitJob* splitJob_;
  QComboBox* datasetCombo_;
  QComboBox* splitCombo_;
  QLabel* splitSummary_;
  QPushButton* newSplitButton_;
  QWidget* splitProgressRow_;
  QProgressBar* splitProgress_;
  QLabel* splitStatus_;
  QPushButton* splitCancel_;
  QString wantedSplit_;
  bool filling_ = false;
};

}  // namespace reco::ui
