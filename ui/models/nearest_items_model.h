#pragma once
/// One run's nearest items for one item (the Items screen's "Nearest items" tab) as a table:
/// rank, title, category, price, similarity. It shows an immutable snapshot made in the
/// background (ItemLoader, through reco::similarItemsOf, which `reco similar` prints too)
/// and never touches the workspace. Items that every list shown holds are highlighted as the
/// Users screen highlights items common to its lists. GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/storage/run_store.h"
#include "core/training/run_lists.h"
#include "ui/models/recommendation_list_model.h"

namespace reco::ui {

/// A run's nearest items for one item. `error` non-empty: the run has no list and says why
/// (a model without similar items gives similarItemsOf's Config message).
struct NearestItemsList {
  reco::storage::RunInfo run;
  std::int32_t item = 0;                 ///< the dataset item index the list is for
  std::vector<reco::SimilarItem> items;  ///< most similar first
  std::string error;

  /// The list in the form ListOverlapModel compares (scores are the similarities).
  RecommendationListPtr asRecommendationList() const;
};
using NearestItemsPtr = std::shared_ptr<const NearestItemsList>;

class NearestItemsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    RankColumn,
    TitleColumn,
    CategoryColumn,
    PriceColumn,
    SimilarityColumn,
    ColumnCount
  };
  enum Role {
    /// The raw value of the cell: int rank, QString, double price (-inf for none), double
    /// similarity.
    SortRole = Qt::UserRole + 1,
    ItemIndexRole,   ///< the item's dataset index (int)
    ItemIdRole,      ///< the item's external id (QString)
    InAllListsRole,  ///< bool: the item is in every list shown
  };

  explicit NearestItemsModel(QObject* parent = nullptr);

  /// Replaces the list (a model reset, back in rank order); null clears.
  void setList(NearestItemsPtr list);
  const NearestItemsPtr& list() const { return list_; }
  /// Items (dataset indices) to highlight as common to every list shown.
  void setCommonItems(std::set<std::int32_t> items);
  /// The item shown in `row` (after sorting), or nullptr.
  const reco::SimilarItem* itemAt(int row) const;

  /// Orders the rows (ties by rank); the rank column keeps the model's rank.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant sortValue(std::size_t rank, int column) const;

  NearestItemsPtr list_;
  std::vector<std::size_t> order_;  // row -> position in list_->items
  std::set<std::int32_t> common_;
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::ui::NearestItemsPtr)
