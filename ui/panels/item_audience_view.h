#pragma once
/// Who is shown an item, by up to four runs side by side (the Items screen's "Who is shown
/// it" tab, the reverse of the Users screen): per run, how many users have the item in
/// their stored top-N list and their share of the users with a list, then those users (id,
/// the item's rank in their list, the score there), sortable. A double-click on a user, or
/// "Open in Users" with one selected, asks for that user in the Users panel. It shows
/// snapshots only (ItemLoader makes them). GUI thread only.

#include <QWidget>
#include <vector>

#include "core/storage/run_store.h"
#include "ui/models/item_audience_model.h"

class QLabel;
class QPushButton;
class QTableView;

namespace reco::ui {

class ItemAudienceView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxLists = 4;
  static constexpr int kMinListWidth = 200;

  explicit ItemAudienceView(QWidget* parent = nullptr);

  /// Empties the lists and shows `message` in their place.
  void clearLists(const QString& message);
  /// Prepares one empty, busy column per run (at most kMaxLists).
  void beginLists(const std::vector<reco::storage::RunInfo>& runs);
  /// Shows the audience of the run at `slot` (its position in beginLists' runs).
  void setAudience(int slot, const ItemAudiencePtr& audience);
  /// The audiences shown, by slot (null where none arrived yet).
  std::vector<ItemAudiencePtr> audiences() const;
  /// True when every run's audience (or its error) is shown.
  bool allLoaded() const;

  ItemAudienceModel* audienceModel(int slot) const;
  QTableView* audienceTable(int slot) const;
  /// The line above a run's users ("Shown to 37 of 300 users with a list (12.3%)").
  QString summaryText(int slot) const;

 signals:
  /// A user was double-clicked, or opened with "Open in Users": their external id.
  void userActivated(const QString& userId);

 private:
  struct Column {
    QWidget* box = nullptr;
    QLabel* title = nullptr;
    QLabel* summary = nullptr;
    QTableView* table = nullptr;
    ItemAudienceModel* model = nullptr;
  };
  void openSelectedUser();
  void updateOpenButton();

  std::size_t shown_ = 0;
  std::vector<Column> columns_;
  QLabel* placeholder_;
  QPushButton* openButton_;
  QTableView* lastTable_ = nullptr;  // the table whose selection "Open in Users" opens
};

}  // namespace reco::ui
