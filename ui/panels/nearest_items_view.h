#pragma once
/// The nearest items of one item by up to four runs, side by side (the Items screen's
/// "Nearest items" tab): per run a table of rank and title, with similarity, category and
/// price on the title's second line (and a similarity column when the list is wide);
/// below, the overlap between the lists (shared items and Jaccard per pair, the Users
/// screen's ListOverlapModel) and the items every list holds, highlighted in every list as
/// the Users screen highlights them. A run whose model has no similar items says why in its
/// column. It shows snapshots only (ItemLoader makes them). GUI thread only.

#include <QWidget>
#include <vector>

#include "core/storage/run_store.h"
#include "ui/models/nearest_items_model.h"

class QLabel;
class QTableView;

namespace reco::ui {

class ListOverlapModel;

class NearestItemsView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxLists = 4;
  /// The narrowest a list gets (pixels) before the row of lists scrolls sideways.
  static constexpr int kMinListWidth = 200;

  explicit NearestItemsView(QWidget* parent = nullptr);

  /// Empties the lists and shows `message` in their place.
  void clearLists(const QString& message);
  /// Prepares one empty, busy column per run (at most kMaxLists).
  void beginLists(const std::vector<reco::storage::RunInfo>& runs);
  /// Shows the list of the run at `slot` (its position in beginLists' runs).
  void setList(int slot, const NearestItemsPtr& list);
  /// The lists shown, by slot (null where none arrived yet).
  std::vector<NearestItemsPtr> lists() const;
  /// True when every run's list (or its error) is shown.
  bool allLoaded() const;

  NearestItemsModel* listModel(int slot) const;
  QTableView* listTable(int slot) const;
  ListOverlapModel* overlapModel() const { return overlap_; }
  QString commonItemsText() const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 signals:
  /// An item of a list was double-clicked (or Enter pressed on it): its dataset index.
  void itemActivated(std::int32_t item);

 private:
  struct Column {
    QWidget* box = nullptr;
    QLabel* title = nullptr;
    QLabel* status = nullptr;
    QTableView* table = nullptr;
    NearestItemsModel* model = nullptr;
  };
  void updateOverlap();

  std::size_t shown_ = 0;  // runs of the current request
  std::vector<Column> columns_;
  QLabel* placeholder_;
  ListOverlapModel* overlap_;
  QWidget* overlapArea_;
  QTableView* overlapTable_;
  QLabel* common_;
};

}  // namespace reco::ui
