#pragma once
/// The history being edited in the Users panel's what-if (issue 14): items in a list, the
/// newest on top, each marked when it is not in the stored history. Items are removed by
/// row, added one at a time (never twice), or dropped in from another list (the item mime
/// type below). Holds values only; the panel re-scores on historyChanged(). GUI thread only.

#include <QAbstractTableModel>
#include <vector>

#include "core/storage/user_store.h"

class QMimeData;

namespace reco::ui {

/// The mime type of dragged items: a JSON array of {item, id, title, category, price}.
inline constexpr const char* kItemsMimeType = "application/x-reco-items";
QMimeData* itemsToMimeData(const std::vector<reco::storage::ItemMeta>& items);
std::vector<reco::storage::ItemMeta> itemsFromMimeData(const QMimeData* data);

class EditedHistoryModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { TitleColumn, CategoryColumn, MarkColumn, ColumnCount };
  enum Role { ItemIndexRole = Qt::UserRole + 1 };

  explicit EditedHistoryModel(QObject* parent = nullptr);

  /// The stored history (oldest first) and the one to edit (the stored one when null).
  void setHistory(std::vector<reco::storage::ItemMeta> stored,
                  const std::vector<reco::storage::ItemMeta>* edited = nullptr);
  /// The edited history, oldest first.
  const std::vector<reco::storage::ItemMeta>& items() const { return items_; }
  std::vector<std::int32_t> history() const;
  const std::vector<reco::storage::ItemMeta>& stored() const { return stored_; }
  bool isEdited() const;
  /// The item shown at `row` (the newest is row 0).
  const reco::storage::ItemMeta& itemAt(int row) const;

  /// Appends an item as the newest; false when it is in the history already.
  bool addItem(const reco::storage::ItemMeta& item);
  /// Removes the items shown at `rows`.
  void removeShownRows(std::vector<int> rows);
  void clearHistory();
  /// Back to the stored history.
  void resetHistory();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  Qt::DropActions supportedDropActions() const override;
  QStringList mimeTypes() const override;
  bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                       const QModelIndex& parent) const override;
  bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                    const QModelIndex& parent) override;

 signals:
  /// The edited history changed (an edit, a reset, a new base).
  void historyChanged();
  /// Dropped or added items that were in the history already (by title).
  void duplicatesIgnored(const QStringList& titles);

 private:
  bool contains(std::int32_t item) const;

  std::vector<reco::storage::ItemMeta> stored_;
  std::vector<reco::storage::ItemMeta> items_;  // oldest first; shown newest first
};

}  // namespace reco::ui
