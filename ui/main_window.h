#pragma once
/// The workbench window. It only assembles: a navigation list of panels on the left, the
/// panels in a stack, the menus and a status bar (workspace, compute device, running
/// jobs). Each screen lives in its own panel under ui/panels/. GUI thread only.

#include <QFutureWatcher>
#include <QMainWindow>

#include "core/models/torch_module.h"

class QLabel;
class QMenu;
class QListWidget;
class QStackedWidget;

namespace reco::ui {

class ComparePanel;
class DatasetsPanel;
class ExperimentsPanel;
class JobTracker;
class UsersPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens the workspace at `path` (empty: none) in every panel. Reading happens in the
  /// background; a file that is not a workspace is reported in the Datasets panel and
  /// is never modified.
  void openWorkspace(const QString& path);
  const QString& workspacePath() const { return workspacePath_; }

  /// Restores the geometry saved by the last session (QSettings).
  void restoreWindowSettings();

  DatasetsPanel* datasetsPanel() const { return datasets_; }
  ExperimentsPanel* experimentsPanel() const { return experiments_; }
  ComparePanel* comparePanel() const { return compare_; }
  UsersPanel* usersPanel() const { return users_; }
  /// Shows the panel called `title` ("Datasets", "Experiments", "Compare", "Users");
  /// false when there is none.
  bool showPanel(const QString& title);
  /// The status bar line describing the compute device ("CPU" until the module answers).
  QString computeDeviceText() const;

  /// The last workspace that opened successfully, from QSettings; empty if none.
  static QString lastWorkspace();

 signals:
  /// The current panel finished loading and shows its final state.
  void contentSettled();
  /// The deep-model module answered and the status bar shows the device.
  void computeDeviceKnown(const QString& description);

 protected:
  void showEvent(QShowEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void createMenus();
  void createStatusBar();
  void addPanel(const QString& title, QWidget* panel);
  void chooseWorkspace();
  void createWorkspace();
  void rememberRecent(const QString& path);
  void updateRecentMenu();
  void showAbout();
  void updateTitle();
  void updateJobs();
  void startDeviceProbe();

  QString workspacePath_;
  QString deviceText_ = QStringLiteral("CPU");
  JobTracker* jobs_;
  QListWidget* navigation_;
  QStackedWidget* panels_;
  DatasetsPanel* datasets_;
  ExperimentsPanel* experiments_;
  ComparePanel* compare_;
  UsersPanel* users_;
  QMenu* recentMenu_ = nullptr;
  QLabel* workspaceLabel_;
  QLabel* deviceLabel_;
  QLabel* jobsLabel_;
  QFutureWatcher<reco::TorchModuleStatus>* deviceWatcher_ = nullptr;
  bool deviceProbeStarted_ = false;
};

}  // namespace reco::ui
