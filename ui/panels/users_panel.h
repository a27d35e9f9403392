#pragma once
/// The Users screen: choose a dataset and a split, find a user in a
/// searchable, sortable, paged list, and see the user's profile and what up to four runs
/// of the split recommend, side by side, with reasons and test marks. All reading and
/// model work happen in the background (UserLoader); busy indicators and errors show in
/// place. GUI thread only.

#include <QJsonObject>
#include <QWidget>
#include <map>
#include <optional>

#include "core/data/dataset_info.h"
#include "ui/workers/user_loader.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QTimer;

namespace reco::ui {

class HistoryEditor;
class JobTracker;
class RecommendationListsView;
class UserListModel;
class UserProfileView;
class WhatIfListsView;
class WhatIfLoader;

class UsersPanel : public QWidget {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about the panel's background work.
  /// `models` (null: a cache of its own) holds the loaded run models, shared with the Items
  /// panel in the window.
  explicit UsersPanel(JobTracker* jobs, std::shared_ptr<RunModelCache> models = nullptr,
                      QWidget* parent = nullptr);

  /// Shows the workspace at `path` (empty: none) and starts reading it.
  void setWorkspace(const QString& path);
  /// Reads the workspace again (after runs or datasets changed elsewhere), keeping the
  /// chosen dataset, split, user and runs where they are still there.
  void reload();

  /// True while something is being read or computed.
  bool isBusy() const;
  /// Choose by name; false when there is none of that name.
  bool selectDataset(const QString& name);
  bool selectSplit(const QString& name);
  /// Selects a user by the dataset's own id (the list must have arrived: usersShown());
  /// false when the dataset has no such user or the search filter hides it.
  bool selectUser(const QString& externalId);
  /// Opens the user `userId` (the dataset's own id) of `dataset` whatever is shown now: the
  /// dataset is chosen, a search that hides the user is cleared, and the user is selected
  /// once the list shows them. For links from other panels (the Items panel's audiences).
  void openUser(reco::DatasetId dataset, const QString& userId);
  /// The selected user's dataset index, or nullopt.
  std::optional<std::int32_t> selectedUser() const { return user_; }
  /// The chosen dataset, or nullopt.
  std::optional<reco::DatasetInfo> currentDataset() const;

  /// The view on screen as a story bookmark (issue 15, users_panel_bookmark.cpp):
  /// {"dataset", "split", "user" (the dataset's own id), "userIndex", "runs" (the chosen
  /// ones)}; empty when no user is selected.
  QJsonObject bookmarkState() const;
  /// Shows a bookmark's view: the dataset, split and runs are chosen and the user opened as
  /// openUser() does (at once, or once the workspace has been read); profileShown() and
  /// listsShown() follow.
  void showBookmark(const QJsonObject& state);

  /// The what-if (issue 14): "Edit history" mode on (the selected user's stored training
  /// history, or a new visitor when no user is selected) or off. In it the user list gives
  /// way to the history editor and every chosen run's list for the edited history.
  void setEditing(bool on);
  bool isEditing() const;
  /// Edits the history of a new visitor (an empty one), whoever is selected.
  void startNewVisitor();
  HistoryEditor* historyEditor() const { return editor_; }
  WhatIfListsView* whatIfView() const { return whatIfLists_; }

  UserListModel* userModel() const { return users_; }
  /// The loaded run models the panel's background work shares.
  const std::shared_ptr<RunModelCache>& modelCache() const { return loader_->modelCache(); }
  QTableView* userTable() const { return userTable_; }
  QLineEdit* searchField() const { return search_; }
  UserProfileView* profileView() const { return profile_; }
  RecommendationListsView* listsView() const { return lists_; }

 signals:
  /// A story bookmark names what is not there any more (a run, the dataset, the user or
  /// item): `what` says which, for the presenter's banner ("2 of this step's runs are gone:
  /// bpr, als").
  void bookmarkMissing(const QString& what);
  /// Runs were stored or deleted by this panel (never, today: the panel only reads).
  void runsChanged();
  /// The user list of a dataset is shown with every column (`count` users match).
  void usersShown(int count);
  /// The list shows users (`count` match), the whole summaries or, on a large dataset
  /// before them, the ids and counts alone: what the eye sees first.
  void usersListed(int count);
  /// The profile of a user is shown.
  void profileShown(const QString& userId);
  /// Every chosen run's final list (or its error) for the user is shown.
  void listsShown(const QString& userId);
  /// Nothing is being read any more.
  void settled();
  /// Every chosen run's list for the latest edit of the history is shown.
  void whatIfShown();
  /// An item of the history or of a list was double-clicked: the Items panel should open
  /// it, with the chosen split (`split` 0: none).
  void itemRequested(reco::DatasetId dataset, reco::storage::SplitId split, std::int32_t item);

 private:
  void onChoicesLoaded(const QString& path, UsersChoicesPtr choices);
  void onDatasetChanged();
  void onSplitChanged();
  void onUserChanged();
  /// Shows no user: the selection, the heading, the profile and the lists are cleared.
  void clearUser();
  void onViewUpdated();
  void loadLists();
  void loadProfile();
  void fillSplits();
  void showPlaceholder(const QString& text, bool isError);
  void updateCount();
  void cancelReading();
  // The what-if (users_panel_what_if.cpp).
  QWidget* createWhatIfPage();
  void enterWhatIf(std::optional<std::int32_t> user);
  void beginWhatIf(std::optional<std::int32_t> user,
                   std::optional<std::vector<std::int32_t>> edited = std::nullopt);
  void rescoreWhatIf();
  void updateWhatIfRuns();
  void saveScenario(const QString& name);
  void applyScreenshotWhatIf();
  std::optional<reco::storage::SplitInfo> currentSplit() const;
  /// Applies pendingBookmark_ (once the workspace has been read).
  void applyBookmark();

  QString path_;
  QJsonObject pendingBookmark_;  // showBookmark before the workspace was read
  UserLoader* loader_;
  UsersChoicesPtr choices_;
  /// Summaries already computed for this workspace, by dataset (with its content hash).
  std::map<reco::DatasetId, std::pair<std::string, UserSummariesPtr>> summaries_;
  std::optional<reco::DatasetId> shownDataset_;
  std::optional<std::int32_t> user_;
  std::optional<std::int32_t> wantedUser_;  // reselected once the list shows it
  QString wantedUserId_;                    // openUser: selected once the list shows it
  QString bookmarkUser_;  // a bookmark's user, said to be gone if its list lacks them
  std::optional<reco::DatasetId> wantedDataset_;  // openUser before the choices arrived

  QComboBox* datasetBox_;
  QComboBox* splitBox_;
  QProgressBar* busy_;
  QLabel* busyLabel_;
  QPushButton* cancelButton_;
  QStackedWidget* pages_;
  QLabel* placeholder_;
  QLineEdit* search_;
  QLabel* count_;
  UserListModel* users_;
  QTableView* userTable_;
  QLabel* userHeading_;
  QTabWidget* tabs_;
  QWidget* userPane_;
  QStackedWidget* rightPages_;
  QPushButton* editButton_;
  QPushButton* visitorButton_;
  WhatIfLoader* whatIf_;
  HistoryEditor* editor_;
  WhatIfListsView* whatIfLists_;
  QTimer* rescoreTimer_;
  int whatIfGeneration_ = 0;
  QString screenshotWhatIf_;  // RECO_SCREENSHOT_WHATIF: "edit" or "visitor", done once
  UserProfileView* profile_;
  RecommendationListsView* lists_;
};

}  // namespace reco::ui
