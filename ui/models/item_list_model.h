#pragma once
/// The items of a dataset as a searchable, sortable, paged table (the Items screen): id,
/// title, category, price, interactions, distinct users, last interaction. It reads an
/// immutable ItemSummaries snapshot (one compact row per item with an interaction, computed
/// once per dataset in the background) and never touches the workspace.
///
/// As UserListModel does for users: filtering and sorting run on the thread pool over the
/// snapshot (measured on 100k generated items: a search about 10 ms, with the order by
/// interactions about 25 ms, by title about 80 ms; ten times that for 1M items),
/// so setFilter() and sort() return at once and the new order replaces the old one (a model
/// reset) when it is ready, announced by viewUpdated(); a newer request supersedes an older
/// one. The rows of the current order are exposed page by page (canFetchMore/fetchMore,
/// kPageRows at a time). GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "core/storage/item_store.h"

namespace reco::ui {

using ItemSummariesPtr = std::shared_ptr<const reco::storage::ItemSummaries>;

class ItemListModel : public QAbstractTableModel {
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
  static constexpr int kPageRows = 250;

  explicit ItemListModel(QObject* parent = nullptr);

  /// Replaces the items (a model reset) and applies the current filter and order to them in
  /// the background. Null means none.
  void setSummaries(ItemSummariesPtr summaries);
  const ItemSummariesPtr& summaries() const { return summaries_; }
  /// Shows only the items whose id, title or category contains `text` (case-insensitive;
  /// empty: every item). Applied in the background.
  void setFilter(const QString& text);
  const QString& filter() const { return filter_; }
  /// Orders the items (ties by item index ascending). Applied in the background.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }

  /// True while a filter or an order is being computed.
  bool isUpdating() const { return pending_ != 0; }
  /// Items matching the filter (the rows of every page, fetched or not).
  int matchingRows() const { return view_ ? int(view_->size()) : 0; }
  /// The dataset item indices matching the filter, in the current order (every page): the
  /// "current search result" a heatmap can take. Empty while none is shown.
  std::vector<std::int32_t> matchingItems() const;
  /// The row of a dataset item index in the current order, fetching the pages up to it;
  /// -1 when the item is filtered out or unknown.
  int rowOfItem(std::int32_t item);
  /// The dataset item index of a row, or -1.
  std::int32_t itemAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

  /// The rows (indices into the snapshot) that match `filter`, in the given order. Pure and
  /// thread-safe; O(n log n). Ids that are numbers sort as numbers; titles ignore ASCII case;
  /// items without a category, price or time sort as the lowest value.
  static std::vector<std::int32_t> computeView(const reco::storage::ItemSummaries& items,
                                               const QString& filter, int column,
                                               Qt::SortOrder order);

 signals:
  /// A new filter or order is shown (also after setSummaries).
  void viewUpdated();

 private:
  void updateView();

  ItemSummariesPtr summaries_;
  std::shared_ptr<const std::vector<std::int32_t>> view_;  // snapshot rows in display order
  int fetched_ = 0;                                        // rows exposed so far
  QString filter_;
  int sortColumn_ = InteractionsColumn;
  Qt::SortOrder sortOrder_ = Qt::DescendingOrder;
  bool changing_ = false;  // inside a reset or an insertion: fetchMore must not nest
  int generation_ = 0;
  int pending_ = 0;  // generation still being computed, 0 if none
};

}  // namespace reco::ui
