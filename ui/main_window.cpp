#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThreadPool>
#include <QTimer>
#include <utility>

#include <QtConcurrent/QtConcurrentRun>

#include "core/models/registry.h"
#include "core/storage/workspace.h"
#include "ui/convert/qt_convert.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/datasets_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/users_panel.h"
#include "ui/widgets/story_presenter.h"
#include "ui/workers/background_pool.h"
#include "ui/workers/import_job.h"
#include "ui/workers/job_tracker.h"
#include "ui/workers/run_model_cache.h"
#include "ui/workers/run_queue.h"
#include "ui/workers/split_job.h"
#include "ui/workers/thread_pool_warm_up.h"

namespace reco::ui {

namespace {
const QString kLastWorkspaceKey = QStringLiteral("workspace/last");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
// The analyst's standing choices, kept between sessions.
const QString kRunsSideBySideKey = QStringLiteral("experiments/runsSideBySide");
const QString kCompareKKey = QStringLiteral("compare/k");
const QString kCompareTestKey = QStringLiteral("compare/test");
const QString kCompareBaselineKey = QStringLiteral("compare/baseline");
const QString kRecentKey = QStringLiteral("workspace/recent");
constexpr int kMaxRecent = 8;
constexpr int kMaxDevicePixels = 460;
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  jobs_ = new JobTracker(this);

  navigation_ = new QListWidget;
  navigation_->setObjectName(QStringLiteral("navigation"));
  navigation_->setFrameShape(QFrame::NoFrame);
  navigation_->setFixedWidth(168);
  panels_ = new QStackedWidget;
  panels_->setObjectName(QStringLiteral("panels"));
  connect(navigation_, &QListWidget::currentRowChanged, panels_, &QStackedWidget::setCurrentIndex);

  // Each panel with the widget that takes the keyboard focus when it is shown by Ctrl+1..5,
  // and how it opens a workspace and reads it again.
  datasets_ = new DatasetsPanel(jobs_);
  addPanel(QStringLiteral("Datasets"), datasets_, QStringLiteral("datasetTable"),
           {[this](const QString& path) { datasets_->setWorkspace(path); },
            [this] { datasets_->reload(); }});
  experiments_ = new ExperimentsPanel(jobs_);
  addPanel(QStringLiteral("Experiments"), experiments_, QStringLiteral("runTable"),
           {[this](const QString& path) { experiments_->setWorkspace(path); },
            [this] { experiments_->reload(); }, true});
  compare_ = new ComparePanel(jobs_);
  addPanel(QStringLiteral("Compare"), compare_, QStringLiteral("comparisonTable"),
           {[this](const QString& path) { compare_->setWorkspace(path); },
            [this] { compare_->reload(); }});
  // One cache of loaded run models for both panels: a large model is held once.
  const auto models = std::make_shared<RunModelCache>();
  users_ = new UsersPanel(jobs_, models);
  addPanel(
      QStringLiteral("Users"), users_, QStringLiteral("userTable"),
      {[this](const QString& path) { users_->setWorkspace(path); }, [this] { users_->reload(); }});
  items_ = new ItemsPanel(jobs_, models);
  addPanel(
      QStringLiteral("Items"), items_, QStringLiteral("itemTable"),
      {[this](const QString& path) { items_->setWorkspace(path); }, [this] { items_->reload(); }});
  navigation_->setCurrentRow(0);
  // A panel shown for the first time since the workspace opened (or since something it
  // shows changed) reads it now.
  connect(panels_, &QStackedWidget::currentChanged, this, &MainWindow::loadPanel);
  // A stored or deleted run changes what Compare, Users and Items show.
  connect(experiments_, &ExperimentsPanel::runsChanged, this, [this] {
    requestLoad(compare_, false);
    requestLoad(users_, false);
    requestLoad(items_, false);
  });
  // An imported (or deleted) dataset appears in the screens that list datasets; a deleted
  // dataset or split takes its runs with it.
  connect(datasets_, &DatasetsPanel::datasetsChanged, this, [this] {
    requestLoad(experiments_, false);
    requestLoad(users_, false);
    requestLoad(items_, false);
    requestLoad(compare_, false);
  });
  // An item double-clicked in the Users panel opens in Items; a user asked for in Items
  // (its audience, a user heatmap) opens in Users.
  connect(users_, &UsersPanel::itemRequested, this,
          [this](reco::DatasetId dataset, reco::storage::SplitId split, std::int32_t item) {
            showPanel(QStringLiteral("Items"));
            items_->openItem(dataset, split, item);
          });
  connect(items_, &ItemsPanel::userRequested, this,
          [this](reco::DatasetId dataset, const QString& userId) {
            showPanel(QStringLiteral("Users"));
            users_->openUser(dataset, userId);
          });
  // The report's stories start from the user and item looked at last.
  connect(users_, &UsersPanel::profileShown, this, [this](const QString& id) { lastUserId_ = id; });
  connect(items_, &ItemsPanel::profileShown, this, [this](const QString& id) { lastItemId_ = id; });

  auto* central = new QWidget;
  auto* layout = new QHBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(navigation_);
  layout->addWidget(panels_, 1);
  setCentralWidget(central);

  story_ = new StoryPresenter(
      this, jobs_, {compare_, users_, items_, experiments_},
      [this](const QString& title) { return showPanel(title); }, [this] { return currentPanel(); });
  createMenus();
  createStatusBar();

  connect(datasets_, &DatasetsPanel::settled, this, &MainWindow::contentSettled);
  connect(datasets_, &DatasetsPanel::openWorkspaceRequested, this, &MainWindow::chooseWorkspace);
  connect(datasets_, &DatasetsPanel::newWorkspaceRequested, this, &MainWindow::createWorkspace);
  connect(datasets_, &DatasetsPanel::datasetsShown, this, [this](const QString& path, int count) {
    // Only a file that opened as a workspace becomes the one to reopen next time.
    rememberOpened(path);
    statusBar()->showMessage(QStringLiteral("%1 dataset%2").arg(count).arg(count == 1 ? "" : "s"),
                             4000);
  });
  connect(datasets_, &DatasetsPanel::deletionFinished, this,
          [this](bool ok, const QString& message) {
            if (ok) statusBar()->showMessage(message, 6000);
          });
  connect(datasets_, &DatasetsPanel::workspaceFailed, this, [this](const QString&, const QString&) {
    statusBar()->showMessage(QStringLiteral("The workspace could not be opened"), 6000);
  });

  resize(1320, 900);
  updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::addPanel(const QString& title, QWidget* panel, const QString& mainWidget,
                          PanelLoads loads) {
  panels_->addWidget(panel);
  navigation_->addItem(title);
  mainWidgets_ << mainWidget;
  loads_.push_back(std::move(loads));
  pendingLoads_.push_back(Pending::None);
}

void MainWindow::requestLoad(QWidget* panel, bool open) {
  const int row = panels_->indexOf(panel);
  if (row < 0) return;
  Pending& pending = pendingLoads_[std::size_t(row)];
  if (open)
    pending = Pending::Open;
  else if (pending == Pending::None)
    pending = Pending::Reload;
  // The panel on screen reads at once (a newer request supersedes what it was reading);
  // a hidden one waits until it is shown, so that it never takes the cores from it.
  if (row == panels_->currentIndex() || loads_[std::size_t(row)].whileHidden) loadPanel(row);
}

void MainWindow::loadPanel(int row) {
  if (row < 0 || std::size_t(row) >= pendingLoads_.size()) return;
  const Pending pending = std::exchange(pendingLoads_[std::size_t(row)], Pending::None);
  const PanelLoads& loads = loads_[std::size_t(row)];
  if (pending == Pending::Open)
    loads.open(workspacePath_);
  else if (pending == Pending::Reload)
    loads.reload();
}

bool MainWindow::panelLoadPending(const QString& title) const {
  for (int row = 0; row < navigation_->count(); ++row)
    if (navigation_->item(row)->text() == title)
      return pendingLoads_[std::size_t(row)] != Pending::None;
  return false;
}

void MainWindow::focusPanel(int row) {
  // The panels' shortcuts (Ctrl+F, Ctrl+R, Ctrl+L, …) act while the focus is inside the
  // panel, and letters typed into the sidebar would jump it: the focus goes to the panel's
  // main widget, or, while that is hidden (a placeholder page), to its first control.
  QWidget* panel = panels_->widget(row);
  if (!panel) return;
  QWidget* target = panel->findChild<QWidget*>(mainWidgets_.value(row));
  if (!target || !target->isVisibleTo(panel) || !target->isEnabled() ||
      target->focusPolicy() == Qt::NoFocus) {
    target = nullptr;
    for (QWidget* next = panel->nextInFocusChain(); next && next != panel;
         next = next->nextInFocusChain()) {
      if (!panel->isAncestorOf(next)) continue;
      if (next->isVisibleTo(panel) && next->isEnabled() && (next->focusPolicy() & Qt::TabFocus)) {
        target = next;
        break;
      }
    }
  }
  (target ? target : panel)->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
  QAction* create =
      file->addAction(QStringLiteral("&New workspace…"), this, &MainWindow::createWorkspace);
  create->setShortcut(QKeySequence::New);
  QAction* open =
      file->addAction(QStringLiteral("&Open workspace…"), this, &MainWindow::chooseWorkspace);
  open->setShortcut(QKeySequence::Open);
  recentMenu_ = file->addMenu(QStringLiteral("Open &recent"));
  updateRecentMenu(QSettings().value(kRecentKey).toStringList());
  QAction* import = file->addAction(QStringLiteral("&Import data…"), this, [this] {
    loadPanel(panels_->indexOf(datasets_));  // the import goes to the workspace it shows
    datasets_->startImport();
  });
  import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
  import->setToolTip(QStringLiteral("Import a shop file as a new dataset of the open workspace"));
  QAction* report =
      file->addAction(QStringLiteral("&Export report…"), this, &MainWindow::openReportDialog);
  report->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  report->setToolTip(QStringLiteral(
      "A report of the compared runs to send: one HTML file or a PDF, with a live preview"));
  QAction* reload = file->addAction(QStringLiteral("&Reload"), this, [this] {
    for (QWidget* panel : {static_cast<QWidget*>(datasets_), static_cast<QWidget*>(experiments_),
                           static_cast<QWidget*>(compare_), static_cast<QWidget*>(users_),
                           static_cast<QWidget*>(items_)})
      requestLoad(panel, false);
  });
  reload->setShortcut(QKeySequence(Qt::Key_F5));
  file->addSeparator();
  QAction* quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  quit->setMenuRole(QAction::QuitRole);

  QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
  for (int row = 0; row < navigation_->count(); ++row) {
    QAction* show = view->addAction(navigation_->item(row)->text(), this, [this, row] {
      navigation_->setCurrentRow(row);
      focusPanel(row);
    });
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + row)));
  }
  view->addSeparator();
  story_->addActionsTo(view);

  QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
  QAction* keys =
      help->addAction(QStringLiteral("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
  keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
  QAction* about =
      help->addAction(QStringLiteral("&About Reco Workbench"), this, &MainWindow::showAbout);
  about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createStatusBar() {
  workspaceLabel_ = new QLabel;
  workspaceLabel_->setObjectName(QStringLiteral("workspaceStatus"));
  workspaceLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Paths, dataset and run names are the user's text: shown as typed, never as markup.
  workspaceLabel_->setTextFormat(Qt::PlainText);
  deviceLabel_ = new QLabel(QStringLiteral("CPU"));
  deviceLabel_->setObjectName(QStringLiteral("deviceStatus"));
  deviceLabel_->setToolTip(QStringLiteral("Looking for the deep-model module…"));
  jobsLabel_ = new QLabel;
  jobsLabel_->setObjectName(QStringLiteral("jobsStatus"));
  jobsLabel_->setTextFormat(Qt::PlainText);
  statusBar()->addPermanentWidget(workspaceLabel_, 1);
  statusBar()->addPermanentWidget(jobsLabel_);
  statusBar()->addPermanentWidget(deviceLabel_);
  connect(jobs_, &JobTracker::jobsChanged, this, &MainWindow::updateJobs);
  updateJobs();
}

void MainWindow::openWorkspace(const QString& path) {
  workspacePath_ = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
  workspaceLabel_->setText(workspacePath_.isEmpty() ? QStringLiteral("No workspace")
                                                    : workspacePath_);
  workspaceLabel_->setToolTip(plainToolTip(workspacePath_));
  updateTitle();
  // The panel on screen reads first; each other panel when it is first shown.
  for (int row = 0; row < panels_->count(); ++row) requestLoad(panels_->widget(row), true);
  story_->setWorkspace(workspacePath_);
}

bool MainWindow::showPanel(const QString& title) {
  for (int row = 0; row < navigation_->count(); ++row) {
    if (navigation_->item(row)->text() != title) continue;
    navigation_->setCurrentRow(row);
    return true;
  }
  return false;
}

void MainWindow::createWorkspace() {
  const QString start = dialogStartFolder(
      QStringLiteral("workspace"), workspacePath_.isEmpty() ? lastWorkspace() : workspacePath_);
  QString path = QFileDialog::getSaveFileName(this, QStringLiteral("New workspace"),
                                              QDir(start).filePath(QStringLiteral("untitled.reco")),
                                              QStringLiteral("Reco workspaces (*.reco)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("workspace"), path);
  if (!path.endsWith(QStringLiteral(".reco"))) path += QStringLiteral(".reco");
  createWorkspaceAt(path);
}

bool MainWindow::createWorkspaceAt(const QString& path) {
  if (QFileInfo::exists(path)) {
    // Never overwrite: a file that is there is opened (and refused if it is not a workspace).
    openNewWorkspace(path);
    return true;
  }
  try {
    // Creating the schema is a few milliseconds; nothing is read or imported here.
    reco::storage::Workspace created(path.toStdString(),
                                     reco::storage::Workspace::OpenMode::CreateIfMissing);
  } catch (const std::exception& error) {
    showPlainWarning(
        this, QStringLiteral("New workspace"),
        QStringLiteral("Could not create %1:\n%2").arg(path, QString::fromUtf8(error.what())));
    return false;
  }
  openNewWorkspace(path);
  return true;
}

QString MainWindow::currentPanel() const {
  const QListWidgetItem* item = navigation_->currentItem();
  return item ? item->text() : QString();
}

void MainWindow::openNewWorkspace(const QString& path) {
  openWorkspace(path);
  // A new workspace is empty: what to do next (import) is on the Datasets screen.
  showPanel(QStringLiteral("Datasets"));
}

void MainWindow::rememberOpened(const QString& path) {
  // One QSettings for both keys: its destructor writes the file with an fdatasync, on the GUI
  // thread (tens of milliseconds), so once per open, not once per key.
  QSettings settings;
  settings.setValue(kLastWorkspaceKey, QFileInfo(path).absoluteFilePath());
  QStringList recent = settings.value(kRecentKey).toStringList();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue(kRecentKey, recent);
  // A second QSettings here would write the file once more (each one syncs when made).
  updateRecentMenu(recent);
}

void MainWindow::updateRecentMenu(const QStringList& recent) {
  if (!recentMenu_) return;
  recentMenu_->clear();
  for (const QString& path : recent) {
    QAction* action = recentMenu_->addAction(QFileInfo(path).fileName(), this,
                                             [this, path] { openWorkspace(path); });
    action->setToolTip(plainToolTip(path));
    action->setEnabled(QFileInfo(path).isFile());
  }
  recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::chooseWorkspace() {
  const QString start = dialogStartFolder(
      QStringLiteral("workspace"), workspacePath_.isEmpty() ? lastWorkspace() : workspacePath_);
  const QString path =
      QFileDialog::getOpenFileName(this, QStringLiteral("Open workspace"), start,
                                   QStringLiteral("Reco workspaces (*.reco);;All files (*)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("workspace"), path);
  openWorkspace(path);
}

QList<ShortcutEntry> MainWindow::shortcuts() const {
  QList<QPair<QString, const QWidget*>> panels;
  for (int row = 0; row < navigation_->count(); ++row)
    panels.append({navigation_->item(row)->text(), panels_->widget(row)});
  return collectShortcuts(menuBar(), panels);
}

void MainWindow::showShortcuts() {
  auto* dialog = new ShortcutsDialog(shortcuts(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
}

void MainWindow::showAbout() {
  QMessageBox::about(
      this, QStringLiteral("About Reco Workbench"),
      QStringLiteral("<h3>Reco Workbench %1</h3>"
                     "<p>Import shop data, train and compare recommendation models, and see "
                     "what they learned.</p>"
                     "<p>Compute device: %2</p>"
                     "<p>Built with Qt %3 and QCustomPlot.</p>")
          .arg(QApplication::applicationVersion(), deviceText_.toHtmlEscaped(),
               QString::fromLatin1(qVersion())));
}

void MainWindow::updateTitle() {
  const QString base = QStringLiteral("Reco Workbench");
  setWindowTitle(workspacePath_.isEmpty()
                     ? base
                     : QStringLiteral("%1 — %2").arg(base, QFileInfo(workspacePath_).fileName()));
}

void MainWindow::updateJobs() {
  const QStringList labels = jobs_->labels();
  if (labels.isEmpty()) {
    jobsLabel_->setText(QStringLiteral("No jobs running"));
    jobsLabel_->setToolTip(QString());
  } else {
    jobsLabel_->setText(labels.size() == 1 ? labels.front() + QStringLiteral("…")
                                           : QStringLiteral("%1 jobs running").arg(labels.size()));
    jobsLabel_->setToolTip(plainToolTip(labels.join(QLatin1Char('\n'))));
  }
}

QString MainWindow::computeDeviceText() const {
  return deviceText_;
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (!deviceProbeStarted_) {
    deviceProbeStarted_ = true;
    // A zero timer fires once the event loop has handled the pending show and paint
    // events, so loading LibTorch never delays the first paint.
    QTimer::singleShot(0, this, &MainWindow::startDeviceProbe);
  }
}

void MainWindow::startDeviceProbe() {
  const int job = jobs_->start(QStringLiteral("Looking for the deep-model module"));
  deviceWatcher_ = new QFutureWatcher<reco::TorchModuleStatus>(this);
  connect(deviceWatcher_, &QFutureWatcherBase::finished, this, [this, job] {
    jobs_->finish(job);
    const reco::TorchModuleStatus status = deviceWatcher_->result();
    const QString text = toQString(reco::describeComputeDevice(status));
    // The line can carry a long reason; the status bar shows its start, the tooltip all.
    deviceLabel_->setText(
        deviceLabel_->fontMetrics().elidedText(text, Qt::ElideRight, kMaxDevicePixels));
    QString tip =
        text + QStringLiteral("\n\n") +
        (status.loaded
             ? QStringLiteral("Module: %1\n%2 deep models registered")
                   .arg(toQString(status.path))
                   .arg(status.modelsRegistered)
             : QStringLiteral("Deep models are unavailable: %1").arg(toQString(status.error)));
    deviceLabel_->setToolTip(tip);
    deviceText_ = text;
    experiments_->runQueue()->setHeld(false);
    emit computeDeviceKnown(text);
  });
  // The load holds the dynamic loader's TLS lock for about a second, and creating a thread
  // waits for that lock (thread_pool_warm_up.h). So every thread the window's jobs may need
  // meanwhile exists before it starts: the loaders' and splits' pool, the imports', and the
  // global pool's (Qt's parallel painting).
  // A run's start creates a thread of its own: queued runs wait until the load is over.
  startEveryThread(backgroundPool());
  startEveryThread(*QThreadPool::globalInstance());
  startEveryThread(ImportJob::threadPool());
  experiments_->runQueue()->setHeld(true);
  // loadTorchModule never throws (a missing module is a status), and is thread-safe.
  deviceWatcher_->setFuture(
      QtConcurrent::run([] { return reco::loadTorchModule(reco::defaultRegistry()); }));
}

void MainWindow::restoreWindowSettings() {
  QSettings settings;
  restoreGeometry(settings.value(kGeometryKey).toByteArray());
  restoreState(settings.value(kStateKey).toByteArray());
  const int sideBySide = settings.value(kRunsSideBySideKey, 0).toInt();
  if (sideBySide >= 1) experimentsPanel()->runQueue()->setMaxParallel(sideBySide);
  if (settings.contains(kCompareKKey)) comparePanel()->setK(settings.value(kCompareKKey).toInt());
  if (settings.contains(kCompareTestKey))
    comparePanel()->setTest(reco::PairedTestKind(settings.value(kCompareTestKey).toInt()));
  comparePanel()->setPreferredBaseline(settings.value(kCompareBaselineKey).toString());
}

QString MainWindow::workClosingWouldCancel() const {
  const RunQueue* queue = experiments_->runQueue();
  const int training = queue->runningCount();
  const int queued = queue->queuedCount();
  int imports = 0;
  for (const ImportJob* job : findChildren<ImportJob*>()) imports += job->isRunning() ? 1 : 0;
  int splits = 0;
  for (const SplitJob* job : findChildren<SplitJob*>()) splits += job->isRunning() ? 1 : 0;
  const int things = training + queued + imports + splits;
  if (things == 0) return {};
  QStringList parts;
  const auto runs = [](int n) {
    return n == 1 ? QStringLiteral("1 run is") : QStringLiteral("%1 runs are").arg(n);
  };
  if (training > 0 && queued > 0)
    parts << QStringLiteral("%1 training and %2 %3 queued")
                 .arg(runs(training))
                 .arg(queued)
                 .arg(queued == 1 ? QStringLiteral("is") : QStringLiteral("are"));
  else if (training > 0)
    parts << runs(training) + QStringLiteral(" training");
  else if (queued > 0)
    parts << runs(queued) + QStringLiteral(" queued");
  if (imports > 0)
    parts << (imports == 1 ? QStringLiteral("an import is running")
                           : QStringLiteral("%1 imports are running").arg(imports));
  if (splits > 0)
    parts << (splits == 1 ? QStringLiteral("a split is being drawn")
                          : QStringLiteral("%1 splits are being drawn").arg(splits));
  QString work = parts.takeLast();
  if (!parts.isEmpty()) {
    // "2 runs are training and 1 is queued, and an import is running"
    const QString joined = parts.join(QStringLiteral(", "));
    work = joined +
           (training > 0 && queued > 0 ? QStringLiteral(", and ") : QStringLiteral(" and ")) + work;
  }
  const QString them = things == 1 ? QStringLiteral("it") : QStringLiteral("them");
  return QStringLiteral("%1: closing cancels %2 and stores nothing of %2.").arg(work, them);
}

bool MainWindow::confirmClosing() {
  const QString work = workClosingWouldCancel();
  if (work.isEmpty()) return true;
  QMessageBox box(QMessageBox::Warning, QStringLiteral("Close Reco Workbench"),
                  work + QStringLiteral("\n\nClose anyway?"), QMessageBox::NoButton, this);
  box.setObjectName(QStringLiteral("confirmClosing"));
  box.setTextFormat(Qt::PlainText);
  QPushButton* close = box.addButton(QStringLiteral("Close anyway"), QMessageBox::DestructiveRole);
  QPushButton* cancel = box.addButton(QMessageBox::Cancel);
  box.setDefaultButton(cancel);
  box.setEscapeButton(cancel);
  box.exec();
  return box.clickedButton() == close;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Closing with work under way would cancel it: runs train for minutes to hours.
  if (!confirmClosing()) {
    event->ignore();
    return;
  }
  story_->setPresenting(false);  // the geometry and fonts saved are the everyday ones
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kStateKey, saveState());
  settings.setValue(kRunsSideBySideKey, experimentsPanel()->runQueue()->maxParallel());
  settings.setValue(kCompareKKey, comparePanel()->k());
  settings.setValue(kCompareTestKey, int(comparePanel()->test()));
  if (!comparePanel()->baselineName().isEmpty())
    settings.setValue(kCompareBaselineKey, comparePanel()->baselineName());
  QMainWindow::closeEvent(event);
}

QString MainWindow::lastWorkspace() {
  return QSettings().value(kLastWorkspaceKey).toString();
}

}  // namespace reco::ui
