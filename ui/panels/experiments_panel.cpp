#include "ui/panels/experiments_panel.h"

#include <QAbstractItemView>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <utility>

#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/dialogs/studies_dialog.h"
#include "ui/models/run_table_model.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/loss_curve_plot.h"
#include "ui/widgets/data_choice_box.h"
#include "ui/widgets/flow_row_layout.h"
#include "ui/widgets/run_queue_view.h"
#include "ui/widgets/run_setup_form.h"
#include "ui/workers/job_tracker.h"
#include "ui/workers/run_queue.h"

namespace reco::ui {

namespace {

const QString kDemoSplit = QStringLiteral("demo-holdout");
constexpr int kLeftColumnWidth = 384;  // the form, its scroll bar and the queue
constexpr int kTableRowPixels = 28;

}  // namespace

ExperimentsPanel::ExperimentsPanel(JobTracker* jobs, QWidget* parent)
    : QWidget(parent), jobs_(jobs) {
  setObjectName(QStringLiteral("experimentsPanel"));
  loader_ = new ExperimentsLoader(jobs, this);
  queue_ = new RunQueue(this);
  model_ = new RunTableModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(RunTableModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);

  heading_ = new QLabel(QStringLiteral("Experiments"));
  heading_->setObjectName(QStringLiteral("panelHeading"));
  message_ = new QLabel;
  message_->setObjectName(QStringLiteral("panelMessage"));
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->hide();

  // Left: what to train, and the queue.
  auto* left = new QWidget;
  left->setObjectName(QStringLiteral("experimentsSetup"));
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 8, 0);
  leftLayout->setSpacing(4);
  data_ = new DataChoiceBox(jobs);
  leftLayout->addWidget(data_);
  auto* modelBox = new QGroupBox(QStringLiteral("Model"));
  setup_ = new RunSetupForm;
  auto* modelLayout = new QVBoxLayout(modelBox);
  modelLayout->addWidget(setup_);
  leftLayout->addWidget(modelBox);
  leftLayout->addStretch(1);
  // Never squeezed below its natural height (a long option form scrolls instead).
  left->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
  auto* scroll = new QScrollArea;
  scroll->setObjectName(QStringLiteral("experimentsScroll"));
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setWidget(left);
  // The queue stays in view below the form, which scrolls (a deep model's long option form
  // pushed the progress below the fold at 1320 x 900).
  auto* queueBox = new QGroupBox(QStringLiteral("Queue"));
  queueBox->setObjectName(QStringLiteral("queueBox"));
  queueView_ = new RunQueueView(queue_);
  auto* queueLayout = new QVBoxLayout(queueBox);
  queueLayout->addWidget(queueView_);
  auto* leftColumn = new QWidget;
  leftColumn->setObjectName(QStringLiteral("experimentsLeftColumn"));
  // A fixed width: the progress text changes, the column does not.
  leftColumn->setFixedWidth(kLeftColumnWidth);
  auto* leftColumnLayout = new QVBoxLayout(leftColumn);
  leftColumnLayout->setContentsMargins(0, 0, 8, 0);  // as the form's boxes in the scroll area
  leftColumnLayout->setSpacing(6);
  leftColumnLayout->addWidget(scroll, 1);
  leftColumnLayout->addWidget(queueBox);

  auto* columns = new QHBoxLayout;
  columns->setSpacing(12);
  columns->addWidget(leftColumn);
  columns->addWidget(createRunsArea(), 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 12, 16, 8);
  layout->setSpacing(10);
  layout->addWidget(heading_);
  layout->addWidget(message_);
  layout->addLayout(columns, 1);

  connect(loader_, &ExperimentsLoader::loaded, this, &ExperimentsPanel::onLoaded);
  connect(loader_, &ExperimentsLoader::loadFailed, this,
          [this](const QString& path, const QString& message) {
            if (path != path_) return;
            showMessage(
                QStringLiteral("The runs of this workspace could not be read. %1").arg(message),
                true);
            emit loaded();
          });
  connect(
      loader_, &ExperimentsLoader::epochsLoaded, this,
      [this](reco::storage::RunId run, const EpochList& epochs) {
        const QModelIndexList rows = table_->selectionModel()->selectedRows();
        if (rows.isEmpty() || rows.front().data(RunTableModel::StoredRunIdRole).toLongLong() != run)
          return;
        const QString name = rows.front().data(RunTableModel::RunNameRole).toString();
        const QString model = proxy_->index(rows.front().row(), RunTableModel::ModelColumn)
                                  .data(RunTableModel::SortRole)  // without "(tuned)"
                                  .toString();
        shownEpochsOf_ = run;
        curve_->showRun(QStringLiteral("%1 · %2").arg(name, model), *epochs,
                        QStringLiteral("%1 (%2) trains in one pass: there are no epochs to plot.")
                            .arg(name, model));
      });
  connect(loader_, &ExperimentsLoader::epochsFailed, this,
          [this](reco::storage::RunId, const QString& message) {
            curve_->showNote(QStringLiteral("The epochs could not be read. %1").arg(message));
          });
  connect(loader_, &ExperimentsLoader::runDeleted, this, [this](reco::storage::RunId) {
    showMessage(QString(), false);
    reload();
    emit runsChanged();
  });
  connect(loader_, &ExperimentsLoader::deleteFailed, this,
          [this](reco::storage::RunId, const QString& message) {
            showMessage(QStringLiteral("The run could not be deleted. %1").arg(message), true);
          });

  connect(data_, &DataChoiceBox::splitChosen, this, [this] {
    const std::optional<reco::storage::SplitInfo> split = data_->currentSplit();
    setup_->setSplitState(split.has_value(), split && split->validPairs > 0);
  });
  connect(data_, &DataChoiceBox::splitCreated, this, [this](const QString& name) {
    emit splitCreated(name);
    reload();
  });
  connect(data_, &DataChoiceBox::splitCancelled, this, [this] {
    demoPending_ = false;
    showMessage(QStringLiteral("The split was cancelled; nothing was stored."), false);
  });
  connect(data_, &DataChoiceBox::splitFailed, this, [this](const QString& message) {
    demoPending_ = false;
    showMessage(QStringLiteral("The split could not be drawn. %1").arg(message), true);
  });

  connect(setup_, &RunSetupForm::queueRequested, this, &ExperimentsPanel::queueFromForm);
  connect(queue_, &RunQueue::runAdded, this, &ExperimentsPanel::syncLiveRow);
  connect(queue_, &RunQueue::runChanged, this, &ExperimentsPanel::syncLiveRow);
  connect(queue_, &RunQueue::runChanged, this, &ExperimentsPanel::trackJob);
  connect(queue_, &RunQueue::runRemoved, this, [this](int id) { model_->removeLive(id); });
  connect(queue_, &RunQueue::runFinished, this, [this](int id) { onRunFinished(id); });
  connect(queue_, &RunQueue::epochArrived, this, [this](int id, const reco::EpochReport& report) {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (!rows.isEmpty() && rows.front().data(RunTableModel::LiveRunIdRole).toInt() == id)
      curve_->appendEpoch(report);
  });

  auto* newSplitShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), this);
  newSplitShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(newSplitShortcut, &QShortcut::activated, data_, &DataChoiceBox::openSplitForm);
  auto* cancelShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period), this);
  cancelShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(cancelShortcut, &QShortcut::activated, this, &ExperimentsPanel::cancelSelected);

  setWorkspace(QString());
}

ExperimentsPanel::~ExperimentsPanel() {
  if (jobs_)
    for (const auto& [id, job] : runJobs_) jobs_->finish(job);
}

QWidget* ExperimentsPanel::createRunsArea() {
  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("runTable"));
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(RunTableModel::StartedColumn, Qt::DescendingOrder);
  setUpRecordTable(table_, kTableRowPixels);
  table_->setTextElideMode(Qt::ElideRight);
  QHeaderView* header = table_->horizontalHeader();
  // Short columns fit their contents, the names and the status get widths the user may
  // change (the status as wide as "evaluating 100%": a stretched status column was left
  // "ep…"), and the dataset / split takes the rest.
  header->setStretchLastSection(false);
  header->setSectionResizeMode(QHeaderView::ResizeToContents);
  header->setSectionResizeMode(RunTableModel::NameColumn, QHeaderView::Interactive);
  header->setSectionResizeMode(RunTableModel::StatusColumn, QHeaderView::Interactive);
  header->setSectionResizeMode(RunTableModel::KeyMetricColumn, QHeaderView::Interactive);
  header->setSectionResizeMode(RunTableModel::TrainSecondsColumn, QHeaderView::Interactive);
  header->resizeSection(RunTableModel::KeyMetricColumn, 96);
  header->resizeSection(RunTableModel::TrainSecondsColumn, 96);
  header->resizeSection(
      RunTableModel::StatusColumn,
      table_->fontMetrics().horizontalAdvance(QStringLiteral("evaluating 100%")) + 18);
  header->setSectionResizeMode(RunTableModel::SplitColumn, QHeaderView::Stretch);
  header->setMinimumSectionSize(40);
  header->resizeSection(RunTableModel::NameColumn, 110);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &ExperimentsPanel::onSelectionChanged);
  auto* deleteShortcut = new QShortcut(QKeySequence::Delete, table_);
  deleteShortcut->setContext(Qt::WidgetShortcut);
  connect(deleteShortcut, &QShortcut::activated, this, &ExperimentsPanel::deleteSelected);

  deleteButton_ = new QPushButton(QStringLiteral("Delete run…"));
  deleteButton_->setObjectName(QStringLiteral("deleteRunButton"));
  deleteButton_->setToolTip(
      QStringLiteral("Delete the selected run with its epochs, metrics, lists and model (Delete)"));
  deleteButton_->setEnabled(false);
  connect(deleteButton_, &QPushButton::clicked, this, &ExperimentsPanel::deleteSelected);
  cancelButton_ = new QPushButton(QStringLiteral("Cancel run"));
  cancelButton_->setObjectName(QStringLiteral("cancelSelectedButton"));
  cancelButton_->setToolTip(QStringLiteral("Stop the selected queued or running run (Ctrl+.)"));
  cancelButton_->setEnabled(false);
  connect(cancelButton_, &QPushButton::clicked, this, &ExperimentsPanel::cancelSelected);
  auto* title = new QLabel(QStringLiteral("Runs"));
  title->setObjectName(QStringLiteral("sectionTitle"));
  tuneButton_ = new QPushButton(QStringLiteral("Tune…"));
  tuneButton_->setObjectName(QStringLiteral("tuneButton"));
  tuneButton_->setToolTip(
      QStringLiteral("Tune several models with an equal budget on the chosen split's validation "
                     "part, then test each model's best options once"));
  connect(tuneButton_, &QPushButton::clicked, this, &ExperimentsPanel::openTuneDialog);
  studiesButton_ = new QPushButton(QStringLiteral("Studies…"));
  studiesButton_->setObjectName(QStringLiteral("studiesButton"));
  studiesButton_->setToolTip(
      QStringLiteral("The tuning studies stored in this workspace: per model the best "
                     "validation value, the chosen options, the final run's test value, and "
                     "the best-so-far curves"));
  connect(studiesButton_, &QPushButton::clicked, this, &ExperimentsPanel::openStudiesDialog);
  // The four buttons wrap onto a second line in a 1024-pixel window instead of widening it.
  auto* buttonRow = new QWidget;
  auto* buttonFlow = new FlowRowLayout(buttonRow, 6, 4);
  buttonFlow->setContentsMargins(0, 0, 0, 0);
  for (QPushButton* button : {tuneButton_, studiesButton_, cancelButton_, deleteButton_})
    buttonFlow->addWidget(button);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(title);
  buttons->addStretch(1);
  buttons->addWidget(buttonRow);

  auto* tableArea = new QWidget;
  auto* tableLayout = new QVBoxLayout(tableArea);
  tableLayout->setContentsMargins(0, 0, 0, 0);
  tableLayout->addLayout(buttons);
  tableLayout->addWidget(table_, 1);

  curve_ = new LossCurvePlot;
  curve_->setObjectName(QStringLiteral("lossCurve"));
  auto* curveFrame = new QGroupBox(QStringLiteral("Training curve"));
  curveFrame->setToolTip(
      QStringLiteral("The selected run's training loss per epoch and, when it validates, the "
                     "validation metric; live while the run trains"));
  curveCaption_ = new QLabel(QStringLiteral("Drag to pan, scroll to zoom, double-click to fit."));
  curveCaption_->setObjectName(QStringLiteral("formNote"));
  auto* curveLayout = new QVBoxLayout(curveFrame);
  curveLayout->addWidget(curve_, 1);
  curveLayout->addWidget(curveCaption_);

  splitter_ = new QSplitter(Qt::Vertical);
  splitter_->setChildrenCollapsible(false);
  splitter_->addWidget(tableArea);
  splitter_->addWidget(curveFrame);
  splitter_->setStretchFactor(0, 1);
  splitter_->setStretchFactor(1, 1);
  return splitter_;
}

void ExperimentsPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  setup_->refreshModels();
}

void ExperimentsPanel::setWorkspace(const QString& path) {
  path_ = path;
  snapshot_.reset();
  demoPending_ = false;
  loader_->cancelAll();
  // The previous workspace's finished runs are history of that workspace: they leave the
  // queue (their names must not count as taken here). Runs still training finish and are
  // stored there, but are not shown.
  for (const int id : queue_->ids()) {
    const QueuedRun* run = queue_->run(id);
    if (run && !run->isActive() && run->request.workspacePath != path) queue_->remove(id);
  }
  model_->setStoredRuns(nullptr);
  syncLiveRows();
  data_->setWorkspace(path);
  if (studiesDialog_) studiesDialog_->setWorkspace(path);
  curve_->showNote(QStringLiteral("Select a run to see its training curve."));
  if (path.isEmpty()) {
    showMessage(
        QStringLiteral("No workspace is open. Open one with File › Open workspace… (Ctrl+O)."),
        false);
    emit loaded();
    return;
  }
  showMessage(QString(), false);
  loader_->load(path);
}

void ExperimentsPanel::reload() {
  if (!path_.isEmpty()) loader_->load(path_);
}

bool ExperimentsPanel::isLoading() const {
  return loader_->isLoading();
}

void ExperimentsPanel::onLoaded(const QString& path, ExperimentsSnapshotPtr snapshot) {
  if (path != path_) return;
  QString selected;
  if (wantedRun_.isEmpty()) {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (!rows.isEmpty()) selected = rows.front().data(RunTableModel::RunNameRole).toString();
  } else {
    selected = std::exchange(wantedRun_, QString());
  }
  snapshot_ = std::move(snapshot);
  model_->setStoredRuns(snapshot_->runs);
  syncLiveRows();
  data_->setSnapshot(snapshot_);
  updateTakenNames();
  // Keep the run that was shown; otherwise show the newest one, so the curve is never
  // empty while there are runs.
  if (selected.isEmpty() || !selectRun(selected)) {
    if (proxy_->rowCount() > 0) table_->selectRow(0);
  }
  if (snapshot_->datasets.empty()) {
    showMessage(
        QStringLiteral(
            "This workspace has no datasets yet: import one in the Datasets panel, then come back "
            "to train models on it."),
        false);
  } else if (!message_->property("error").toBool()) {
    showMessage(QString(), false);
  }
  if (demoPending_) {
    for (const auto& split : snapshot_->splits) {
      if (toQString(split.name) == kDemoSplit && split.datasetId == demoDataset_) {
        demoPending_ = false;
        queueDemoRuns(split);
        break;
      }
    }
  }
  emit loaded();
}

void ExperimentsPanel::queueFromForm() {
  enqueue(setup_->experimentOptions());
  setup_->resetRunName();
}

std::optional<reco::storage::SplitInfo> ExperimentsPanel::currentSplit() const {
  return data_->currentSplit();
}

bool ExperimentsPanel::selectSplit(const QString& name) {
  return data_->selectSplit(name);
}

bool ExperimentsPanel::queueRun(const QString& model, const reco::OptionValues& options,
                                bool validate, int patience) {
  if (!currentSplit()) return false;
  reco::ExperimentOptions experiment;
  experiment.model = toStdString(model);
  experiment.options = options;
  experiment.runName = toStdString(setup_->freeName(model));
  const std::optional<reco::storage::SplitInfo> split = currentSplit();
  if (validate && split->validPairs > 0) {
    experiment.validation.enabled = true;
    experiment.validation.patience = patience;
  }
  enqueue(std::move(experiment));
  return true;
}

void ExperimentsPanel::enqueue(reco::ExperimentOptions options) {
  const std::optional<reco::storage::SplitInfo> split = currentSplit();
  const std::optional<reco::DatasetInfo> dataset = data_->currentDataset();
  if (!split || !dataset) return;
  RunRequest request;
  request.workspacePath = path_;
  request.split = *split;
  request.splitLabel =
      QStringLiteral("%1 / %2").arg(toQString(dataset->name), toQString(split->name));
  request.options = std::move(options);
  queue_->enqueue(std::move(request));
  updateTakenNames();
}

void ExperimentsPanel::updateTakenNames() {
  QSet<QString> names;
  if (snapshot_)
    for (const auto& run : *snapshot_->runs) names.insert(toQString(run.info.name));
  for (const int id : queue_->ids()) {
    const QueuedRun* run = queue_->run(id);
    // Only this workspace's runs take names here; cancelled runs and runs that failed
    // before storing anything leave their name free.
    if (run && run->request.workspacePath == path_ &&
        (run->isActive() || run->state == RunState::Completed))
      names.insert(run->name());
  }
  setup_->setTakenNames(names);
}

bool ExperimentsPanel::isStoredName(const QString& name) const {
  if (!snapshot_) return false;
  for (const auto& run : *snapshot_->runs)
    if (toQString(run.info.name) == name) return true;
  return false;
}

void ExperimentsPanel::syncLiveRow(int id) {
  const QueuedRun* run = queue_->run(id);
  // Runs of another workspace, finished runs whose stored row is shown, and cancelled runs
  // (nothing of them is stored; a row saying "cancelled" only Delete could take away, and
  // the panel's message says it) are not live rows.
  if (!run || run->request.workspacePath != path_ || run->state == RunState::Cancelled ||
      (!run->isActive() && isStoredName(run->name()))) {
    model_->removeLive(id);
    return;
  }
  LiveRun row;
  row.id = id;
  row.name = run->name();
  row.model = toQString(run->request.options.model);
  row.split = run->request.splitLabel;
  row.state = runStateName(run->state);
  row.status = run->statusLine();
  row.fraction = run->fraction();
  row.error = run->error;
  row.queuedAt = run->queuedAt;
  const bool isNew = model_->rowOfLive(id) < 0;
  model_->upsertLive(row);
  // A run that starts becomes the one whose curve is shown, unless another live run is.
  if (run->state == RunState::Running && run->epochReports.empty() && run->stage.isEmpty()) {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    const int selectedLive =
        rows.isEmpty() ? 0 : rows.front().data(RunTableModel::LiveRunIdRole).toInt();
    const QueuedRun* shown = selectedLive ? queue_->run(selectedLive) : nullptr;
    if (!shown || shown->state != RunState::Running) selectRun(run->name());
  } else if (!isNew) {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (!rows.isEmpty() && rows.front().data(RunTableModel::LiveRunIdRole).toInt() == id)
      onSelectionChanged();
  }
}

void ExperimentsPanel::syncLiveRows() {
  for (const int id : queue_->ids()) syncLiveRow(id);
  // Rows of runs the queue forgot.
  for (int row = model_->liveCount() - 1; row >= 0; --row) {
    const LiveRun* live = model_->liveAt(row);
    if (live && !queue_->run(live->id)) model_->removeLive(live->id);
  }
}

void ExperimentsPanel::trackJob(int id) {
  const QueuedRun* run = queue_->run(id);
  const auto it = runJobs_.find(id);
  const bool running = run && run->state == RunState::Running;
  if (running && it == runJobs_.end()) {
    if (jobs_) runJobs_[id] = jobs_->start(QStringLiteral("Training %1").arg(run->name()));
  } else if (!running && it != runJobs_.end()) {
    if (jobs_) jobs_->finish(it->second);
    runJobs_.erase(it);
  }
}

void ExperimentsPanel::onRunFinished(int id) {
  trackJob(id);
  const QueuedRun* run = queue_->run(id);
  if (!run) return;
  updateTakenNames();
  if (run->state == RunState::Cancelled && run->request.workspacePath == path_)
    showMessage(QStringLiteral("%1 was cancelled; nothing of it was stored.").arg(run->name()),
                false);
  if (run->state == RunState::Completed || run->state == RunState::Failed) {
    // A failed run is usually stored too (as failed, with its error).
    if (run->request.workspacePath == path_) {
      const QModelIndexList rows = table_->selectionModel()->selectedRows();
      if (!rows.isEmpty() && rows.front().data(RunTableModel::LiveRunIdRole).toInt() == id)
        wantedRun_ = run->name();
      reload();
    }
    emit runsChanged();
  }
}

bool ExperimentsPanel::selectRun(const QString& name) {
  const int sourceRow = model_->rowOfName(name);
  if (sourceRow < 0) return false;
  const QModelIndex index = proxy_->mapFromSource(model_->index(sourceRow, 0));
  table_->selectRow(index.row());
  table_->scrollTo(index);
  return true;
}

void ExperimentsPanel::onSelectionChanged() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  const int liveId = rows.isEmpty() ? 0 : rows.front().data(RunTableModel::LiveRunIdRole).toInt();
  const QueuedRun* live = liveId ? queue_->run(liveId) : nullptr;
  cancelButton_->setEnabled(live && live->isActive() && !live->cancelRequested);
  deleteButton_->setEnabled(!rows.isEmpty() && !(live && live->isActive()));
  showSelectedCurve();
}

void ExperimentsPanel::showSelectedCurve() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) {
    shownEpochsOf_ = -1;
    curve_->showNote(QStringLiteral("Select a run to see its training curve."));
    return;
  }
  const QModelIndex index = rows.front();
  const QString name = index.data(RunTableModel::RunNameRole).toString();
  const QString model = proxy_->index(index.row(), RunTableModel::ModelColumn)
                            .data(RunTableModel::SortRole)  // the model, without "(tuned)"
                            .toString();
  const QString error = index.data(RunTableModel::ErrorRole).toString();
  const int liveId = index.data(RunTableModel::LiveRunIdRole).toInt();
  if (liveId > 0) {
    shownEpochsOf_ = -1;
    const QueuedRun* run = queue_->run(liveId);
    if (!run) return;
    QString note;
    switch (run->state) {
      case RunState::Queued:
        note = QStringLiteral("%1 is queued: its curve appears when it starts.").arg(name);
        break;
      case RunState::Running:
        note = QStringLiteral("%1 (%2): %3…").arg(name, model, run->statusLine());
        break;
      case RunState::Failed: note = QStringLiteral("%1 failed:\n%2").arg(name, error); break;
      case RunState::Cancelled:
        note = QStringLiteral("%1 was cancelled; nothing of it was stored.").arg(name);
        break;
      case RunState::Completed:
        note = QStringLiteral("%1 (%2) trains in one pass: there are no epochs to plot.")
                   .arg(name, model);
        break;
    }
    // Only a change of run redraws the whole curve; new epochs arrive through appendEpoch.
    const QString title = QStringLiteral("%1 · %2").arg(name, model);
    if (curve_->title() != title || run->epochReports.empty() ||
        curve_->lossPointCount() != int(run->epochReports.size()))
      curve_->showRun(title, run->epochReports, note);
    return;
  }
  const reco::storage::RunId stored = index.data(RunTableModel::StoredRunIdRole).toLongLong();
  if (!error.isEmpty()) {
    shownEpochsOf_ = -1;
    curve_->showNote(QStringLiteral("%1 failed:\n%2").arg(name, error));
    return;
  }
  if (stored != shownEpochsOf_) loader_->loadEpochs(path_, stored);
}

void ExperimentsPanel::deleteSelected() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;
  const QString name = rows.front().data(RunTableModel::RunNameRole).toString();
  const int liveId = rows.front().data(RunTableModel::LiveRunIdRole).toInt();
  if (liveId > 0) {
    // A finished run that was never stored only leaves the list.
    queue_->remove(liveId);
    return;
  }
  const reco::storage::RunId stored =
      rows.front().data(RunTableModel::StoredRunIdRole).toLongLong();
  const reco::storage::RunInfo* shown = nullptr;
  if (const auto& runs = model_->storedRuns())
    for (const auto& run : *runs)
      if (run.info.id == stored) shown = &run.info;
  if (!shown) return;
  const auto answer = QMessageBox::question(
      this, QStringLiteral("Delete run"),
      QStringLiteral(
          "Delete the run '%1' with its epochs, metrics, recommendation lists and model?\n\n"
          "This cannot be undone.")
          .arg(name),
      QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
  if (answer != QMessageBox::Yes) return;
  // This session's record of the run (when it trained here) goes too, or it would come back
  // as a live row once the stored one is gone.
  for (const int id : queue_->ids()) {
    const QueuedRun* run = queue_->run(id);
    if (run && !run->isActive() && run->name() == name && run->request.workspacePath == path_)
      queue_->remove(id);
  }
  loader_->deleteRun(path_, *shown);
}

void ExperimentsPanel::cancelSelected() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;
  const int liveId = rows.front().data(RunTableModel::LiveRunIdRole).toInt();
  if (liveId > 0) queue_->cancel(liveId);
  onSelectionChanged();
}

bool ExperimentsPanel::queueDemoRunsIfEmpty() {
  if (path_.isEmpty()) return false;
  std::vector<reco::DatasetInfo> datasets;
  std::vector<reco::storage::SplitInfo> splits;
  bool hasRuns = false;
  if (snapshot_) {
    datasets = snapshot_->datasets;
    splits = snapshot_->splits;
    hasRuns = !snapshot_->runs->empty();
  } else {
    // Not read yet: two small queries (the dataset and run rows), not the data itself.
    try {
      reco::storage::Workspace workspace(toStdString(path_),
                                         reco::storage::Workspace::OpenMode::OpenExisting);
      datasets = workspace.datasets();
      hasRuns = !reco::storage::listRuns(workspace).empty();
      if (!datasets.empty()) splits = reco::storage::listSplits(workspace, datasets.front().id);
    } catch (const std::exception&) {
      return false;  // the Datasets panel reports a workspace that cannot be opened
    }
  }
  if (datasets.empty() || hasRuns || queue_->queuedCount() + queue_->runningCount() > 0)
    return false;
  const reco::DatasetInfo& dataset = datasets.front();
  demoDataset_ = dataset.id;
  for (const auto& split : splits) {
    if (split.datasetId == dataset.id && toQString(split.name) == kDemoSplit) {
      if (snapshot_) {
        queueDemoRuns(split);
      } else {
        demoPending_ = true;  // queued once the snapshot (and so the split list) is shown
      }
      return true;
    }
  }
  reco::SplitOptions options;
  options.protocol = reco::SplitProtocol::Random;
  options.test = 0.2;
  options.valid = 0.1;
  options.seed = 42;
  demoPending_ = true;
  data_->wantSplit(kDemoSplit);
  // A split the user is drawing finishes first; the demo follows the next reading.
  if (!data_->isSplitRunning()) data_->startSplit(dataset, kDemoSplit, options);
  return true;
}

void ExperimentsPanel::queueDemoRuns(const reco::storage::SplitInfo& split) {
  if (!data_->selectDataset(split.datasetId) || !data_->selectSplit(toQString(split.name))) return;
  // Quick models first, so that the Compare panel fills early; the iterative ones validate
  // per epoch, which draws both curves. BPR gets a larger step and no early stopping: with
  // the default step its validation metric stays flat for dozens of epochs before it rises.
  queueRun(QStringLiteral("pop"));
  queueRun(QStringLiteral("itemknn"));
  queueRun(QStringLiteral("als"), {{"factors", "32"}}, true, 3);
  queueRun(QStringLiteral("bpr"), {{"epochs", "40"}, {"learning_rate", "0.1"}}, true, 0);
  queueRun(QStringLiteral("ease"));
}

void ExperimentsPanel::showMessage(const QString& text, bool isError) {
  message_->setText(text);
  message_->setVisible(!text.isEmpty());
  message_->setProperty("error", isError && !text.isEmpty());
  message_->style()->unpolish(message_);
  message_->style()->polish(message_);
}

}  // namespace reco::ui
