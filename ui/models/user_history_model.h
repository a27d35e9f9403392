#pragma once
/// One user's history as a table: time, item title, category, price, event, value, and the
/// part of the chosen split the item is in (train, validation, test). It reads an immutable
/// snapshot loaded in the background (UserLoader) and never touches the workspace. Rows are
/// in chronological order; sort through a QSortFilterProxyModel on SortRole. GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/storage/user_store.h"

namespace reco::ui {

/// Everything the profile of one user shows, read in one background task.
struct UserProfileData {
  reco::storage::UserHistory history;
  reco::storage::UserProfile profile;
  std::string splitName;  ///< "" when no split was chosen
  /// Item index -> 0 training, 1 validation, 2 test, for the user's pairs in the split.
  std::unordered_map<std::int32_t, int> parts;
};
using UserProfilePtr = std::shared_ptr<const UserProfileData>;

class UserHistoryModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    TimeColumn,
    TitleColumn,
    CategoryColumn,
    PriceColumn,
    EventColumn,
    ValueColumn,
    PartColumn,
    ColumnCount
  };
  enum Role {
    /// The raw value to sort by: qlonglong (time: Unix seconds, -1 for none; seq as the
    /// tie-break is the row order), QString, or double (price: -1 for none).
    SortRole = Qt::UserRole + 1,
    /// The item's dataset index (int).
    ItemIndexRole,
  };

  explicit UserHistoryModel(QObject* parent = nullptr);

  /// Replaces the rows (a model reset); null clears.
  void setProfile(UserProfilePtr profile);
  const UserProfilePtr& profile() const { return profile_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// "train", "validation", "test", or "" (not in the split: e.g. below its rating threshold).
  static QString partName(int part);

 private:
  QVariant display(const reco::storage::HistoryEntry& entry, int column) const;
  QVariant sortValue(const reco::storage::HistoryEntry& entry, int row, int column) const;
  int partOf(std::int32_t item) const;

  UserProfilePtr profile_;
};

}  // namespace reco::ui
