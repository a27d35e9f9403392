#pragma once
/// The workbench window. It only assembles: a navigation list of panels on the left, the
/// panels in a stack, the menus and a status bar (workspace, compute device, running
/// jobs). Each screen lives in its own panel under ui/panels/. GUI thread only.

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>
#include <functional>
#include <vector>

#include "core/models/torch_module.h"
#include "ui/dialogs/shortcuts_dialog.h"

class QLabel;
class QMenu;
class QListWidget;
class QStackedWidget;

namespace reco::ui {

class ComparePanel;
class DatasetsPanel;
class ExperimentsPanel;
class ItemsPanel;
class JobTracker;
class ReportDialog;
class StoryPresenter;
class UsersPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens the workspace at `path` (empty: none) in every panel. Reading happens in the
  /// background; a file that is not a workspace is reported in the Datasets panel and
  /// is never modified. Only the panel on screen (and Experiments, the run queue's home)
  /// starts reading at once: the others read when first shown (loadPanel), so that they
  /// never take the cores from the one the analyst looks at.
  void openWorkspace(const QString& path);
  const QString& workspacePath() const { return workspacePath_; }

  /// Restores the geometry saved by the last session (QSettings).
  void restoreWindowSettings();

  DatasetsPanel* datasetsPanel() const { return datasets_; }
  ExperimentsPanel* experimentsPanel() const { return experiments_; }
  ComparePanel* comparePanel() const { return compare_; }
  UsersPanel* usersPanel() const { return users_; }
  ItemsPanel* itemsPanel() const { return items_; }
  /// The story and presenter mode (View › Add to story, Story…, Presenter mode).
  StoryPresenter* storyPresenter() const { return story_; }
  /// Shows the panel called `title` ("Datasets", "Experiments", "Compare", "Users", "Items");
  /// false when there is none.
  bool showPanel(const QString& title);
  /// The title of the panel shown.
  QString currentPanel() const;
  /// True while the panel called `title` has a workspace to open or a reload waiting until
  /// it is shown (a hidden panel reads nothing).
  bool panelLoadPending(const QString& title) const;
  /// Creates an empty workspace at `path` (a file that exists is opened instead, never
  /// overwritten), opens it and shows the Datasets screen; false (with a warning box) when
  /// it could not be created. File › New workspace… asks for the path, then calls this.
  bool createWorkspaceAt(const QString& path);
  /// The status bar line describing the compute device ("CPU" until the module answers).
  QString computeDeviceText() const;

  /// File › Export report… (Ctrl+E): opens the report dialog on the Compare screen's split,
  /// its checked runs, baseline and K, and the Users and Items screens' current user and
  /// item (main_window_report.cpp); raises it when open. A warning box says what is missing
  /// when there is no finished run to report on.
  void openReportDialog();
  /// The open report dialog, or null.
  ReportDialog* reportDialog() const;

  /// Every shortcut of the window, as Help › Keyboard shortcuts lists it.
  QList<ShortcutEntry> shortcuts() const;

  /// What closing the window now would cancel, as the question before closing says it ("2
  /// runs are training and 1 is queued: closing cancels them and stores nothing of them."):
  /// runs training or queued, imports and splits under way. Empty when nothing runs; then
  /// closing asks nothing.
  QString workClosingWouldCancel() const;

  /// The last workspace that opened successfully, from QSettings; empty if none.
  static QString lastWorkspace();

 signals:
  /// The current panel finished loading and shows its final state.
  void contentSettled();
  /// The deep-model module answered and the status bar shows the device.
  void computeDeviceKnown(const QString& description);

 protected:
  void showEvent(QShowEvent* event) override;
  /// Asks before closing while work runs (workClosingWouldCancel(); Cancel is the default
  /// button): the window's jobs end with it.
  void closeEvent(QCloseEvent* event) override;

 private:
  void createMenus();
  void createStatusBar();
  /// How the window opens the workspace in a panel and reads it again; `whileHidden`: at
  /// once even while the panel is hidden (Experiments: the run queue's home, whose read is
  /// small; runs are queued and stored whatever panel is shown).
  struct PanelLoads {
    std::function<void(const QString&)> open;
    std::function<void()> reload;
    bool whileHidden = false;
  };
  void addPanel(const QString& title, QWidget* panel, const QString& mainWidget, PanelLoads loads);
  /// Opens the workspace in (`open`) or reloads the panel `panel` now when it is on screen
  /// (or reads while hidden); otherwise remembers it for loadPanel (an open includes a
  /// reload).
  void requestLoad(QWidget* panel, bool open);
  /// Runs what the panel at `row` has waiting (shown, or needed by a menu command).
  void loadPanel(int row);
  /// Moves the keyboard focus into the panel at `row` (see addPanel's main widget).
  void focusPanel(int row);
  void showShortcuts();
  void chooseWorkspace();
  void createWorkspace();
  /// Opens a workspace just created (or chosen as new) and shows the Datasets screen.
  void openNewWorkspace(const QString& path);
  /// Remembers `path` as the workspace to reopen next time and the first of the recent ones.
  void rememberOpened(const QString& path);
  void updateRecentMenu(const QStringList& recent);
  void showAbout();
  void updateTitle();
  void updateJobs();
  void startDeviceProbe();
  /// True when nothing runs, or when the analyst chose "Close anyway" in the question
  /// (a warning box named "confirmClosing").
  bool confirmClosing();

  QString workspacePath_;
  QString deviceText_ = QStringLiteral("CPU");
  JobTracker* jobs_;
  QListWidget* navigation_;
  QStackedWidget* panels_;
  DatasetsPanel* datasets_;
  ExperimentsPanel* experiments_;
  ComparePanel* compare_;
  UsersPanel* users_;
  ItemsPanel* items_;
  StoryPresenter* story_;
  enum class Pending { None, Reload, Open };
  std::vector<PanelLoads> loads_;      ///< per panel row
  std::vector<Pending> pendingLoads_;  ///< per panel row: what waits until it is shown
  QStringList mainWidgets_;  ///< per panel row: the object name of the widget focused on Ctrl+1..5
  QMenu* recentMenu_ = nullptr;
  QLabel* workspaceLabel_;
  QLabel* deviceLabel_;
  QLabel* jobsLabel_;
  QFutureWatcher<reco::TorchModuleStatus>* deviceWatcher_ = nullptr;
  bool deviceProbeStarted_ = false;
  QPointer<ReportDialog> reportDialog_;
  QString lastUserId_, lastItemId_;  ///< the users' and items' profiles shown last
};

}  // namespace reco::ui
