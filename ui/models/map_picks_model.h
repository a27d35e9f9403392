#pragma once
/// The items picked on the item map with a rubber band, as the list beside the map: title,
/// category, interactions. It reads the map's immutable snapshot (reco::ItemMap) and the
/// picked points, never the workspace. Most popular first by default. GUI thread only.

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/training/item_map.h"

namespace reco::ui {

class MapPicksModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { TitleColumn, CategoryColumn, InteractionsColumn, ColumnCount };
  enum Role {
    SortRole = Qt::UserRole + 1,  ///< QString title or category, qlonglong interactions
    ItemIndexRole,                ///< the dataset item index (int)
    ItemIdRole,                   ///< the external item id (QString)
  };

  explicit MapPicksModel(QObject* parent = nullptr);

  /// Shows `points` (indices into `map`'s columns; a model reset, in the current order).
  /// A null map or no points clears.
  void setPicks(std::shared_ptr<const reco::ItemMap> map, std::vector<std::size_t> points);
  /// The external ids of the picks, in the shown order.
  QStringList itemIds() const;

  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  void applyOrder();
  QString titleAt(std::size_t point) const;
  QString categoryAt(std::size_t point) const;

  std::shared_ptr<const reco::ItemMap> map_;
  std::vector<std::size_t> points_;  // rows, in the shown order
  int sortColumn_ = InteractionsColumn;
  Qt::SortOrder sortOrder_ = Qt::DescendingOrder;
};

}  // namespace reco::ui
