#pragma once
/// The Items screen (issue 13): choose a dataset and a split, find an item in a searchable,
/// sortable, paged list, and see its profile, what up to four runs of the split put beside
/// it (nearest items, side by side with their overlap), who each run shows it to, a
/// similarity heatmap of a chosen set, and the item map. Everything is read or computed in
/// the background (ItemLoader, and the heatmap's and map's own tasks) with busy indicators,
/// Cancel, and newer requests superseding older ones. A double-click on an item anywhere in
/// the panel opens it here; a user asked for (the audience, a user heatmap) goes out as
/// userRequested for the Users panel. GUI thread only.
///
/// The widgets are built in items_panel_layout.cpp; the behaviour is in items_panel.cpp.

#include <QJsonObject>
#include <QWidget>
#include <map>
#include <optional>

#include "core/data/dataset_info.h"
#include "core/storage/split_store.h"
#include "ui/workers/item_loader.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QTimer;

namespace reco::ui {

class ItemAudienceView;
class ItemListModel;
class ItemMapTab;
class ItemProfileView;
class JobTracker;
class NearestItemsView;
class RunChoiceButton;
class SimilarityView;

class ItemsPanel : public QWidget {
  Q_OBJECT

 public:
  /// Items per nearest-items list when nothing else was chosen.
  static constexpr int kDefaultN = 10;

  /// `jobs` (may be null) hears about the panel's background work.
  /// `models` (null: a cache of its own) holds the loaded run models, shared with the Users
  /// panel in the window.
  explicit ItemsPanel(JobTracker* jobs, std::shared_ptr<RunModelCache> models = nullptr,
                      QWidget* parent = nullptr);

  /// Shows the workspace at `path` (empty: none) and starts reading it.
  void setWorkspace(const QString& path);
  /// Reads the workspace again, keeping the chosen dataset, split, item and runs where they
  /// are still there.
  void reload();

  /// True while something is being read or computed.
  bool isBusy() const;
  /// Choose by name; false when there is none of that name.
  bool selectDataset(const QString& name);
  bool selectSplit(const QString& name);
  /// Selects an item by the dataset's own id (the list must have arrived: itemsShown());
  /// false when the dataset has no such item or the search hides it.
  bool selectItem(const QString& externalId);
  /// Opens dataset item `item` of `dataset`, with split `split` chosen (0: keep the split),
  /// whatever is shown now: the dataset and split are chosen, a search that hides the item is
  /// cleared, and the item is selected once the list shows it. For links from other panels.
  void openItem(reco::DatasetId dataset, reco::storage::SplitId split, std::int32_t item);
  /// The selected item's dataset index, or nullopt.
  std::optional<std::int32_t> selectedItem() const { return item_; }
  std::optional<reco::DatasetInfo> currentDataset() const;
  std::optional<reco::storage::SplitInfo> currentSplit() const;

  /// The view on screen as a story bookmark (issue 15, items_panel_bookmark.cpp):
  /// {"dataset", "split", "item" (the dataset's own id), "itemIndex", "runs" (the chosen
  /// ones), "tab" ("profile", "nearest", "audience", "heatmap", "map")}; empty when no item
  /// is selected.
  QJsonObject bookmarkState() const;
  /// Shows a bookmark's view: the item is opened as openItem() does, with the runs and tab
  /// chosen (at once, or once the workspace has been read).
  void showBookmark(const QJsonObject& state);

  ItemListModel* itemModel() const { return items_; }
  /// The loaded run models the panel's background work shares.
  const std::shared_ptr<RunModelCache>& modelCache() const { return loader_->modelCache(); }
  QTableView* itemTable() const { return itemTable_; }
  QLineEdit* searchField() const { return search_; }
  QTabWidget* tabs() const { return tabs_; }
  RunChoiceButton* runChooser() const { return runs_; }
  /// Items per nearest-items list.
  int listLength() const;
  void setListLength(int n);
  ItemProfileView* profileView() const { return profile_; }
  NearestItemsView* nearestView() const { return nearest_; }
  ItemAudienceView* audienceView() const { return audience_; }
  SimilarityView* similarityView() const { return similarity_; }
  ItemMapTab* mapTab() const { return map_; }

 signals:
  /// A story bookmark names what is not there any more (a run, the dataset, the user or
  /// item): `what` says which, for the presenter's banner ("2 of this step's runs are gone:
  /// bpr, als").
  void bookmarkMissing(const QString& what);
  /// The item list of a dataset is shown (`count` items match the search).
  void itemsShown(int count);
  /// The profile of an item is shown.
  void profileShown(const QString& itemId);
  /// Every chosen run's nearest items (or why there are none) for the item are shown.
  void nearestShown(const QString& itemId);
  /// Every chosen run's audience of the item is shown.
  void audienceShown(const QString& itemId);
  /// A user of `dataset` was asked for (double-click in "Who is shown it", "Open in Users",
  /// a user heatmap): the Users panel should show them.
  void userRequested(reco::DatasetId dataset, const QString& userId);
  /// Nothing is being read or computed any more.
  void settled();

 private:
  void buildLayout();
  void connectParts();
  void onChoicesLoaded(const QString& path, UsersChoicesPtr choices);
  void onDatasetChanged();
  void onSplitChanged();
  void onItemChanged();
  void onViewUpdated();
  /// Selects dataset item `item` in the list, clearing a search that hides it.
  void showItemIndex(std::int32_t item);
  void clearItem();
  void loadProfile();
  /// Reads every chosen run's nearest items and audience of the item. In a window only
  /// while the Nearest items or Who is shown it tab is chosen (listsDeferred_ until then):
  /// the lists need the runs' models, hundreds of MB each on a big dataset, and the Profile
  /// tab shown first needs none. A panel on its own (not in a window) reads them at once.
  void loadLists();
  bool listsInView() const;
  void fillDatasets();
  void fillSplits();
  void showPlaceholder(const QString& text, bool isError);
  void updateCount();
  void updateBusy();
  void cancelReading();
  void applyScreenshotChoices();
  /// Applies pendingBookmark_ (once the workspace has been read).
  void applyBookmark();

  QString path_;
  QJsonObject pendingBookmark_;  // showBookmark before the workspace was read
  ItemLoader* loader_;
  UsersChoicesPtr choices_;
  /// Summaries already computed for this workspace, by dataset (with its content hash).
  std::map<reco::DatasetId, std::pair<std::string, ItemSummariesPtr>> summaries_;
  std::optional<reco::DatasetId> shownDataset_;
  std::optional<std::int32_t> item_;
  std::optional<std::int32_t> wantedItem_;        // selected once the list shows it
  std::optional<reco::DatasetId> wantedDataset_;  // openItem before the choices arrived
  reco::storage::SplitId wantedSplit_ = 0;        // likewise
  QString screenshotItem_;                        // RECO_SCREENSHOT_ITEM, once
  bool listsDeferred_ = false;                    // loadLists waits until a lists tab is chosen
  QString bookmarkItem_;  // a bookmark's item id, opened once its dataset's list arrives

  QComboBox* datasetBox_;
  QComboBox* splitBox_;
  RunChoiceButton* runs_;
  QSpinBox* length_;
  QProgressBar* busy_;
  QLabel* busyLabel_;
  QPushButton* cancelButton_;
  QStackedWidget* pages_;
  QLabel* placeholder_;
  QLineEdit* search_;
  QTimer* searchDelay_;
  QLabel* count_;
  ItemListModel* items_;
  QTableView* itemTable_;
  QLabel* itemHeading_;
  QTabWidget* tabs_;
  ItemProfileView* profile_;
  NearestItemsView* nearest_;
  ItemAudienceView* audience_;
  SimilarityView* similarity_;
  ItemMapTab* map_;
};

}  // namespace reco::ui
