#include "ui/panels/datasets_panel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/dialogs/import_wizard.h"
#include "ui/panels/dataset_stats_view.h"
#include "ui/panels/panel_support.h"
#include "ui/widgets/confirm_deletion.h"
#include "ui/workers/background_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {
constexpr int kTableRowPixels = 28;
constexpr int kMaxVisibleTableRows = 8;
}  // namespace

DatasetsPanel::DatasetsPanel(JobTracker* jobs, QWidget* parent) : QWidget(parent), jobs_(jobs) {
  loader_ = new WorkspaceLoader(jobs, this);
  model_ = new DatasetTableModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(DatasetTableModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);

  // Heading with the busy indicator.
  heading_ = new QLabel(QStringLiteral("Datasets"), this);
  heading_->setObjectName(QStringLiteral("panelHeading"));
  busy_ = createBusyIndicator(this);
  busyLabel_ = createBusyLabel(QStringLiteral("Loading…"), this);
  importButton_ = new QPushButton(QStringLiteral("Import…"), this);
  importButton_->setObjectName(QStringLiteral("importButton"));
  importButton_->setToolTip(
      QStringLiteral("Import a shop file (CSV/TSV events, purchases or ratings, MovieLens, "
                     "UCI Online Retail) as a new dataset of this workspace (Ctrl+I)"));
  connect(importButton_, &QPushButton::clicked, this, &DatasetsPanel::startImport);
  // Stops what is being read or computed (the distributions of a large dataset take
  // seconds); selecting the dataset again starts it anew.
  cancelButton_ = createCancelButton(
      QStringLiteral("cancelReadingButton"),
      QStringLiteral("Stop reading the workspace and computing the statistics"), this);
  connect(cancelButton_, &QPushButton::clicked, this, &DatasetsPanel::cancelReading);
  // Delete: the selected dataset, or one of its splits, each with what hangs off it.
  deleteButton_ = new QPushButton(QStringLiteral("Delete…"), this);
  deleteButton_->setObjectName(QStringLiteral("deleteButton"));
  deleteButton_->setToolTip(
      QStringLiteral("Delete the selected dataset with its splits and runs, or one of its splits "
                     "with its runs; a confirmation says what goes"));
  deleteMenu_ = new QMenu(deleteButton_);
  deleteMenu_->setObjectName(QStringLiteral("deleteMenu"));
  deleteButton_->setMenu(deleteMenu_);
  deleteButton_->setEnabled(false);
  auto* headingRow = new QHBoxLayout;
  headingRow->addWidget(heading_);
  addBusyIndicator(headingRow, busy_, busyLabel_);
  headingRow->addWidget(cancelButton_, 0, Qt::AlignVCenter);
  headingRow->addWidget(deleteButton_, 0, Qt::AlignVCenter);
  headingRow->addWidget(importButton_, 0, Qt::AlignVCenter);

  // Page 0: a placeholder for "no workspace", "no datasets" and workspace errors.
  pages_ = new QStackedWidget(this);
  auto* placeholderPage = new QWidget(pages_);
  placeholder_ = createPlaceholderLabel(QStringLiteral("placeholder"), placeholderPage);
  placeholder_->setMaximumWidth(720);
  openButton_ = new QPushButton(QStringLiteral("Open workspace…"), placeholderPage);
  openButton_->setObjectName(QStringLiteral("openWorkspaceButton"));
  connect(openButton_, &QPushButton::clicked, this, &DatasetsPanel::openWorkspaceRequested);
  newButton_ = new QPushButton(QStringLiteral("New workspace…"), placeholderPage);
  newButton_->setObjectName(QStringLiteral("newWorkspaceButton"));
  newButton_->setToolTip(
      QStringLiteral("Create an empty workspace file to import data into (Ctrl+N)"));
  connect(newButton_, &QPushButton::clicked, this, &DatasetsPanel::newWorkspaceRequested);
  importPlaceholderButton_ = new QPushButton(QStringLiteral("Import data…"), placeholderPage);
  importPlaceholderButton_->setObjectName(QStringLiteral("importPlaceholderButton"));
  importPlaceholderButton_->setToolTip(importButton_->toolTip());
  connect(importPlaceholderButton_, &QPushButton::clicked, this, &DatasetsPanel::startImport);
  auto* buttonRow = new QHBoxLayout;
  buttonRow->addStretch(1);
  buttonRow->addWidget(openButton_);
  buttonRow->addWidget(newButton_);
  buttonRow->addWidget(importPlaceholderButton_);
  buttonRow->addStretch(1);
  // No alignment flag on the label: that would turn off its height-for-width, and a long
  // error message would be cut instead of wrapped.
  auto* placeholderRow = new QHBoxLayout;
  placeholderRow->addStretch(1);
  placeholderRow->addWidget(placeholder_, 4);
  placeholderRow->addStretch(1);
  auto* placeholderLayout = new QVBoxLayout(placeholderPage);
  placeholderLayout->addStretch(1);
  placeholderLayout->addLayout(placeholderRow);
  placeholderLayout->addSpacing(12);
  placeholderLayout->addLayout(buttonRow);
  placeholderLayout->addStretch(2);
  pages_->addWidget(placeholderPage);

  // Page 1: the table above the statistics of the selected dataset.
  table_ = new QTableView(pages_);
  table_->setObjectName(QStringLiteral("datasetTable"));
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(DatasetTableModel::NameColumn, Qt::AscendingOrder);
  setUpRecordTable(table_, kTableRowPixels);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &DatasetsPanel::onSelectionChanged);
  auto* deleteKey = new QShortcut(QKeySequence::Delete, table_);
  deleteKey->setContext(Qt::WidgetShortcut);
  deleteKey->setWhatsThis(QStringLiteral(
      "Delete the selected dataset with its splits and runs (in the datasets table)"));
  connect(deleteKey, &QShortcut::activated, this, &DatasetsPanel::askToDeleteDataset);

  stats_ = new DatasetStatsView;
  auto* scroll = new QScrollArea(pages_);
  scroll->setObjectName(QStringLiteral("statsScroll"));
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(stats_);

  splitter_ = new QSplitter(Qt::Vertical, pages_);
  splitter_->setChildrenCollapsible(false);
  splitter_->addWidget(table_);
  splitter_->addWidget(scroll);
  splitter_->setStretchFactor(0, 0);
  splitter_->setStretchFactor(1, 1);
  pages_->addWidget(splitter_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 12, 16, 8);
  layout->setSpacing(10);
  layout->addLayout(headingRow);
  layout->addWidget(pages_, 1);

  connect(loader_, &WorkspaceLoader::datasetsLoaded, this, &DatasetsPanel::onDatasetsLoaded);
  connect(loader_, &WorkspaceLoader::datasetsFailed, this, &DatasetsPanel::onDatasetsFailed);
  connect(loader_, &WorkspaceLoader::detailsLoaded, this,
          [this](reco::DatasetId id, DatasetDetailsPtr details) {
            if (selectedDataset() != id) return;
            shownDetails_ = details;
            updateDeleteMenu();
            stats_->setDetails(std::move(details));
            emit detailsShown(id);
          });
  connect(loader_, &WorkspaceLoader::detailsFailed, this,
          [this](reco::DatasetId id, const QString& message) {
            if (selectedDataset() != id) return;
            stats_->showMessage(
                QStringLiteral("The statistics could not be read.\n\n%1").arg(message), true);
          });
  connect(loader_, &WorkspaceLoader::distributionsLoaded, this,
          [this](reco::DatasetId id, DistributionsPtr value) {
            if (selectedDataset() == id) stats_->setDistributions(std::move(value));
          });
  connect(loader_, &WorkspaceLoader::distributionsFailed, this,
          [this](reco::DatasetId id, const QString& message) {
            if (selectedDataset() == id)
              stats_->showDistributionsMessage(
                  QStringLiteral("The distributions could not be read.\n\n%1").arg(message), true);
          });
  connect(loader_, &WorkspaceLoader::busyChanged, this, &DatasetsPanel::onBusyChanged);

  setWorkspace(QString());
}

void DatasetsPanel::setWorkspace(const QString& path) {
  path_ = path;
  wantedSelection_.reset();
  loader_->cancelAll();
  model_->setDatasets(nullptr);
  shownDetails_.reset();
  updateDeleteMenu();
  stats_->showMessage(QStringLiteral("Select a dataset to see its statistics."));
  if (path.isEmpty()) {
    showPlaceholder(
        QStringLiteral(
            "<p style='font-size:13pt'>No workspace is open.</p>"
            "<p>Open a workspace file (<b>File › Open workspace…</b>, Ctrl+O), or create a new "
            "one (Ctrl+N) and import a shop file into it (<b>File › Import data…</b>, "
            "Ctrl+I).</p>"),
        false, true);
    emit settled();
    return;
  }
  showPlaceholder(QStringLiteral("Opening %1…").arg(path.toHtmlEscaped()), false, false);
  loader_->loadDatasets(path);
}

void DatasetsPanel::reload() {
  if (path_.isEmpty()) return;
  wantedSelection_ = selectedDataset();
  loader_->loadDatasets(path_);
}

bool DatasetsPanel::isBusy() const {
  return loader_->isBusy();
}

std::optional<reco::DatasetId> DatasetsPanel::selectedDataset() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return std::nullopt;
  return reco::DatasetId(rows.front().data(DatasetTableModel::DatasetIdRole).toLongLong());
}

bool DatasetsPanel::selectDataset(const QString& name) {
  for (int row = 0; row < proxy_->rowCount(); ++row) {
    const QModelIndex index = proxy_->index(row, DatasetTableModel::NameColumn);
    if (index.data(DatasetTableModel::SortRole).toString() == name) {
      table_->selectRow(row);
      return true;
    }
  }
  return false;
}

void DatasetsPanel::onDatasetsLoaded(const QString& path, DatasetList datasets) {
  if (path != path_) return;
  const std::optional<reco::DatasetId> keep = wantedSelection_;
  wantedSelection_.reset();
  // The reset clears the selection; the statistics stay until the new selection's arrive.
  replacingRows_ = true;
  model_->setDatasets(datasets);
  replacingRows_ = false;
  const int count = model_->rowCount();
  if (count == 0) {
    stats_->showMessage(QString());
    showPlaceholder(
        QStringLiteral(
            "<p style='font-size:13pt'>This workspace has no datasets yet.</p>"
            "<p>Import a shop file: events, purchases or ratings as CSV or TSV, MovieLens, or the "
            "UCI Online Retail export (<b>File › Import data…</b>, Ctrl+I), or on the command "
            "line:</p><p><code>reco --workspace \"%1\" import FILE</code></p>")
            .arg(path.toHtmlEscaped()),
        false, false, true);
    emit datasetsShown(path, 0);
    return;
  }

  pages_->setCurrentWidget(splitter_);
  // The table is as tall as its rows (up to a few), the statistics take the rest.
  const int tableHeight = table_->horizontalHeader()->sizeHint().height() +
                          std::min(count, kMaxVisibleTableRows) * kTableRowPixels +
                          2 * table_->frameWidth() + 4;
  splitter_->setSizes({tableHeight, std::max(400, splitter_->height() - tableHeight)});

  int row = 0;
  if (keep) {
    const int sourceRow = model_->rowOf(*keep);
    if (sourceRow >= 0) row = proxy_->mapFromSource(model_->index(sourceRow, 0)).row();
  }
  table_->selectRow(row);
  emit datasetsShown(path, count);
}

void DatasetsPanel::onDatasetsFailed(const QString& path, const QString& message) {
  if (path != path_) return;
  model_->setDatasets(nullptr);
  showPlaceholder(
      QStringLiteral("<p style='font-size:13pt'>This file could not be opened as a workspace.</p>"
                     "<p><b>%1</b></p><p>%2</p>")
          .arg(path.toHtmlEscaped(), message.toHtmlEscaped()),
      true, true);
  emit workspaceFailed(path, message);
}

void DatasetsPanel::onSelectionChanged() {
  if (replacingRows_) return;
  shownDetails_.reset();
  updateDeleteMenu();
  const std::optional<reco::DatasetId> id = selectedDataset();
  if (!id) {
    stats_->showMessage(QStringLiteral("Select a dataset to see its statistics."));
    return;
  }
  const reco::DatasetInfo* info = model_->datasetAt(model_->rowOf(*id));
  const QString name = info ? toQString(info->name) : QString();
  loader_->loadDetails(path_, *id, name);
  stats_->showDistributionsMessage(QStringLiteral("Computing the distributions…"));
  loader_->loadDistributions(path_, *id, name);
}

void DatasetsPanel::cancelReading() {
  if (!loader_->isBusy()) return;
  loader_->cancelAll();
  stats_->showDistributionsMessage(
      QStringLiteral("Cancelled. Select the dataset again to compute its distributions."));
}

void DatasetsPanel::onBusyChanged(bool busy) {
  busy_->setVisible(busy);
  busyLabel_->setVisible(busy);
  cancelButton_->setVisible(busy);
  if (!busy) emit settled();
}

void DatasetsPanel::showPlaceholder(const QString& text, bool isError, bool offerOpen,
                                    bool offerImport) {
  setPlaceholderText(placeholder_, text, isError);
  openButton_->setVisible(offerOpen);
  newButton_->setVisible(offerOpen);
  importPlaceholderButton_->setVisible(offerImport);
  pages_->setCurrentIndex(0);
}

ImportWizard* DatasetsPanel::importWizard() const {
  return wizard_.data();
}

QStringList DatasetsPanel::datasetNames() const {
  QStringList names;
  for (int row = 0; row < model_->rowCount(); ++row) {
    if (const reco::DatasetInfo* info = model_->datasetAt(row)) names << toQString(info->name);
  }
  return names;
}

void DatasetsPanel::startImport() {
  if (wizard_) {
    wizard_->raise();
    wizard_->activateWindow();
    return;
  }
  if (path_.isEmpty()) {
    const auto answer = QMessageBox::question(
        this, QStringLiteral("Import data"),
        QStringLiteral("No workspace is open. Imported data goes into a workspace file.\n\n"
                       "Create a new workspace now?"),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer != QMessageBox::Yes) return;
    // The window creates and opens it (setWorkspace) before this returns, or the user
    // cancelled its file dialog.
    emit newWorkspaceRequested();
    if (path_.isEmpty()) return;
  }
  wizard_ = new ImportWizard(path_, datasetNames(), jobs_, window());
  wizard_->setAttribute(Qt::WA_DeleteOnClose);
  connect(wizard_, &ImportWizard::imported, this, &DatasetsPanel::onImported);
  // Not modal: the window stays usable while a large file imports.
  wizard_->show();
}

void DatasetsPanel::onImported(const reco::DatasetInfo& dataset) {
  // Another workspace may have been opened while the wizard ran.
  const auto* wizard = qobject_cast<const ImportWizard*>(sender());
  if (path_.isEmpty() || (wizard && wizard->workspace() != path_)) return;
  // The new dataset is selected once the list is read again.
  wantedSelection_ = dataset.id;
  loader_->loadDatasets(path_);
  emit datasetsChanged();
}

// ---------------------------------------------------------------------------------------
// Deleting

namespace {

QString runsText(std::int64_t runs) {
  return runs == 0   ? QStringLiteral("no runs")
         : runs == 1 ? QStringLiteral("1 run")
                     : QStringLiteral("%1 runs").arg(formatCount(runs));
}

}  // namespace

void DatasetsPanel::updateDeleteMenu() {
  deleteMenu_->clear();
  const std::optional<reco::DatasetId> id = selectedDataset();
  const reco::DatasetInfo* info = id ? model_->datasetAt(model_->rowOf(*id)) : nullptr;
  deleteButton_->setEnabled(info && shownDetails_ && !deleting_);
  if (!info || !shownDetails_) return;
  // The names are the user's text; '&' would read as a mnemonic.
  auto menuText = [](QString text) { return text.replace(QLatin1Char('&'), QStringLiteral("&&")); };
  QAction* dataset =
      deleteMenu_->addAction(menuText(QStringLiteral("Dataset “%1” with %2 split%3 and %4…")
                                          .arg(toQString(info->name))
                                          .arg(shownDetails_->splits.size())
                                          .arg(shownDetails_->splits.size() == 1 ? "" : "s")
                                          .arg(runsText(shownDetails_->runs))));
  dataset->setObjectName(QStringLiteral("deleteDatasetAction"));
  connect(dataset, &QAction::triggered, this, &DatasetsPanel::askToDeleteDataset);
  if (shownDetails_->splits.empty()) return;
  deleteMenu_->addSection(QStringLiteral("Splits"));
  for (const SplitSummary& split : shownDetails_->splits) {
    QAction* action = deleteMenu_->addAction(menuText(
        QStringLiteral("Split “%1” with %2…").arg(toQString(split.name), runsText(split.runs))));
    const std::int64_t splitId = split.id;
    connect(action, &QAction::triggered, this, [this, splitId] { askToDeleteSplit(splitId); });
  }
}

QString DatasetsPanel::datasetDeletionQuestion() const {
  const std::optional<reco::DatasetId> id = selectedDataset();
  const reco::DatasetInfo* info = id ? model_->datasetAt(model_->rowOf(*id)) : nullptr;
  if (!info || !shownDetails_) return {};
  QStringList splitNames;
  for (const SplitSummary& split : shownDetails_->splits) splitNames << toQString(split.name);
  const std::size_t splits = shownDetails_->splits.size();
  return QStringLiteral(
             "Delete the dataset “%1” from this workspace?\n\n"
             "With it go its %2 interactions of %3 users and %4 items, its import report, %5 and "
             "%6 "
             "trained on %7, with their metrics, lists and models.\n\n"
             "This cannot be undone. The files it was imported from are not touched.")
      .arg(toQString(info->name), formatCount(info->interactions), formatCount(info->users),
           formatCount(info->items),
           splits == 0 ? QStringLiteral("no splits")
                       : QStringLiteral("%1 split%2 (%3)")
                             .arg(splits)
                             .arg(splits == 1 ? "" : "s")
                             .arg(splitNames.join(QStringLiteral(", "))),
           runsText(shownDetails_->runs),
           splits == 1 ? QStringLiteral("it") : QStringLiteral("them"));
}

QString DatasetsPanel::splitDeletionQuestion(std::int64_t splitId) const {
  const std::optional<reco::DatasetId> id = selectedDataset();
  const reco::DatasetInfo* info = id ? model_->datasetAt(model_->rowOf(*id)) : nullptr;
  if (!info || !shownDetails_) return {};
  for (const SplitSummary& split : shownDetails_->splits) {
    if (split.id != splitId) continue;
    return QStringLiteral(
               "Delete the split “%1” of the dataset “%2”?\n\n"
               "With it go its training, validation and test pairs and the %3 trained on it, with "
               "their "
               "metrics, lists and models. The dataset and its other splits stay.\n\n"
               "This cannot be undone.")
        .arg(toQString(split.name), toQString(info->name), runsText(split.runs));
  }
  return {};
}

namespace {}  // namespace

void DatasetsPanel::askToDeleteDataset() {
  const QString question = datasetDeletionQuestion();
  if (question.isEmpty() || deleting_) return;
  if (confirmDeletion(this, QStringLiteral("Delete dataset"), question)) deleteSelectedDataset();
}

void DatasetsPanel::askToDeleteSplit(std::int64_t splitId) {
  const QString question = splitDeletionQuestion(splitId);
  if (question.isEmpty() || deleting_) return;
  if (confirmDeletion(this, QStringLiteral("Delete split"), question)) deleteSplit(splitId);
}

bool DatasetsPanel::deleteSelectedDataset() {
  const std::optional<reco::DatasetId> id = selectedDataset();
  const reco::DatasetInfo* info = id ? model_->datasetAt(model_->rowOf(*id)) : nullptr;
  if (!info || deleting_ || path_.isEmpty()) return false;
  const QString name = toQString(info->name);
  const std::string file = toStdString(path_);
  const reco::DatasetInfo shown = *info;
  runDeletion(QStringLiteral("Deleting dataset %1").arg(name),
              QStringLiteral("Deleted the dataset %1").arg(name),
              [file, shown] { WorkspaceLoader::deleteDataset(file, shown); });
  return true;
}

bool DatasetsPanel::deleteSplit(std::int64_t splitId) {
  if (!shownDetails_ || deleting_ || path_.isEmpty()) return false;
  const auto split = std::find_if(shownDetails_->splits.begin(), shownDetails_->splits.end(),
                                  [splitId](const SplitSummary& s) { return s.id == splitId; });
  if (split == shownDetails_->splits.end()) return false;
  const QString name = toQString(split->name);
  const std::string file = toStdString(path_);
  const SplitSummary& shown = *split;
  wantedSelection_ = selectedDataset();
  runDeletion(QStringLiteral("Deleting split %1").arg(name),
              QStringLiteral("Deleted the split %1").arg(name),
              [file, shown] { WorkspaceLoader::deleteSplit(file, shown); });
  return true;
}

void DatasetsPanel::runDeletion(const QString& label, const QString& done,
                                std::function<void()> work) {
  deleting_ = true;
  updateDeleteMenu();
  const QString path = path_;
  // The work holds only values; the panel hears of the end on the GUI thread.
  runBackgroundTask<bool>(
      this, jobs_, label,
      [work = std::move(work)] {
        work();
        return std::make_shared<const bool>(true);
      },
      [this, path, done](const TaskResult<bool>& result) {
        deleting_ = false;
        updateDeleteMenu();
        if (path != path_) return;  // another workspace was opened meanwhile
        if (result.error) {
          const QString message = WorkspaceLoader::describeError(result.error);
          showPlainWarning(this, QStringLiteral("Delete"),
                           QStringLiteral("Nothing was deleted.\n\n%1").arg(message));
          emit deletionFinished(false, message);
          return;
        }
        if (!wantedSelection_) wantedSelection_ = selectedDataset();
        loader_->loadDatasets(path_);
        emit datasetsChanged();
        emit deletionFinished(true, done);
      });
}

}  // namespace reco::ui
