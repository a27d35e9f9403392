#pragma once
/// The users of a dataset as a searchable, sortable, paged table: id, interactions, last
/// active, top category. It reads an immutable UserSummaries snapshot (one compact row per
/// user, computed once per dataset in the background) and never touches the workspace.
///
/// Filtering and sorting a million rows takes a noticeable moment, so both run on the
/// thread pool over the snapshot: setFilter() and sort() return at once, and the new order
/// replaces the old one (a model reset) when it is ready, announced by viewUpdated(). The
/// rows of the current order are exposed page by page (canFetchMore/fetchMore, kPageRows at
/// a time), so a view never lays out more rows than were scrolled to. GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "core/storage/user_store.h"

namespace reco::ui {

using UserSummariesPtr = std::shared_ptr<const reco::storage::UserSummaries>;

class UserListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { IdColumn, InteractionsColumn, LastActiveColumn, TopCategoryColumn, ColumnCount };
  enum Role {
    /// The dataset user index (int), the same for every column of a row.
    UserIndexRole = Qt::UserRole + 1,
    /// The raw value of the cell: QString, int, or qlonglong Unix seconds (-1 for none).
    SortRole,
  };
  static constexpr int kPageRows = 250;

  explicit UserListModel(QObject* parent = nullptr);

  /// Replaces the users (a model reset) and applies the current filter and order to them
  /// in the background. Null means none.
  void setSummaries(UserSummariesPtr summaries);
  const UserSummariesPtr& summaries() const { return summaries_; }
  /// Shows only the users whose id or top category contains `text` (case-insensitive;
  /// empty: everyone). Applied in the background.
  void setFilter(const QString& text);
  const QString& filter() const { return filter_; }
  /// Orders the users (ties by user index ascending). Applied in the background.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }

  /// True while a filter or an order is being computed.
  bool isUpdating() const { return pending_ != 0; }
  /// Users matching the filter (the rows of every page, fetched or not).
  int matchingRows() const { return view_ ? int(view_->size()) : 0; }
  /// The row of a dataset user index in the current order, fetching the pages up to it;
  /// -1 when the user is filtered out or unknown.
  int rowOfUser(std::int32_t user);
  /// The dataset user index of a row, or -1.
  std::int32_t userAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

  /// The rows (indices into the snapshot) that match `filter`, in the given order. Pure and
  /// thread-safe; O(n log n).
  static std::vector<std::int32_t> computeView(const reco::storage::UserSummaries& users,
                                               const QString& filter, int column,
                                               Qt::SortOrder order);

 signals:
  /// A new filter or order is shown (also after setSummaries).
  void viewUpdated();

 private:
  void updateView();

  UserSummariesPtr summaries_;
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
