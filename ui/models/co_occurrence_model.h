#pragma once
/// The items chosen together with a profiled item (the Items screen's item profile): rank,
/// id, title, category, price, users who chose both, cosine. It shows the `together` list of
/// an immutable ItemProfile read in the background and never touches the workspace. Rows are
/// in the profile's order (users together descending, then item index); sort through a
/// QSortFilterProxyModel on SortRole. GUI thread only.

#include <QAbstractTableModel>
#include <memory>

#include "core/storage/item_store.h"

namespace reco::ui {

using ItemProfilePtr = std::shared_ptr<const reco::storage::ItemProfile>;

class CoOccurrenceModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    RankColumn,
    IdColumn,
    TitleColumn,
    CategoryColumn,
    PriceColumn,
    UsersColumn,
    CosineColumn,
    ColumnCount
  };
  enum Role {
    /// The raw value of the cell: int rank, QString, double price (-1 for none), qlonglong
    /// users, double cosine.
    SortRole = Qt::UserRole + 1,
    /// The dataset item index of the row's item (int), the same for every column.
    ItemIndexRole,
  };

  explicit CoOccurrenceModel(QObject* parent = nullptr);

  /// Replaces the rows (a model reset) with the profile's `together`; null clears.
  void setProfile(ItemProfilePtr profile);
  const ItemProfilePtr& profile() const { return profile_; }
  /// The dataset item index of a row of this model (not of a proxy), or -1.
  std::int32_t itemAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  ItemProfilePtr profile_;
};

}  // namespace reco::ui
