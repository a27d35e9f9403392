#pragma once
/// One run's what-if list (issue 14) as a table: the list for the edited history with each
/// item's move against the list for the unedited history ("new", ↑3, ↓1), its test mark,
/// title, category, price, score and reason (fallback items say "fallback: popular"); or,
/// as the `Left` part, the items of the unedited list that left it, with their old rank.
/// Columns share their numbers with RecommendationListModel, so that the lists' item
/// delegate draws both. Rows can be dragged (into the history editor). Reads an immutable
/// snapshot (WhatIfLoader makes it). GUI thread only.

#include <QAbstractTableModel>

#include "ui/models/recommendation_list_model.h"
#include "ui/workers/what_if_loader.h"

namespace reco::ui {

class WhatIfListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    RankColumn = RecommendationListModel::RankColumn,
    TestColumn = RecommendationListModel::TestColumn,
    TitleColumn = RecommendationListModel::TitleColumn,
    CategoryColumn = RecommendationListModel::CategoryColumn,
    PriceColumn = RecommendationListModel::PriceColumn,
    ScoreColumn = RecommendationListModel::ScoreColumn,
    ReasonColumn = RecommendationListModel::ReasonColumn,
    MoveColumn = RecommendationListModel::ColumnCount,
    ColumnCount
  };
  enum Role {
    ItemIndexRole = RecommendationListModel::ItemIndexRole,          ///< int
    InTestRole = RecommendationListModel::InTestRole,                ///< bool
    PreviousRankRole = RecommendationListModel::InAllListsRole + 1,  ///< int, 0: new
    IsNewRole,     ///< bool: not in the unedited list
    FallbackRole,  ///< bool: ranked by the fallback
  };
  enum class Part { Items, Left };

  explicit WhatIfListModel(Part part, QObject* parent = nullptr);

  /// Replaces the rows (a model reset); null clears.
  void setColumn(WhatIfColumnPtr column);
  const WhatIfColumnPtr& column() const { return column_; }
  /// The rows shown (the list's items, or the items that left).
  const std::vector<reco::WhatIfItem>& rows() const;
  /// "new", "↑3", "↓1" or "" (same rank) for a list item.
  static QString moveText(const reco::WhatIfItem& item, int rank);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;

 private:
  QVariant display(const reco::WhatIfItem& item, int row, int column) const;

  Part part_;
  WhatIfColumnPtr column_;
};

}  // namespace reco::ui
