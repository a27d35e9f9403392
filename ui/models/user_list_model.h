#pragma once
/// The users of a dataset as a searchable, sortable, paged table: id, interactions, last
/// active, top category. It reads an immutable UserSummaries snapshot (one compact row per
/// user, computed once per dataset in the background) and never touches the workspace.
/// Search (id, top category), background ordering and paging: PagedSnapshotModel. GUI thread
/// only.

#include <functional>
#include <memory>
#include <vector>

#include "core/storage/user_store.h"
#include "ui/models/paged_snapshot_model.h"

namespace reco::ui {

using UserSummariesPtr = std::shared_ptr<const reco::storage::UserSummaries>;

class UserListModel : public PagedSnapshotModel {
  Q_OBJECT

 public:
  enum Column { IdColumn, InteractionsColumn, LastActiveColumn, TopCategoryColumn, ColumnCount };
  enum Role {
    /// The dataset user index (int), the same for every column of a row.
    UserIndexRole = Qt::UserRole + 1,
    /// The raw value of the cell: QString, int, or qlonglong Unix seconds (-1 for none).
    SortRole,
  };
  explicit UserListModel(QObject* parent = nullptr);

  /// Replaces the users (a model reset) and applies the current filter and order to them
  /// in the background. Null means none. Partial summaries show "…" in the columns they
  /// have not read; the whole summaries of the same users then refine them in place (no
  /// reset until their order is ready).
  void setSummaries(UserSummariesPtr summaries);
  const UserSummariesPtr& summaries() const { return summaries_; }
  /// The row of a dataset user index in the current order, fetching the pages up to it;
  /// -1 when the user is filtered out or unknown.
  int rowOfUser(std::int32_t user);
  /// The dataset user index of a row, or -1.
  std::int32_t userAt(int row) const;

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// The rows (indices into the snapshot) that match `filter`, in the given order. Pure and
  /// thread-safe; O(n log n).
  static std::vector<std::int32_t> computeView(const reco::storage::UserSummaries& users,
                                               const QString& filter, int column,
                                               Qt::SortOrder order);

 protected:
  std::function<View()> viewTask() const override;

 private:
  UserSummariesPtr summaries_;
};

}  // namespace reco::ui
