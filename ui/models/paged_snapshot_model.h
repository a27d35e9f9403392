#pragma once
/// What the searchable lists of the Users and Items screens share: a table over an immutable
/// snapshot (one compact row per user or item) whose filtered, sorted order is computed on
/// the thread pool, shown page by page.
///
/// Filtering and sorting a million rows takes a noticeable moment, so setFilter() and sort()
/// return at once; the new order (snapshot row indices in display order) replaces the old one
/// with a model reset when it is ready, announced by viewUpdated(), and a newer request
/// supersedes an older one. The rows of the current order are exposed kPageRows at a time
/// (canFetchMore/fetchMore), so a view never lays out more rows than were scrolled to.
/// Subclasses own the snapshot, the columns and the order's computation (viewTask()). GUI
/// thread only.

#include <QAbstractTableModel>
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace reco::ui {

/// External ids that are numbers compare as numbers ("9" before "10"), others as text;
/// numbers come before text. -1, 0 or 1.
int compareExternalIds(std::string_view a, std::string_view b);

class PagedSnapshotModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  static constexpr int kPageRows = 250;
  using View = std::vector<std::int32_t>;  ///< snapshot rows in display order

  /// Shows only the rows the subclass's filter matches for `text` (trimmed; empty: all).
  /// Applied in the background.
  void setFilter(const QString& text);
  const QString& filter() const { return filter_; }
  /// Orders the rows (ties by snapshot row ascending). Applied in the background.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }

  /// True while a filter or an order is being computed.
  bool isUpdating() const { return pending_ != 0; }
  /// Rows matching the filter (the rows of every page, fetched or not).
  int matchingRows() const { return view_ ? int(view_->size()) : 0; }

  int rowCount(const QModelIndex& parent = {}) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 signals:
  /// A new filter or order is shown (also after a new snapshot).
  void viewUpdated();

 protected:
  PagedSnapshotModel(int sortColumn, Qt::SortOrder sortOrder, QObject* parent);

  /// The computation of the order for the current snapshot, filter and sort, to run on the
  /// thread pool (so it must capture values only); empty when there is no snapshot.
  virtual std::function<View()> viewTask() const = 0;
  /// Replaces the snapshot: `replace` runs inside a model reset that also drops the order,
  /// then the order is computed again in the background.
  void resetSnapshot(const std::function<void()>& replace);
  /// Replaces the snapshot with one of the same rows in the same places (more columns
  /// known): the rows shown stay, their cells change (dataChanged), and the order is
  /// computed again in the background and swapped in when ready. No empty moment between.
  void refineSnapshot(const std::function<void()>& replace);
  /// The display row of snapshot row `snapshotRow` in the current order, fetching the pages
  /// up to it; -1 when it is filtered out (or negative).
  int exposeSnapshotRow(std::ptrdiff_t snapshotRow);
  /// The current order; null while none is shown.
  const std::shared_ptr<const View>& view() const { return view_; }
  /// The snapshot row of display row `row` (0 <= row < rowCount()).
  std::size_t snapshotRow(int row) const { return std::size_t((*view_)[std::size_t(row)]); }

 private:
  void updateView();
  void exposeRowsUpTo(int last);

  std::shared_ptr<const View> view_;
  int fetched_ = 0;  // rows exposed so far
  QString filter_;
  int sortColumn_;
  Qt::SortOrder sortOrder_;
  bool changing_ = false;  // inside a reset or an insertion: fetchMore must not nest
  int generation_ = 0;
  int pending_ = 0;  // generation still being computed, 0 if none
};

}  // namespace reco::ui
