#pragma once
/// The recommendation lists of up to four runs side by side for one user (the Users
/// screen): each list shows rank, a ★ on items in the user's held-out test part, the item's
/// title with its category, price and the model's one-line reason beneath, and the score;
/// below the lists, their overlap (shared items and Jaccard per pair) and the items common
/// to all, which are also highlighted in every list. The view only shows snapshots
/// (UserLoader makes them); it says when the choice of runs or N changed. GUI thread only.

#include <QStyledItemDelegate>
#include <QWidget>
#include <vector>

#include "core/storage/run_store.h"
#include "ui/models/recommendation_list_model.h"

class QLabel;
class QMenu;
class QSpinBox;
class QTableView;
class QToolButton;

namespace reco::ui {

/// Paints a cell's Qt::BackgroundRole brush before the usual painting. The app's style sheet
/// styles QTableView::item, and a styled item ignores the model's background; the Users
/// screen's tables use this delegate so that test rows and common items stay highlighted.
class BackgroundRoleDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
};

/// Draws a list's item cell in three lines: the title (bold for an item in every list, in the
/// model's foreground colour when it gives one), "category · price · score", and the reason.
/// Reads the sibling columns by RecommendationListModel's column numbers, which the
/// what-if lists share.
class RecommendedItemDelegate : public BackgroundRoleDelegate {
 public:
  using BackgroundRoleDelegate::BackgroundRoleDelegate;
  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

class RecommendationListsView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxLists = 4;
  /// Runs chosen when nothing was chosen before: three lists stay readable side by side.
  static constexpr int kDefaultLists = 3;
  static constexpr int kDefaultN = 10;
  /// The narrowest a list gets (pixels): a title, its details and its reason stay readable.
  static constexpr int kMinListWidth = 205;

  explicit RecommendationListsView(QWidget* parent = nullptr);

  /// The runs that can be chosen (the chosen split's finished runs). Keeps the runs chosen
  /// by hand (setChosenRuns, the Runs menu) that are still there; otherwise (none chosen by
  /// hand, or none of them left) chooses the first kDefaultLists, again at every call.
  void setAvailableRuns(std::vector<reco::storage::RunInfo> runs);
  const std::vector<reco::storage::RunInfo>& availableRuns() const { return available_; }
  /// The chosen runs, in the order of the available ones.
  std::vector<reco::storage::RunInfo> chosenRuns() const;
  /// Chooses runs by name (at most kMaxLists; unknown names are ignored). Emits choiceChanged.
  void setChosenRuns(const QStringList& names);
  /// Items per list.
  int listLength() const;
  void setListLength(int n);

  /// Empties the lists and shows `message` (e.g. "Select a user") in place of each.
  void clearLists(const QString& message);
  /// Prepares one empty, busy column per chosen run.
  void beginLists();
  /// Shows the list of the run at `slot` (its position in chosenRuns()).
  void setList(int slot, RecommendationListPtr list);
  /// The lists shown, by slot (null where none arrived yet).
  std::vector<RecommendationListPtr> lists() const;
  /// True when every chosen run's final list (or its error) is shown.
  bool allFinal() const;

  RecommendationListModel* listModel(int slot) const;
  ListOverlapModel* overlapModel() const { return overlap_; }
  QString commonItemsText() const;
  /// Opens the run chooser (for a keyboard shortcut).
  void showRunMenu();

 protected:
  /// A new font (presenter mode's larger one) resizes the three-line rows to fit it.
  void changeEvent(QEvent* event) override;

 signals:
  /// The chosen runs or the list length changed: the lists must be made again.
  void choiceChanged();
  /// An item of a list was double-clicked (or Enter pressed on it): its dataset index.
  void itemActivated(std::int32_t item);

 private:
  struct Column {
    QWidget* box = nullptr;
    QLabel* title = nullptr;
    QLabel* status = nullptr;
    QTableView* table = nullptr;
    RecommendationListModel* model = nullptr;
  };
  void rebuildRunMenu();
  void updateRunButton();
  void updateOverlap();

  std::vector<reco::storage::RunInfo> available_;
  std::vector<reco::storage::RunId> chosen_;
  bool automaticChoice_ = true;  // chosen_ is the default, not the user's choice
  std::vector<Column> columns_;
  QToolButton* runButton_;
  QMenu* runMenu_;
  QSpinBox* length_;
  QLabel* placeholder_;
  ListOverlapModel* overlap_;
  QWidget* overlapArea_;
  QTableView* overlapTable_;
  QLabel* common_;
};

}  // namespace reco::ui
