#pragma once
/// The items of a dataset as a searchable, sortable, paged table (the Items screen): id,
/// title, category, price, interactions, distinct users, last interaction. It reads an
/// immutable ItemSummaries snapshot (one compact row per item with an interaction, computed
/// once per dataset in the background) and never touches the workspace.
///
/// Search, background ordering and paging as for users (PagedSnapshotModel); measured on
/// 100k generated items: a search about 10 ms, with the order by interactions about 25 ms, by
/// title about 80 ms; ten times that for 1M items. GUI thread only.

#include <functional>
#include <memory>
#include <vector>

#include "core/storage/item_store.h"
#include "ui/models/paged_snapshot_model.h"

namespace reco::ui {

using ItemSummariesPtr = std::shared_ptr<const reco::storage::ItemSummaries>;

class ItemListModel : public PagedSnapshotModel {
  Q_OBJECT

 public:
  enum Column {
    IdColumn,
    TitleColumn,
    CategoryColumn,
    PriceColumn,
    InteractionsColumn,
    DistinctUsersColumn,
    LastInteractionColumn,
    ColumnCount
  };
  enum Role {
    /// The dataset item index (int), the same for every column of a row.
    ItemIndexRole = Qt::UserRole + 1,
    /// The raw value of the cell: QString, int, double price (-1 for none), or qlonglong
    /// Unix seconds (-1 for none).
    SortRole,
  };
  explicit ItemListModel(QObject* parent = nullptr);

  /// Replaces the items (a model reset) and applies the current filter and order to them in
  /// the background. Null means none.
  void setSummaries(ItemSummariesPtr summaries);
  const ItemSummariesPtr& summaries() const { return summaries_; }
  /// The dataset item indices matching the filter, in the current order (every page): the
  /// "current search result" a heatmap can take. Empty while none is shown.
  std::vector<std::int32_t> matchingItems() const;
  /// The row of a dataset item index in the current order, fetching the pages up to it;
  /// -1 when the item is filtered out or unknown.
  int rowOfItem(std::int32_t item);
  /// The dataset item index of a row, or -1.
  std::int32_t itemAt(int row) const;

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// The rows (indices into the snapshot) that match `filter`, in the given order. Pure and
  /// thread-safe; O(n log n). Ids that are numbers sort as numbers; titles ignore ASCII case;
  /// items without a category, price or time sort as the lowest value.
  static std::vector<std::int32_t> computeView(const reco::storage::ItemSummaries& items,
                                               const QString& filter, int column,
                                               Qt::SortOrder order);

 protected:
  std::function<View()> viewTask() const override;

 private:
  ItemSummariesPtr summaries_;
};

}  // namespace reco::ui
