#pragma once
/// One run's top-N list for one user as a table (rank, test mark, title, category, price,
/// score, reason), and the overlap between several such lists as a small matrix. Both read
/// immutable snapshots made in the background (UserLoader) and never touch the workspace.
/// GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/storage/run_store.h"
#include "core/storage/user_store.h"
#include "core/training/run_lists.h"

namespace reco::ui {

/// One recommended item, as `reco recommend` prints it (core/training/run_lists.h).
using RecommendedItem = reco::RunListItem;

/// A run's list for a user. `final` lists come from the loaded model (recommend() with the
/// training items excluded, reasons from explain(): exactly what `reco recommend` prints);
/// a list that is not final is the run's stored top-N, shown while the model loads.
struct RecommendationList {
  reco::storage::RunInfo run;
  std::int32_t user = 0;
  std::string userId;
  std::size_t trainingItems = 0;  ///< history items excluded from the list
  std::vector<RecommendedItem> items;
  bool final = false;
  std::string error;  ///< non-empty: the list could not be made; says why
};
using RecommendationListPtr = std::shared_ptr<const RecommendationList>;

class RecommendationListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    RankColumn,
    TestColumn,
    TitleColumn,
    CategoryColumn,
    PriceColumn,
    ScoreColumn,
    ReasonColumn,
    ColumnCount
  };
  enum Role {
    ItemIndexRole = Qt::UserRole + 1,  ///< the item's dataset index (int)
    InTestRole,                        ///< bool
    InAllListsRole,                    ///< bool: the item is in every list shown
  };

  explicit RecommendationListModel(QObject* parent = nullptr);

  /// Replaces the list (a model reset); null clears.
  void setList(RecommendationListPtr list);
  const RecommendationListPtr& list() const { return list_; }
  /// Items (dataset indices) to highlight as common to every list shown.
  void setCommonItems(std::set<std::int32_t> items);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  RecommendationListPtr list_;
  std::set<std::int32_t> common_;
};

/// The lists' pairwise overlap: cell (i, j) is the number of items lists i and j share (the
/// diagonal: the list's length); the tooltip gives the Jaccard index |A ∩ B| / |A ∪ B|.
class ListOverlapModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Role { JaccardRole = Qt::UserRole + 1, SharedRole };

  explicit ListOverlapModel(QObject* parent = nullptr);

  /// Replaces the lists (a model reset). Lists that failed count as empty.
  void setLists(std::vector<RecommendationListPtr> lists);
  /// Items in every one of the lists (empty with fewer than two lists).
  const std::set<std::int32_t>& commonItems() const { return common_; }

  int shared(int a, int b) const;
  double jaccard(int a, int b) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<RecommendationListPtr> lists_;
  std::vector<std::set<std::int32_t>> sets_;
  std::set<std::int32_t> common_;
};

}  // namespace reco::ui
