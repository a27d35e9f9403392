#pragma once
/// Who is shown an item by one run (the Items screen's "Who is shown it" tab): the users
/// whose stored top-N list holds the item, as a table of user id, the item's rank in their
/// list and the model's score there. It shows an immutable snapshot made in the background
/// (ItemLoader, through storage::runItemAudience, which `reco shown` prints too) and never
/// touches the workspace. Sorting a popular item's audience (hundreds of thousands of users)
/// is a typed sort of a row permutation, well under a second. GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <string>
#include <vector>

#include "core/storage/run_store.h"

namespace reco::ui {

/// A run's audience for one item. `error` non-empty: it could not be read; says why.
struct ItemAudienceList {
  reco::storage::RunInfo run;
  std::int32_t item = 0;  ///< the dataset item index
  /// The users whose stored list holds the item, by user index ascending.
  std::vector<reco::storage::AudienceMember> members;
  /// Parallel to members: the users' external ids (from the run's model file, as `reco
  /// shown` names them).
  std::vector<std::string> userIds;
  std::int64_t listedUsers = 0;  ///< users with a stored list (0: the run stored none)
  std::string error;

  /// members / listedUsers; 0 without listed users.
  double share() const {
    return listedUsers > 0 ? double(members.size()) / double(listedUsers) : 0.0;
  }
};
using ItemAudiencePtr = std::shared_ptr<const ItemAudienceList>;

class ItemAudienceModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { UserColumn, RankColumn, ScoreColumn, ColumnCount };
  enum Role {
    SortRole = Qt::UserRole + 1,  ///< QString user id, int rank, double score
    UserIndexRole,                ///< the user's dataset index (int)
    UserIdRole,                   ///< the user's external id (QString)
  };

  explicit ItemAudienceModel(QObject* parent = nullptr);

  /// Replaces the audience (a model reset, in the current order); null clears.
  void setAudience(ItemAudiencePtr audience);
  const ItemAudiencePtr& audience() const { return audience_; }
  /// The external id of the user in `row` (after sorting); empty for none.
  QString userIdAt(int row) const;

  /// Orders the rows; ties by user index. Default: rank ascending (the users who see the
  /// item highest in their list first).
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

  ItemAudiencePtr audience_;
  std::vector<std::uint32_t> order_;  // row -> position in audience_->members
  int sortColumn_ = RankColumn;
  Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::ItemAudiencePtr)
