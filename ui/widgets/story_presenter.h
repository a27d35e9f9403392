#pragma once
/// The presenter's story and presenter mode (issue 15), for the workbench window:
///  - View › Add to story (Ctrl+B) bookmarks the view of the Compare, Users or Items panel
///    ("Compare · ndcg@10 · 5 runs", "Customer U00042", "Product P0007");
///  - View › Story… lists the bookmarks to reorder, rename, delete and go to (StoryDialog);
///  - View › Presenter mode (F11): full screen, the application font and the plots' text
///    1.35× larger, the navigation list and status bar hidden, and a banner
///    ("2 / 4 · Customer U00042 · ←/→ to step, Esc or F11 to leave"). Esc or F11 leaves and
///    restores the font, the side panel and the window state.
///
/// Keys while presenting (an event filter on the application, for the window's widgets only):
/// Page Down / Page Up (what a clicker sends) always step; Right / Left and Space step unless
/// the keyboard focus is in a widget that uses them (a text field, spin box, combo box, a list
/// or table, a slider; Space also a button), so that the presenter can still type and move in
/// a table after clicking into it. Each step moves the focus to the banner, so the arrows step
/// again. The story is stored in the workspace (StoryModel). GUI thread only.

#include <QFont>
#include <QJsonObject>
#include <QObject>
#include <functional>

#include "core/storage/story_store.h"

class QAction;
class QLabel;
class QMainWindow;
class QMenu;
class QToolBar;

namespace reco::ui {

class ComparePanel;
class ExperimentsPanel;
class ItemsPanel;
class JobTracker;
class StoryDialog;
class StoryModel;
class UsersPanel;

/// The panels a story visits, and how the window shows one by title.
struct StoryPanels {
  ComparePanel* compare = nullptr;
  UsersPanel* users = nullptr;
  ItemsPanel* items = nullptr;
  ExperimentsPanel* experiments = nullptr;  ///< its run queue tells when the demo runs ended
};

class StoryPresenter : public QObject {
  Q_OBJECT

 public:
  /// The application font and plot text grow by this factor while presenting.
  static constexpr double kScale = 1.35;

  /// `window` shows panels by title through `showPanel` ("Compare", "Users", "Items") and
  /// says which is shown through `currentPanel`.
  StoryPresenter(QMainWindow* window, JobTracker* jobs, const StoryPanels& panels,
                 std::function<bool(const QString&)> showPanel,
                 std::function<QString()> currentPanel);
  ~StoryPresenter() override;

  /// Adds Add to story, Story… and Presenter mode to `menu`.
  void addActionsTo(QMenu* menu);
  /// Reads the story of the workspace at `path` (empty: none).
  void setWorkspace(const QString& path);
  StoryModel* story() const { return story_; }

  /// Bookmarks the view of the panel shown; false (with a status message) when it has none.
  bool addCurrentView();
  /// The bookmark of the panel shown (kind, title, state), or false when there is none.
  bool currentView(reco::storage::BookmarkKind* kind, QString* title, QJsonObject* state) const;
  /// The title a bookmark of `kind` with `state` gets.
  static QString titleFor(reco::storage::BookmarkKind kind, const QJsonObject& state);

  /// Shows bookmark `row` (0-based) of the story: its panel and view.
  void showStep(int row);
  /// Shows the next (+1) or previous (-1) bookmark; stays at the ends.
  void step(int delta);
  /// The bookmark shown last, -1 for none.
  int currentStep() const { return current_; }

  void setPresenting(bool on);
  bool isPresenting() const { return presenting_; }
  /// The banner's text while presenting.
  QString bannerText() const;
  QAction* presentAction() const { return present_; }
  QAction* addAction() const { return add_; }
  QAction* storyAction() const { return storyDialogAction_; }
  /// Opens (or raises) View › Story….
  StoryDialog* openStoryDialog();

  /// The demo (app --demo): writes the demo story (core/training/demo_story.h) when the story
  /// is empty, once the run queue has drained if `afterRuns`, else now.
  void createDemoStory(bool afterRuns);

 signals:
  /// Bookmark `row`'s view was asked of its panel (it loads in the background).
  void stepShown(int row);
  void presentingChanged(bool on);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void updateBanner();
  /// True when the focused widget uses `key` itself (see the class comment).
  static bool focusUsesKey(int key);
  /// Where Esc goes: to an open item editor (which cancels its edit), out of a field (line
  /// edit, text edit, spin box, combo box), or, from anywhere else, out of presenter mode.
  enum class EscTarget { ItemEditor, Field, Leave };
  static EscTarget escTarget();

  QMainWindow* window_;
  StoryPanels panels_;
  std::function<bool(const QString&)> showPanel_;
  std::function<QString()> currentPanel_;
  StoryModel* story_;
  QAction* add_;
  QAction* storyDialogAction_;
  QAction* present_;
  QToolBar* bannerBar_;
  QLabel* banner_;
  StoryDialog* dialog_ = nullptr;
  int current_ = -1;
  QString missing_;  ///< what the current step's bookmark names and is gone ("" none)
  bool presenting_ = false;
  bool demoAfterRuns_ = false;
  // What presenter mode changed, restored when it ends.
  QFont savedFont_;
  QString savedStyleSheet_;
  Qt::WindowStates savedWindowState_;
  bool navigationWasVisible_ = true;
  bool statusBarWasVisible_ = true;
};

}  // namespace reco::ui
